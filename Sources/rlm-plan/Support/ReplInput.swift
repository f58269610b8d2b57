import Sandbox

/// What the REPL should do with the text typed so far.
enum ReplInput: Equatable {
    /// Only whitespace and comments: nothing to run.
    case blank
    /// An open bracket, string, `|symbol|` or block comment still waits for its end: read another line.
    case incomplete
    /// `(exit)`: leave the REPL.
    case exit
    /// Ready to evaluate (possibly only to report a reader error).
    case complete

    /// Classifies `text`: a bracket scanner decides whether more input is needed (it does not
    /// depend on the wording of reader errors); complete input is then read by the sandbox's
    /// reader to recognise blank input and `(exit)`.
    init(_ text: String) {
        if BracketScanner.needsMore(text) {
            self = .incomplete
            return
        }
        var reader = Reader(text, sourceName: "repl")
        guard let forms = try? reader.readAll() else {
            self = .complete
            return
        }
        if forms.isEmpty {
            self = .blank
        } else if forms.count == 1, Self.isExitCall(forms[0]) {
            self = .exit
        } else {
            self = .complete
        }
    }

    /// `(exit)` exactly.
    private static func isExitCall(_ form: Value) -> Bool {
        guard case .pair(let p) = form, case .symbol(let head) = p.car, head.name == "exit",
              case .null = p.cdr else { return false }
        return true
    }
}

/// Finds out whether Scheme text stops inside an open bracket, string, `|symbol|` or `#| |#`
/// comment, understanding `;` comments and character literals such as `#\(` and `#\"`.
enum BracketScanner {
    /// True when `text` is an unfinished prefix: more lines could complete it. Extra closing
    /// brackets do not count as unfinished (the reader reports them).
    static func needsMore(_ text: String) -> Bool {
        var depth = 0
        var scalars = text.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            switch c {
            case "(", "[", "{":
                depth += 1
            case ")", "]", "}":
                depth -= 1
            case ";":
                while let d = scalars.next(), d != "\n" {}
            case "\"":
                if !skipString(&scalars) { return true }
            case "|":
                if !skipPipeSymbol(&scalars) { return true }
            case "#":
                guard let d = scalars.next() else { break }
                switch d {
                case "\\":
                    _ = scalars.next()  // the character itself, even a bracket or quote
                case "|":
                    if !skipBlockComment(&scalars) { return true }
                case "(", "[", "{":
                    depth += 1  // vector
                case "\"":
                    if !skipString(&scalars) { return true }  // byte string
                default:
                    break
                }
            default:
                break
            }
        }
        return depth > 0
    }

    /// Skips to the closing `"`; false if the text ends first.
    private static func skipString(_ s: inout String.UnicodeScalarView.Iterator) -> Bool {
        while let c = s.next() {
            if c == "\\" { _ = s.next() } else if c == "\"" { return true }
        }
        return false
    }

    /// Skips to the closing `|`; false if the text ends first.
    private static func skipPipeSymbol(_ s: inout String.UnicodeScalarView.Iterator) -> Bool {
        while let c = s.next() {
            if c == "|" { return true }
        }
        return false
    }

    /// Skips a `#| … |#` comment (which nests); false if the text ends first.
    private static func skipBlockComment(_ s: inout String.UnicodeScalarView.Iterator) -> Bool {
        var nesting = 1
        var previous: Unicode.Scalar = " "
        while let c = s.next() {
            if previous == "|" && c == "#" {
                nesting -= 1
                if nesting == 0 { return true }
                previous = " "
            } else if previous == "#" && c == "|" {
                nesting += 1
                previous = " "
            } else {
                previous = c
            }
        }
        return false
    }
}
