import Sandbox
import Foundation
import Testing
@testable import Planner

@Suite("Pattern library")
struct PatternLibraryTests {
    static let sample = """
        ;; pattern: demo
        ;; title: Demo
        ;; purpose: One call per item.
        ;; combinators: map-async, tree-reduce
        ;; kinds: extraction, summarisation
        ;; outputs: per-item
        ;; quality: 0.70 | one call per item,
        ;;   no cross-checking
        ;; fits: many items
        ;; avoid: dependent items
        ;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
        ;; param window: 20 | calls in flight at once
        ;; param task: Say "hi" | the task
        (define worker-model "gpt-4.1-nano")
        (define window 20)
        (define task "Say \\"hi\\"")
        (define (helper x) (string-append x ")"))  ; a string with a paren
        (finish (map-async (lambda (i) (llm-query-async #:instruction task #:data i #:model worker-model)) (list "a") #:max-concurrent window))
        """

    @Test("the header's fields, wrapped lines and parameters are read, with roles")
    func parsesHeader() throws {
        let p = try PatternLibrary.parse(Self.sample, file: "demo.scm")
        #expect(p.name == "demo")
        #expect(p.combinators == ["map-async", "tree-reduce"])
        #expect(p.kinds == ["extraction", "summarisation"])
        #expect(p.outputs == .perItem)
        #expect(p.quality == 0.70)
        #expect(p.qualityReason == "one call per item, no cross-checking")
        #expect(p.parameters.map(\.name) == ["worker-model", "window", "task"])
        #expect(p.parameter("worker-model")?.role == "worker")
        #expect(p.parameter("window")?.role == nil)
        #expect(p.parameter("task")?.defaultValue == "Say \"hi\"")
    }

    @Test("instantiation rewrites only the defines' values, quoting strings")
    func instantiates() throws {
        let p = try PatternLibrary.parse(Self.sample, file: "demo.scm")
        let code = try p.instantiate(["worker-model": "gpt-4o-mini", "window": "5", "task": "Find \"genes\"\nnow"])
        #expect(code.contains("(define worker-model \"gpt-4o-mini\")"))
        #expect(code.contains("(define window 5)"))
        #expect(code.contains(#"(define task "Find \"genes\"\nnow")"#))
        let untouched = Self.sample.replacingOccurrences(of: "(define worker-model \"gpt-4.1-nano\")", with: "(define worker-model \"gpt-4o-mini\")")
            .replacingOccurrences(of: "(define window 20)", with: "(define window 5)")
            .replacingOccurrences(of: #"(define task "Say \"hi\"")"#, with: #"(define task "Find \"genes\"\nnow")"#)
        #expect(code == untouched)
    }

    @Test("an unknown parameter or a non-datum number is an error naming it")
    func badInstantiation() throws {
        let p = try PatternLibrary.parse(Self.sample, file: "demo.scm")
        #expect(throws: PlannerError.self) { try p.instantiate(["nope": "1"]) }
        do { _ = try p.instantiate(["window": "(evil)"]); Issue.record("accepted code as a number") } catch let e as PlannerError {
            #expect(e.description.contains("window"))
        }
    }

    @Test("a param without its define, a default that differs, or a bad outputs line names file and line")
    func contractErrors() {
        let missing = Self.sample.replacingOccurrences(of: "(define window 20)", with: "")
        #expect(throws: PlannerError.self) { try PatternLibrary.parse(missing, file: "demo.scm") }
        do { _ = try PatternLibrary.parse(missing, file: "demo.scm") } catch {
            #expect("\(error)".contains("demo.scm:12"))
            #expect("\(error)".contains("window"))
        }
        let differs = Self.sample.replacingOccurrences(of: "(define window 20)", with: "(define window 30)")
        #expect(throws: PlannerError.self) { try PatternLibrary.parse(differs, file: "demo.scm") }
        let badOutputs = Self.sample.replacingOccurrences(of: "outputs: per-item", with: "outputs: lots")
        #expect(throws: PlannerError.self) { try PatternLibrary.parse(badOutputs, file: "demo.scm") }
        let noQuality = Self.sample.replacingOccurrences(of: ";; quality: 0.70 | one call per item,\n", with: "")
        #expect(throws: PlannerError.self) { try PatternLibrary.parse(noQuality, file: "demo.scm") }
    }

    @Test("a bad file is left out with its problem; the others load")
    func badFileIsAProblem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("patterns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.sample.write(to: dir.appendingPathComponent("demo.scm"), atomically: true, encoding: .utf8)
        try "(finish 1)".write(to: dir.appendingPathComponent("broken.scm"), atomically: true, encoding: .utf8)
        try Self.sample.write(to: dir.appendingPathComponent("misnamed.scm"), atomically: true, encoding: .utf8)
        let library = try PatternLibrary.load(directory: dir)
        #expect(library.list().map(\.name) == ["demo"])
        #expect(library.problems.count == 2)
        #expect(library.problems.contains { $0.contains("broken.scm") && $0.contains("pattern") })
        #expect(library.problems.contains { $0.contains("misnamed.scm") })
        #expect(library.get("demo") != nil)
        #expect(library.get("nope") == nil)
    }

    @Test("the fixture patterns and the built-in single call load")
    func fixturesLoad() throws {
        let library = try PlannerFixtures.library()
        #expect(library.problems.isEmpty)
        #expect(library.list().count >= 4)
        #expect(BuiltinPatterns.singleCallPattern != nil)
    }
}

@Suite("Data directories")
struct DataDirectoryTests {
    @Test("RLM_PLAN_HOME wins, and a home without the directory is an error saying where it looked")
    func homeVariable() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("patterns"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let found = try DataDirectories.locate("patterns", environment: ["RLM_PLAN_HOME": home.path], executablePath: nil, currentDirectory: "/")
        #expect(found.path == home.appendingPathComponent("patterns").path)
        do {
            _ = try DataDirectories.locate("docs", environment: ["RLM_PLAN_HOME": home.path], executablePath: nil, currentDirectory: "/")
            Issue.record("found a docs/ that does not exist")
        } catch let e as PlannerError {
            #expect(e.description.contains("RLM_PLAN_HOME"))
        }
    }

    @Test("without the variable, it walks up from the executable, then from the current directory")
    func walksUp() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("root-\(UUID().uuidString)")
        let bin = root.appendingPathComponent(".build/debug")
        let cwd = root.appendingPathComponent("elsewhere/deep")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("patterns"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let viaExecutable = try DataDirectories.locate("patterns", environment: [:], executablePath: bin.appendingPathComponent("rlm-plan").path, currentDirectory: "/")
        #expect(viaExecutable.standardizedFileURL.path == root.appendingPathComponent("patterns").standardizedFileURL.path)
        let viaCwd = try DataDirectories.locate("patterns", environment: [:], executablePath: "/usr/bin/true", currentDirectory: cwd.path)
        #expect(viaCwd.standardizedFileURL.path == root.appendingPathComponent("patterns").standardizedFileURL.path)
    }
}
