/// JSON output pieces shared by `JSONValue.serialized()` and `jsexpr->string` (reference §4.9):
/// UTF-8 with non-ASCII characters literal, `"` and `\` escaped, control characters and DEL as
/// `\n \t \r \b \f` or `\u00XX`.
enum JSONText {
    /// JSON's four whitespace bytes.
    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    /// Appends `s` as a JSON string literal.
    static func appendQuoted<S: Sequence<Unicode.Scalar>>(_ s: S, to out: inout String) {
        out += "\""
        for c in s {
            switch c.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0..<0x20, 0x7F:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(c)
            }
        }
        out += "\""
    }

    /// A finite double in Racket's shortest form (`1.0`, `0.1`, `1e+21`); nil for inf and NaN,
    /// which JSON cannot express.
    static func double(_ d: Double) -> String? {
        d.isFinite ? NumberFormat.render(.double(d)) : nil
    }

    /// Racket's printed form of a byte string, `#"x\303\251"`, for parse error messages.
    static func bytesLiteral(_ bytes: ArraySlice<UInt8>) -> String {
        var out = "#\""
        var k = bytes.startIndex
        while k < bytes.endIndex {
            let b = bytes[k]
            k += 1
            switch b {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0B: out += "\\v"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                // Octal, padded to three digits only when a digit follows (as Racket prints).
                var octal = String(b, radix: 8)
                if k < bytes.endIndex, bytes[k] >= UInt8(ascii: "0"), bytes[k] <= UInt8(ascii: "7") {
                    octal = String(repeating: "0", count: 3 - octal.count) + octal
                }
                out += "\\" + octal
            }
        }
        return out + "\""
    }
}
