import Foundation
import ModelServer
import Sandbox
import Simulator
import TestSupport
import Testing

/// The strategy library in `patterns/` (issue 10 items 1–2, the contract in docs/patterns.md):
/// every file has a complete header whose params match its top-level defines, simulates on
/// synthetic data without error and deterministically, and returns the outputs its header promises
/// when run for real against a local model server.
@Suite("pattern library")
struct PatternLibraryTests {
    static let directory = BuiltBinary.packageRoot.appendingPathComponent("patterns")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".scm") }.map { String($0.dropLast(4)) }.sorted()
    }()

    /// The 16 patterns of reference §8, by file name.
    static let referencePatterns = [
        "fan-out", "code-generation", "recursive-delegation", "critique-refine", "cumulative-fold",
        "meta-orchestration", "speculative-execution", "ensemble-voting", "active-learning", "tree-aggregation",
        "consensus", "backtracking", "anytime", "memoization", "stream-processing", "multi-armed-bandit",
    ]

    static func source(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name + ".scm"), encoding: .utf8)
    }

    @Test("the library holds the 16 reference patterns plus compositions")
    func libraryIsComplete() {
        for name in Self.referencePatterns { #expect(Self.names.contains(name), "missing patterns/\(name).scm") }
        #expect(Self.names.count >= 19)
    }

    @Test("the header is complete and each param is exactly one top-level define of its default", arguments: names)
    func headerMatchesCode(_ name: String) throws {
        let text = try Self.source(name)
        let header = try PatternHeader(text)
        #expect(header.fields["pattern"] == name)
        for key in ["title", "purpose", "combinators", "kinds", "fits", "avoid"] {
            #expect(!(header.fields[key] ?? "").isEmpty, "\(name): no '\(key)'")
        }
        #expect(["per-item", "per-item+synthesis", "single"].contains(header.fields["outputs"] ?? ""), "\(name): outputs")
        let quality = (header.fields["quality"] ?? "").split(separator: "|", maxSplits: 1)
        let prior = Double(quality.first?.trimmingCharacters(in: .whitespaces) ?? "")
        #expect(prior.map { $0 > 0 && $0 <= 1 } == true, "\(name): quality prior")
        #expect(quality.count == 2 && !quality[1].trimmingCharacters(in: .whitespaces).isEmpty, "\(name): quality reason")
        #expect(header.params.contains { $0.name == "task" }, "\(name): no task param")
        let defines = PatternHeader.topLevelDefines(text)
        for param in header.params {
            #expect(!param.description.isEmpty, "\(name): param \(param.name) has no description")
            let matching = defines.filter { $0.name == param.name }
            #expect(matching.count == 1, "\(name): param \(param.name) has \(matching.count) top-level defines")
            let expected = Double(param.defaultValue) != nil ? param.defaultValue : "\"\(param.defaultValue)\""
            #expect(matching.first?.value == expected, "\(name): (define \(param.name) …) is not the header default \(expected)")
        }
        // Every combinator the header names is used by the code.
        for combinator in header.list("combinators") where combinator != "(none)" {
            let called = text.range(of: "\\(\(NSRegularExpression.escapedPattern(for: combinator))\\s", options: .regularExpression) != nil
            #expect(called, "\(name): header names \(combinator) but the code does not call it")
        }
        #expect(text.contains("(context-items)"), "\(name): items must come from (context-items)")
        #expect(!text.contains("(py-"), "\(name): simulations restrict Python; templates avoid it")
    }

    @Test("a template instantiated with other param values still runs", arguments: ["fan-out", "critique-refine", "tree-aggregation"])
    func instantiationByRewritingDefines(_ name: String) throws {
        var text = try Self.source(name)
        let header = try PatternHeader(text)
        for param in header.params {
            let old = Double(param.defaultValue) != nil ? param.defaultValue : "\"\(param.defaultValue)\""
            let new: String
            switch param.name {
            case "task": new = "\"Summarise this item in 20 words.\""
            case "window", "branch-factor": new = "2"
            case "iterations": new = "1"
            default: new = old
            }
            text = text.replacingOccurrences(of: "(define \(param.name) \(old))", with: "(define \(param.name) \(new))")
        }
        var options = SimulationOptions()
        options.context = SyntheticData.items(7, chars: 300, seed: 3)
        let report = Simulation.simulate(program: text, sourceName: name + ".scm", options: options)
        #expect(report.runs.first?.status == .finished, "\(report.runs.first?.error ?? "")")
    }

    @Test("simulates 20 synthetic items without error, deterministically, with the promised outputs", arguments: names)
    func simulates(_ name: String) throws {
        let text = try Self.source(name)
        let header = try PatternHeader(text)
        var options = SimulationOptions()
        options.context = SyntheticData.items(20, chars: 2000, seed: 1)
        let a = Simulation.simulate(program: text, sourceName: name + ".scm", options: options)
        let run = try #require(a.runs.first)
        #expect(run.status == .finished, "\(name): \(run.error ?? "")")
        #expect(run.records.count >= 1)
        #expect(!a.warnings.contains { $0.code == .strategyFailed }, "\(name): \(a.warnings.map(\.message))")
        #expect(run.outputs == (header.fields["outputs"] == "single" ? 1 : 20), "\(name): \(run.outputs) outputs")
        let b = Simulation.simulate(program: text, sourceName: name + ".scm", options: options)
        #expect(try a.json() == b.json(), "\(name) is not deterministic under simulation")
    }

    @Test("runs for real against a local model server and returns the outputs its header promises", arguments: names)
    func runsForReal(_ name: String) throws {
        let text = try Self.source(name)
        let header = try PatternHeader(text)
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil))
        let session = SandboxSession(storePath: ":memory:", gateway: ModelGateway(clock: WallClock(), settings: ModelSettings(defaultModel: "gpt-4o-mini")) { provider })
        let itemCount = 12
        _ = session.loadContext(SyntheticData.items(itemCount, chars: 400, seed: 5))
        let result = session.eval(text, sourceName: name + ".scm")
        #expect(result.status == .finished, "\(name): \(result.error?.messageWithPosition ?? "")")
        let value = try JSONValue.fromScheme(try #require(result.value))
        switch header.fields["outputs"] {
        case "per-item":
            guard case .array(let items) = value else { Issue.record("\(name): not a list: \(value)"); return }
            #expect(items.count == itemCount)
            #expect(items.allSatisfy { if case .string(let s) = $0 { return !s.isEmpty } else { return false } })
        case "per-item+synthesis":
            guard case .array(let items)? = value["items"], case .string(let synthesis)? = value["synthesis"] else {
                Issue.record("\(name): not a hash with items and synthesis: \(value)"); return
            }
            #expect(items.count == itemCount)
            #expect(!synthesis.isEmpty)
        default:
            guard case .string(let s) = value else { Issue.record("\(name): not a string: \(value)"); return }
            #expect(!s.isEmpty)
        }
    }

    @Test("code-generation runs the generated procedure when the model writes working code")
    func codeGenerationSuccessPath() throws {
        var options = SimulationOptions()
        options.context = SyntheticData.items(20, chars: 200, seed: 1)
        options.fixtures = FixtureSet(entries: [.init(instruction: "Write ONE Racket expression",
                                                      text: "Here:\n```scheme\n(lambda (items) (format \"~a items\" (length items)))\n```")])
        let report = Simulation.simulate(program: try Self.source("code-generation"), sourceName: "code-generation.scm", options: options)
        #expect(report.runs.first?.result == "20 items")
        #expect(report.runs.first?.records.count == 1)
    }

    @Test("the memoization patterns answer from the store on a second run", arguments: ["memoization", "active-learning-memoized"])
    func memoizationPersistsAcrossRuns(_ name: String) throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("memo-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = try Self.source(name)
        func run() -> EvalResult {
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil))
            let session = SandboxSession(storePath: path, gateway: ModelGateway(clock: WallClock(), settings: ModelSettings(defaultModel: "gpt-4o-mini")) { provider })
            _ = session.loadContext(SyntheticData.items(6, chars: 300, seed: 4))
            return session.eval(text, sourceName: name + ".scm")
        }
        let first = run()
        #expect(first.status == .finished, "\(first.error?.message ?? "")")
        let calls = server.requestsReceived
        #expect(calls >= 6)
        let second = run()
        #expect(second.result == first.result)
        #expect(server.requestsReceived == calls, "the second run made \(server.requestsReceived - calls) calls")
    }

    @Test("memoization answers each distinct item once")
    func memoizationDeduplicates() throws {
        var options = SimulationOptions()
        options.context = #"["same", "other", "same", "same"]"#
        let report = Simulation.simulate(program: try Self.source("memoization"), sourceName: "memoization.scm", options: options)
        #expect(report.runs.first?.status == .finished)
        #expect(report.runs.first?.records.count == 2)
    }
}

/// The pattern header of docs/patterns.md: `;; key: value` lines up to the first line that is
/// not a `;;` comment; `;; param NAME: DEFAULT | description` lines declare parameters.
struct PatternHeader {
    struct Param { var name, defaultValue, description: String }
    struct HeaderError: Error, CustomStringConvertible { var description: String }

    var fields: [String: String] = [:]
    var params: [Param] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(";;") else { break }
            let body = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let colon = body.firstIndex(of: ":") else { throw HeaderError(description: "no ':' in header line \(line)") }
            let key = body[..<colon].trimmingCharacters(in: .whitespaces)
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("param ") {
                let parts = value.split(separator: "|", maxSplits: 1)
                params.append(Param(name: String(key.dropFirst(6)),
                                    defaultValue: parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "",
                                    description: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""))
            } else {
                if fields[key] != nil { throw HeaderError(description: "duplicate header key \(key)") }
                fields[key] = value
            }
        }
    }

    func list(_ key: String) -> [String] {
        (fields[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// `(define NAME VALUE)` forms that start a line and fit on it, as (name, value text).
    static func topLevelDefines(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("(define "), line.hasSuffix(")"), !line.hasPrefix("(define (") else { return nil }
            let inner = line.dropFirst(8).dropLast()
            guard let space = inner.firstIndex(of: " ") else { return nil }
            return (String(inner[..<space]), String(inner[inner.index(after: space)...]))
        }
    }
}
