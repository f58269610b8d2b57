/// A parsed `format` / `printf` string (Racket's `format` directives).
///
/// Directives: `~a` display, `~s` write, `~v` and `~e` print, `~c` a character, `~b ~o ~x`
/// an exact number in base 2, 8 or 16, `~n` and `~%` a newline, `~~` a tilde, and `~` followed
/// by whitespace, which skips that whitespace up to and including one newline. Letters may be
/// upper case; `~.a` (Racket's truncating form) is accepted and prints in full. Error texts are
/// Racket's (checked against Racket 8.7).
struct FormatTemplate {
    enum Directive {
        case display, write, print, char
        case radix(Int)
    }

    enum Piece {
        case text([Unicode.Scalar])
        case argument(Directive)
    }

    let pieces: [Piece]
    let argumentCount: Int

    /// Parses `format`, checking it against the arguments that will fill it.
    ///
    /// - Throws: `ill-formed pattern string` errors, and Racket's count mismatch
    ///   `format: format string requires 1 arguments, given 0`.
    init(_ format: [Unicode.Scalar], who: String, arguments: [Value]) throws {
        var pieces: [Piece] = []
        var text: [Unicode.Scalar] = []
        var count = 0
        var i = 0
        func flush() {
            if !text.isEmpty { pieces.append(.text(text)) }
            text = []
        }
        while i < format.count {
            let c = format[i]
            i += 1
            guard c == "~" else {
                text.append(c)
                continue
            }
            guard i < format.count else {
                throw FormatTemplate.illFormed(who, "cannot end in `~`", arguments)
            }
            var tag = format[i]
            i += 1
            if tag == ".", i < format.count, "aAsSvV".unicodeScalars.contains(format[i]) {
                tag = format[i]
                i += 1
            }
            var directive: Directive?
            switch tag {
            case "a", "A": directive = .display
            case "s", "S": directive = .write
            case "v", "V", "e", "E": directive = .print
            case "c", "C": directive = .char
            case "b", "B": directive = .radix(2)
            case "o", "O": directive = .radix(8)
            case "x", "X": directive = .radix(16)
            case "n", "N", "%": text.append("\n")
            case "~": text.append("~")
            default:
                guard tag.properties.isWhitespace else {
                    throw FormatTemplate.illFormed(who, "tag `~\(Character(tag))` not allowed", arguments)
                }
                i = FormatTemplate.skipWhitespace(format, from: i - 1)
            }
            if let directive {
                flush()
                pieces.append(.argument(directive))
                count += 1
            }
        }
        flush()
        if count != arguments.count {
            throw SchemeError(.contract, "\(who): format string requires \(count) arguments, given \(arguments.count)"
                              + FormatTemplate.argumentsWere(arguments))
        }
        self.pieces = pieces
        self.argumentCount = count
    }

    /// `~<whitespace>`: skips non-newline whitespace, one newline, then non-newline whitespace.
    private static func skipWhitespace(_ format: [Unicode.Scalar], from start: Int) -> Int {
        var i = start
        func skipBlanks() {
            while i < format.count, format[i] != "\n", format[i].properties.isWhitespace { i += 1 }
        }
        skipBlanks()
        if i < format.count, format[i] == "\n" {
            i += 1
            skipBlanks()
        }
        return i
    }

    /// Fills the template; `arguments` must be the ones it was parsed against.
    func render(_ arguments: [Value], who: String) throws -> String {
        var out = ""
        var next = 0
        for piece in pieces {
            switch piece {
            case .text(let t):
                out.appendScalars(t)
            case .argument(let d):
                let v = arguments[next]
                next += 1
                switch d {
                case .display: out += Printer.display(v)
                case .write: out += Printer.write(v)
                case .print: out += Printer.print(v)
                case .char:
                    guard case .char(let c) = v else {
                        throw FormatTemplate.badArgument(who, "a character", v, arguments)
                    }
                    out.unicodeScalars.append(c)
                case .radix(let r):
                    guard let digits = FormatTemplate.inRadix(v, r) else {
                        throw FormatTemplate.badArgument(who, "a exact integer", v, arguments)
                    }
                    out += digits
                }
            }
        }
        return out
    }

    /// An exact integer or rational in base `radix`, lower-case digits (`~x` of 255 → `ff`).
    static func inRadix(_ v: Value, _ radix: Int) -> String? {
        switch v {
        case .int(let i): return String(i, radix: radix)
        case .object(let b as BigNum): return String(b.value, radix: radix)
        case .object(let q as Ratnum): return String(q.numerator, radix: radix) + "/" + String(q.denominator, radix: radix)
        default: return nil
        }
    }

    // MARK: Errors

    /// `; arguments were: 1 "two"`, or nothing when there are no arguments.
    static func argumentsWere(_ arguments: [Value]) -> String {
        guard !arguments.isEmpty else { return "" }
        return "; arguments were: " + arguments.map { Printer.print($0, limit: 200) }.joined(separator: " ")
    }

    static func illFormed(_ who: String, _ explanation: String, _ arguments: [Value]) -> SchemeError {
        SchemeError(.contract, "\(who): ill-formed pattern string\n  explanation: \(explanation)" + argumentsWere(arguments))
    }

    static func badArgument(_ who: String, _ wanted: String, _ v: Value, _ arguments: [Value]) -> SchemeError {
        SchemeError(.contract, "\(who): format string requires \(wanted), given something else\n  bad argument: \(Printer.print(v, limit: 200))" + argumentsWere(arguments),
                    irritants: [v])
    }
}

/// `format`, `printf`, `fprintf`, `eprintf`.
func registerFormat(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    /// Formats `args[from]` with the arguments after it.
    func formatted(_ args: Arguments, from: Int, _ who: String) throws -> String {
        guard case .string(let fmt) = args[from] else {
            throw SchemeError.contract(who, expected: "string?", given: args[from])
        }
        let rest = args.array(from: from + 1)
        let text = try FormatTemplate(fmt.scalars, who: who, arguments: rest).render(rest, who: who)
        try rt.reserve(bytes: text.utf8.count)
        return text
    }

    lib.fn("format", 1, nil) { args in .string(MString(try formatted(args, from: 0, "format"))) }
    lib.fn("printf", 1, nil) { args in
        try rt.currentOutputPort().write(try formatted(args, from: 0, "printf"))
        return .void
    }
    lib.fn("eprintf", 1, nil) { args in
        try rt.currentErrorPort().write(try formatted(args, from: 0, "eprintf"))
        return .void
    }
    lib.fn("fprintf", 2, nil) { args in
        let port = try IOPorts.output(args[0], "fprintf")
        try port.write(try formatted(args, from: 1, "fprintf"))
        return .void
    }
}
