import Sandbox

/// What the REPL should do with the text typed so far.
enum ReplInput: Equatable {
    /// Only whitespace and comments: nothing to run.
    case blank
    /// An open list, string, block comment or prefix still waits for its end: read another line.
    case incomplete
    /// `(exit)`: leave the REPL.
    case exit
    /// Ready to evaluate (possibly to report a reader error).
    case complete

    /// Classifies `text` with the sandbox's own reader, so strings, character literals and all
    /// comment forms are understood exactly as `eval` will understand them.
    init(_ text: String) {
        var reader = Reader(text, sourceName: "repl")
        do {
            let forms = try reader.readAll()
            if forms.isEmpty {
                self = .blank
            } else if forms.count == 1, Self.isExitCall(forms[0]) {
                self = .exit
            } else {
                self = .complete
            }
        } catch let error as SchemeError where error.code == .read && Self.endedEarly(error.message) {
            self = .incomplete
        } catch {
            self = .complete
        }
    }

    /// True for the reader errors that are raised only at end of input (Sources/Sandbox/Reader),
    /// i.e. the input is a prefix of something readable.
    static func endedEarly(_ message: String) -> Bool {
        guard let range = message.firstRange(of: "read: ") else { return false }
        let what = message[range.upperBound...]
        return (what.hasPrefix("expected a `") && what.contains("` to close `"))
            || what.hasPrefix("expected a closing `\"`")
            || what.hasPrefix("unterminated `")
            || what.hasPrefix("expected an element after `")
            || what.hasPrefix("expected a datum after `#;`")
    }

    /// `(exit)` exactly.
    private static func isExitCall(_ form: Value) -> Bool {
        guard case .pair(let p) = form, case .symbol(let head) = p.car, head.name == "exit",
              case .null = p.cdr else { return false }
        return true
    }
}
