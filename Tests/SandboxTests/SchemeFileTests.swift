import Foundation
import Testing
@testable import Sandbox

/// Runs the Scheme language corpus in `scheme/*.scm` (style guide §6: semantics live in files of
/// expected results, one Swift test per file).
///
/// Each file is read with the sandbox reader and its top-level forms are evaluated in order in one
/// session. Four forms are assertions, recognised by their head symbol (the same forms are macros
/// in `scheme/validate.rkt`, which checks every expectation against real Racket):
///
///     (check NAME EXPR EXPECTED)               Printer.write(EXPR) == EXPECTED      (~s)
///     (check-display NAME EXPR EXPECTED)       Printer.display(EXPR) == EXPECTED    (~a)
///     (check-error NAME EXPR TEXT)             EXPR throws; the message contains TEXT
///     (check-differs NAME EXPR EXPECTED)       like `check`; rlm-plan deliberately differs from
///     (check-error-differs NAME EXPR TEXT)     Racket here (like `check-error`)
///
/// Every other form is evaluated for its effect; if it throws, that is a failure too.
/// Strings are compared code point by code point (Swift's `==` would equate "é" and "e\u{301}").
enum SchemeCorpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("scheme")

    /// Listed by hand so each file is its own test case; `listMatchesDirectory` keeps it honest.
    static let files = [
        "adversarial.scm", "case-lambda.scm", "chars.scm", "control.scm", "deep-recursion.scm",
        "define-lambda.scm", "equality.scm", "escapes.scm", "handlers.scm", "hashes.scm",
        "json.scm", "let-forms.scm", "lists.scm", "loops.scm", "macros.scm", "numbers.scm",
        "parameterize.scm", "printing.scm", "quasiquote.scm", "reader.scm", "sort.scm", "special-forms.scm",
        "strings.scm", "structs.scm", "tail-calls.scm", "values.scm", "vectors.scm",
    ]

    static let checkHeads: Set<String> = ["check", "check-display", "check-error", "check-differs", "check-error-differs"]

    static func text(of file: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }
}

/// One assertion form of the corpus.
struct SchemeCheck {
    enum Kind { case write, display, error }
    var kind: Kind
    var name: String
    var expression: Value
    var expected: String

    /// Parses `(check… "name" expr "expected")`; nil when `form` is not an assertion.
    /// Throws a description when the form is an assertion but malformed.
    static func parse(_ form: Value) throws -> SchemeCheck? {
        guard case .pair(let p) = form, case .symbol(let head) = p.car,
              SchemeCorpus.checkHeads.contains(head.name) else { return nil }
        guard let parts = form.listToArray(), parts.count == 4,
              case .string(let name) = parts[1], case .string(let expected) = parts[3] else {
            throw CorpusFormatError(description: "malformed \(head.name) form: \(Printer.write(form, limit: 120))")
        }
        let kind: Kind
        switch head.name {
        case "check", "check-differs": kind = .write
        case "check-display": kind = .display
        default: kind = .error
        }
        return SchemeCheck(kind: kind, name: name.string, expression: parts[2], expected: expected.string)
    }
}

struct CorpusFormatError: Error, CustomStringConvertible {
    var description: String
}

/// Code-point equality and containment (no Unicode canonical equivalence).
func scalarsEqual(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

func scalarsContain(_ haystack: String, _ needle: String) -> Bool {
    let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
    if n.isEmpty { return true }
    if n.count > h.count { return false }
    outer: for start in 0...(h.count - n.count) {
        for j in 0..<n.count where h[start + j] != n[j] { continue outer }
        return true
    }
    return false
}

@Suite("Scheme language corpus")
struct SchemeFileTests {
    @Test("corpus file passes", .timeLimit(.minutes(10)), arguments: SchemeCorpus.files)
    func corpusFile(_ file: String) throws {
        let text = try SchemeCorpus.text(of: file)
        var reader = Reader(text, sourceName: file)
        let forms = try reader.readAll()
        // Language semantics, not limits: the 10,000,000-iteration loop of tail-calls.scm must not
        // trip the default CPU limit in a debug build. The nesting-depth limits still apply.
        let session = SandboxSession(limits: .unlimited)
        var assertions = 0

        for form in forms {
            guard let check = try SchemeCheck.parse(form) else {
                do {
                    _ = try session.evaluate(datum: form)
                } catch {
                    Issue.record("\(file): top-level form \(Printer.write(form, limit: 80)) failed: \(error)")
                }
                continue
            }
            assertions += 1
            let label = "\(file): \(check.name)"
            switch check.kind {
            case .write, .display:
                do {
                    let value = try session.evaluate(datum: check.expression)
                    let rendered = check.kind == .write ? Printer.write(value) : Printer.display(value)
                    #expect(scalarsEqual(rendered, check.expected),
                            "\(label): expected \(check.expected.debugDescription), got \(rendered.debugDescription)")
                } catch {
                    Issue.record("\(label): raised \(String(describing: error).debugDescription)")
                }
            case .error:
                do {
                    let value = try session.evaluate(datum: check.expression)
                    Issue.record("\(label): expected an error containing \(check.expected.debugDescription), got value \(Printer.write(value, limit: 200))")
                } catch let error as SchemeError {
                    #expect(scalarsContain(error.message, check.expected),
                            "\(label): message \(error.message.debugDescription) does not contain \(check.expected.debugDescription)")
                } catch {
                    Issue.record("\(label): threw a non-Scheme error \(error)")
                }
            }
        }
        #expect(assertions > 0, "\(file): no check forms were found")
    }

    @Test("every .scm file in the folder is listed")
    func listMatchesDirectory() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: SchemeCorpus.directory.path)
            .filter { $0.hasSuffix(".scm") }
            .sorted()
        #expect(onDisk == SchemeCorpus.files.sorted())
    }

    @Test("the corpus has at least 350 assertions, all well formed")
    func corpusSize() throws {
        var total = 0
        for file in SchemeCorpus.files {
            var reader = Reader(try SchemeCorpus.text(of: file), sourceName: file)
            for form in try reader.readAll() {
                if try SchemeCheck.parse(form) != nil { total += 1 }
            }
        }
        #expect(total >= 350, "only \(total) check forms")
    }
}
