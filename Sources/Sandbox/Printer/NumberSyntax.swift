/// Recognises text that Racket's reader would take as a number, so the printer can quote symbols
/// with such names (`(string->symbol "1/2")` writes as `|1/2|`).
///
/// The grammar is Racket's decimal number syntax: optional sign, digits with `#` placeholders,
/// fractions, decimal points, exponent markers `e s f d l t`, the specials `+inf.0`/`+nan.0`
/// (and `.f`/`.t`), and complex forms `a+bi` / `a@b`. Prefixed forms (`#x10`) start with `#`
/// and are quoted for that reason already. Erring towards "number" only adds harmless bars.
enum NumberSyntax {
    static func couldBeNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }) else { return false }
        let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if let at = lower.firstIndex(of: UInt8(ascii: "@")) {
            return isReal(lower[..<at]) && isReal(lower[(at + 1)...])
        }
        if isReal(lower[...]) { return true }
        guard lower.last == UInt8(ascii: "i") else { return false }
        let body = lower.dropLast()
        // Imaginary part: the last sign not part of an exponent starts it.
        var i = body.endIndex
        while i > body.startIndex {
            i -= 1
            let c = body[i]
            guard c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else { continue }
            if i > body.startIndex, isExponentMarker(body[i - 1]), i - 1 > body.startIndex,
               isDigitLike(body[i - 2]) {
                continue
            }
            let realPart = body[body.startIndex..<i]
            let imagPart = body[i...]
            let imagOK = imagPart.count == 1 || isReal(imagPart)
            return imagOK && (realPart.isEmpty || isReal(realPart))
        }
        return false
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static func isDigitLike(_ c: UInt8) -> Bool { isDigit(c) || c == UInt8(ascii: "#") || c == UInt8(ascii: ".") }
    private static func isExponentMarker(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "e"), UInt8(ascii: "s"), UInt8(ascii: "f"), UInt8(ascii: "d"),
             UInt8(ascii: "l"), UInt8(ascii: "t"): return true
        default: return false
        }
    }

    /// `[+-]? ureal`, or a signed special (`+inf.0`, `-nan.f`).
    static func isReal(_ s: ArraySlice<UInt8>) -> Bool {
        guard let first = s.first else { return false }
        var body = s
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            body = s.dropFirst()
            let special = String(decoding: body, as: UTF8.self)
            if ["inf.0", "nan.0", "inf.f", "nan.f", "inf.t", "nan.t"].contains(special) { return true }
        }
        return isUnsignedReal(body)
    }

    /// `uinteger (/ uinteger)?` or a decimal with optional exponent.
    private static func isUnsignedReal(_ s: ArraySlice<UInt8>) -> Bool {
        if let slash = s.firstIndex(of: UInt8(ascii: "/")) {
            return isUnsignedInteger(s[..<slash]) && isUnsignedInteger(s[(slash + 1)...])
        }
        var mantissa = s
        if let e = s.firstIndex(where: isExponentMarker) {
            mantissa = s[..<e]
            var exp = s[(e + 1)...]
            if let sign = exp.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exp = exp.dropFirst() }
            guard !exp.isEmpty, exp.allSatisfy(isDigit) else { return false }
        }
        return isDecimal(mantissa)
    }

    /// `digit+ #*`.
    private static func isUnsignedInteger(_ s: ArraySlice<UInt8>) -> Bool {
        guard let first = s.first, isDigit(first) else { return false }
        var seenHash = false
        for c in s {
            if c == UInt8(ascii: "#") { seenHash = true } else if !isDigit(c) || seenHash { return false }
        }
        return true
    }

    /// Digits (with trailing `#`s) around at most one `.`, at least one digit in all.
    private static func isDecimal(_ s: ArraySlice<UInt8>) -> Bool {
        guard let dot = s.firstIndex(of: UInt8(ascii: ".")) else { return isUnsignedInteger(s) }
        let whole = s[..<dot]
        let frac = s[(dot + 1)...]
        if !whole.isEmpty && !isUnsignedInteger(whole) { return false }
        if whole.isEmpty {
            guard let f = frac.first, isDigit(f) else { return false }
        }
        if frac.isEmpty { return !whole.isEmpty }
        // After the point: digits then `#`s; only `#`s if the whole part ended in `#`.
        var seenHash = false
        for c in frac {
            if c == UInt8(ascii: "#") { seenHash = true } else if !isDigit(c) || seenHash { return false }
        }
        return true
    }
}
