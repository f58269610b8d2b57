/// Strings, characters and symbols in Racket's printed syntax (checked against Racket 8.7):
/// `"a\nb"`, `#\space`, `#\u0007`, `|a b|`, `a\|b`.
extension Printer {
    /// Appends a string, quoted and escaped in write mode.
    ///
    /// Escapes follow Racket: `\a \b \t \n \v \f \r \e \" \\`; other characters that are neither
    /// graphic nor blank become `\uXXXX` (or `\UXXXXXXXX` above the BMP); everything else,
    /// including non-ASCII letters and no-break spaces, stays literal.
    static func appendString(_ scalars: [Unicode.Scalar], write: Bool, to out: inout String) {
        if !write {
            out.appendScalars(scalars)
            return
        }
        out += "\""
        for c in scalars {
            let v = c.value
            if v >= 0x20 && v < 0x7F {
                if c == "\"" { out += "\\\"" } else if c == "\\" { out += "\\\\" } else { out.unicodeScalars.append(c) }
                continue
            }
            switch v {
            case 7: out += "\\a"
            case 8: out += "\\b"
            case 9: out += "\\t"
            case 10: out += "\\n"
            case 11: out += "\\v"
            case 12: out += "\\f"
            case 13: out += "\\r"
            case 27: out += "\\e"
            default:
                if isGraphic(c) || c.properties.generalCategory == .spaceSeparator {
                    out.unicodeScalars.append(c)
                } else {
                    out += hexEscape(v)
                }
            }
        }
        out += "\""
    }

    /// Appends a character: itself in display mode, `#\…` in write mode.
    static func appendChar(_ c: Unicode.Scalar, write: Bool, to out: inout String) {
        guard write else {
            out.unicodeScalars.append(c)
            return
        }
        out += "#\\"
        switch c.value {
        case 0: out += "nul"
        case 8: out += "backspace"
        case 9: out += "tab"
        case 10: out += "newline"
        case 11: out += "vtab"
        case 12: out += "page"
        case 13: out += "return"
        case 32: out += "space"
        case 127: out += "rubout"
        default:
            if isGraphic(c) { out.unicodeScalars.append(c) } else { out += hexEscape(c.value).dropFirst() }
        }
    }

    /// `\u00A0`-style escape: four upper-case hex digits, or `\U` and eight above U+FFFF.
    static func hexEscape(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        if v <= 0xFFFF { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Racket's `char-graphic?`: letters, marks, numbers, punctuation and symbols.
    static func isGraphic(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Characters that end a symbol in Racket's reader and so force quoting.
    static func isDelimiter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "(", ")", "[", "]", "{", "}", "\"", ",", "'", "`", ";", "|", "\\": return true
        default: return c.properties.isWhitespace
        }
    }

    /// Appends a symbol (or a keyword's name after `#:`), quoted in write mode when the reader
    /// would not read it back as the same symbol.
    ///
    /// Racket uses `|…|` around the whole name, except when the name contains `|`; then each
    /// special character gets a backslash instead (`a\|b\ c`).
    static func appendSymbol(_ name: String, write: Bool, keyword: Bool = false, to out: inout String) {
        guard write, symbolNeedsQuoting(name, keyword: keyword) else {
            out += name
            return
        }
        guard name.unicodeScalars.contains("|") else {
            out += "|" + name + "|"
            return
        }
        for (i, c) in name.unicodeScalars.enumerated() {
            if isDelimiter(c) || (i == 0 && c == "#") { out += "\\" }
            out.unicodeScalars.append(c)
        }
    }

    /// True when a symbol's name must be quoted to read back: empty, `.`, number-like, starting
    /// with `#` (but `#%` is fine), or containing a delimiter or whitespace.
    static func symbolNeedsQuoting(_ name: String, keyword: Bool) -> Bool {
        let scalars = name.unicodeScalars
        guard let first = scalars.first else { return !keyword }
        if name == "." { return true }
        if first == "#" {
            let second = scalars.dropFirst().first
            if second != "%" { return true }
        }
        if scalars.contains(where: isDelimiter) { return true }
        return !keyword && NumberSyntax.couldBeNumber(name)
    }

    /// `#<procedure:name>`, or `#<procedure>` for anonymous procedures.
    static func appendProcedureName(_ name: String?, to out: inout String) {
        if let name { out += "#<procedure:" + name + ">" } else { out += "#<procedure>" }
    }
}

extension String {
    /// Appends code points in place, in time proportional to their count.
    ///
    /// `unicodeScalars.append(contentsOf:)` goes through `String +` and copies the whole string
    /// each time, which made printing a list of strings quadratic (`(finish (make-list 300000
    /// "abcdefghi"))` took 48 s; perf: memmove under `prepareForAppendInPlace`). The scalars are
    /// encoded in one UTF-8 buffer (`MString.string`): a `UnicodeScalarView` built scalar by scalar
    /// was 16% of simulating a fan-out whose finish value holds 100 replies (perf).
    mutating func appendScalars(_ scalars: [Unicode.Scalar]) {
        self.append(MString(scalars, mutable: false).string)
    }
}
