/// Splits source text into tokens for `Reader`, tracking line and column.
struct Lexer {
    enum Kind {
        case open(Unicode.Scalar, close: Unicode.Scalar)
        case openVector
        /// `#hash(`, `#hasheq(`, `#hasheqv(`: an immutable hash table literal of `(key . value)` pairs.
        case openHash(HashKind)
        case close(Unicode.Scalar)
        case prefix(String, text: Unicode.Scalar)
        case box
        case datumComment
        case dot
        case atom(Value)
        case eof
    }
    struct Token {
        var kind: Kind
        var position: SourcePosition
    }

    let text: [Unicode.Scalar]
    var index = 0
    var line = 1
    var column = 0
    let sourceName: String?

    init(_ text: [Unicode.Scalar], sourceName: String?) {
        self.text = text
        self.sourceName = sourceName
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column, source: sourceName) }

    @inline(__always) private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < text.count ? text[i] : nil
    }

    @inline(__always) private mutating func advance() -> Unicode.Scalar {
        let c = text[index]
        index += 1
        if c == "\n" { line += 1; column = 0 } else { column += 1 }
        return c
    }

    static func isDelimiter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "(", ")", "[", "]", "{", "}", "\"", ";", "'", "`", ",": return true
        default: return c.properties.isWhitespace
        }
    }

    private mutating func skipAtmosphere() throws {
        while let c = peek() {
            if c.properties.isWhitespace { _ = advance(); continue }
            if c == ";" {
                while let d = peek(), d != "\n" { _ = advance() }
                continue
            }
            if c == "#", peek(1) == "|" {
                let start = position
                _ = advance(); _ = advance()
                var depth = 1
                while depth > 0 {
                    guard let d = peek() else { throw SchemeError.read("end of file in `#|` comment", at: start) }
                    if d == "|", peek(1) == "#" { _ = advance(); _ = advance(); depth -= 1 }
                    else if d == "#", peek(1) == "|" { _ = advance(); _ = advance(); depth += 1 }
                    else { _ = advance() }
                }
                continue
            }
            if c == "#", peek(1) == "!" , index == 0 {
                // `#!` line at the very start (a script's interpreter line or `#lang`-like header).
                while let d = peek(), d != "\n" { _ = advance() }
                continue
            }
            break
        }
    }

    mutating func next() throws -> Token {
        try skipAtmosphere()
        let pos = position
        guard let c = peek() else { return Token(kind: .eof, position: pos) }
        switch c {
        case "(": _ = advance(); return Token(kind: .open("(", close: ")"), position: pos)
        case "[": _ = advance(); return Token(kind: .open("[", close: "]"), position: pos)
        case "{": _ = advance(); return Token(kind: .open("{", close: "}"), position: pos)
        case ")", "]", "}": _ = advance(); return Token(kind: .close(c), position: pos)
        case "'": _ = advance(); return Token(kind: .prefix("quote", text: "'"), position: pos)
        case "`": _ = advance(); return Token(kind: .prefix("quasiquote", text: "`"), position: pos)
        case ",":
            _ = advance()
            if peek() == "@" { _ = advance(); return Token(kind: .prefix("unquote-splicing", text: ","), position: pos) }
            return Token(kind: .prefix("unquote", text: ","), position: pos)
        case "\"":
            return Token(kind: .atom(.string(MString(try readString(start: pos), mutable: false))), position: pos)
        case "#":
            return try readHash(pos)
        case "|":
            return Token(kind: .atom(.symbol(Symbol.intern(try readSymbolText()))), position: pos)
        default:
            let (text, hadBars) = try readAtomText()
            if text == "." && !hadBars { return Token(kind: .dot, position: pos) }
            if !hadBars, let n = NumberFormat.parse(text) { return Token(kind: .atom(n), position: pos) }
            return Token(kind: .atom(.symbol(Symbol.intern(text))), position: pos)
        }
    }

    /// Reads symbol/number text up to a delimiter; `|…|` segments are literal.
    private mutating func readAtomText() throws -> (String, Bool) {
        var s = String.UnicodeScalarView()
        var hadBars = false
        while let c = peek() {
            if c == "|" {
                hadBars = true
                let start = position
                _ = advance()
                while true {
                    guard let d = peek() else { throw SchemeError.read("unterminated `|` in symbol", at: start) }
                    _ = advance()
                    if d == "|" { break }
                    s.append(d)
                }
                continue
            }
            if c == "\\" {
                _ = advance()
                if let d = peek() { _ = advance(); s.append(d) }
                continue
            }
            if Lexer.isDelimiter(c) { break }
            s.append(advance())
        }
        return (String(s), hadBars)
    }

    private mutating func readSymbolText() throws -> String {
        try readAtomText().0
    }

    private mutating func readString(start: SourcePosition) throws -> [Unicode.Scalar] {
        _ = advance() // opening quote
        var out: [Unicode.Scalar] = []
        while true {
            guard let c = peek() else { throw SchemeError.read("expected a closing `\"`", at: start) }
            _ = advance()
            if c == "\"" { return out }
            if c != "\\" { out.append(c); continue }
            guard let e = peek() else { throw SchemeError.read("expected a closing `\"`", at: start) }
            let escPos = position
            _ = advance()
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "a": out.append("\u{7}")
            case "b": out.append("\u{8}")
            case "v": out.append("\u{B}")
            case "f": out.append("\u{C}")
            case "e": out.append("\u{1B}")
            case "0"..."7":
                var value = Int(e.value - 48)
                var digits = 1
                while digits < 3, let d = peek(), ("0"..."7").contains(d) {
                    value = value * 8 + Int(d.value - 48); _ = advance(); digits += 1
                }
                guard let s = Unicode.Scalar(value) else { throw SchemeError.read("bad octal escape in string", at: escPos) }
                out.append(s)
            case "x", "u", "U":
                let maxDigits = e == "x" ? 2 : (e == "u" ? 4 : 8)
                var value = 0
                var digits = 0
                while digits < maxDigits, let d = peek(), d.properties.isASCIIHexDigit {
                    value = value * 16 + Int(String(d), radix: 16)!
                    _ = advance(); digits += 1
                }
                if e == "x", peek() == ";" { _ = advance() }
                guard digits > 0 else { throw SchemeError.read("no hex digit following `\\\(e)` in string", at: escPos) }
                // A UTF-16 surrogate pair written as two \u escapes combines into one character.
                if e == "u", (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u" {
                    let save = (index, line, column)
                    _ = advance(); _ = advance()
                    var low = 0, n = 0
                    while n < 4, let d = peek(), d.properties.isASCIIHexDigit {
                        low = low * 16 + Int(String(d), radix: 16)!; _ = advance(); n += 1
                    }
                    if n == 4, (0xDC00...0xDFFF).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        (index, line, column) = save
                    }
                }
                guard let s = Unicode.Scalar(value) else {
                    throw SchemeError.read("escape `\\\(e)` does not name a Unicode character", at: escPos)
                }
                out.append(s)
            case "\n":
                // Backslash-newline: skip the newline and leading whitespace on the next line.
                while let d = peek(), d == " " || d == "\t" { _ = advance() }
            default:
                if e == "\\" || e == "\"" || e == "'" { out.append(e) }
                else { throw SchemeError.read("unknown escape sequence `\\\(e)` in string", at: escPos) }
            }
        }
    }

    private static let charNames: [String: Unicode.Scalar] = [
        "space": " ", "newline": "\n", "linefeed": "\n", "tab": "\t", "nul": "\u{0}", "null": "\u{0}",
        "return": "\r", "backspace": "\u{8}", "delete": "\u{7F}", "rubout": "\u{7F}", "escape": "\u{1B}",
        "altmode": "\u{1B}", "alarm": "\u{7}", "vtab": "\u{B}", "page": "\u{C}",
    ]

    private mutating func readHash(_ pos: SourcePosition) throws -> Token {
        _ = advance() // '#'
        guard let c = peek() else { throw SchemeError.read("bad syntax `#`", at: pos) }
        switch c {
        case "(", "[", "{":
            _ = advance()
            if c != "(" { throw SchemeError.read("bad syntax `#\(c)`", at: pos) }
            return Token(kind: .openVector, position: pos)
        case ";":
            _ = advance()
            return Token(kind: .datumComment, position: pos)
        case "&":
            _ = advance()
            return Token(kind: .box, position: pos)
        case "'":
            _ = advance()
            return Token(kind: .prefix("syntax", text: "'"), position: pos)
        case "\\":
            _ = advance()
            guard let first = peek() else { throw SchemeError.read("expected a character after `#\\`", at: pos) }
            _ = advance()
            var name = String.UnicodeScalarView([first])
            while let d = peek(), !Lexer.isDelimiter(d) { name.append(advance()) }
            let text = String(name)
            if text.unicodeScalars.count == 1 { return Token(kind: .atom(.char(first)), position: pos) }
            if let named = Lexer.charNames[text.lowercased()] { return Token(kind: .atom(.char(named)), position: pos) }
            if first == "x" || first == "u" || first == "U", let code = UInt32(text.dropFirst(), radix: 16),
               let s = Unicode.Scalar(code) {
                return Token(kind: .atom(.char(s)), position: pos)
            }
            if first.properties.numericType != nil, text.allSatisfy({ ("0"..."7").contains($0) }), let code = UInt32(text, radix: 8),
               let s = Unicode.Scalar(code) {
                return Token(kind: .atom(.char(s)), position: pos)
            }
            throw SchemeError.read("bad character constant `#\\\(text)`", at: pos)
        case ":":
            _ = advance()
            let (text, _) = try readAtomText()
            if text.isEmpty { throw SchemeError.read("bad keyword `#:`", at: pos) }
            return Token(kind: .atom(.keyword(Symbol.intern(text))), position: pos)
        default:
            let (text, _) = try readAtomText()
            switch text {
            case "t", "true": return Token(kind: .atom(.true), position: pos)
            case "f", "false": return Token(kind: .atom(.false), position: pos)
            case "hash", "hasheq", "hasheqv" where peek() == "(" || peek() == "[":
                _ = advance()
                return Token(kind: .openHash(text == "hash" ? .equal : (text == "hasheq" ? .eq : .eqv)), position: pos)
            default:
                if let n = NumberFormat.parse("#" + text) { return Token(kind: .atom(n), position: pos) }
                throw SchemeError.read("bad syntax `#\(text)`", at: pos)
            }
        }
    }
}
