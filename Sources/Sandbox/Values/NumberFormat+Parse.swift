import BigInt

/// Racket's numeric token syntax, used by the reader for every atom and by `string->number`.
///
/// Accepted: integers of any size, decimals with optional exponent (`e`, `d`, `f`, `s`, `l` in
/// base 10) as flonums, `n/d` fractions (normalised; a zero denominator is not a number), the
/// prefixes `#x #b #o #d` (radix) and `#e #i` (exactness) in either order, `+inf.0 -inf.0 +nan.0`,
/// and rectangular complex numbers (`1+2i`, `+i`). Not numbers: `+`, `-`, `...`, `1+`, `a1`.
extension NumberFormat {
    /// Exactness forced by a `#e` / `#i` prefix.
    enum Exactness { case exact, inexact }

    /// The largest decimal exponent `#e` expands exactly (`#e1e100000` would be a 40 KB integer).
    static let maxExactExponent = 100_000

    /// Parses a numeric token (`42`, `-1.5e3`, `1/3`, `#x1F`, `+inf.0`); nil when it is not a number.
    static func parse(_ token: String, radix: Int = 10) -> Value? {
        guard let first = token.utf8.first else { return nil }
        // Fast rejection: most atoms the reader sees are symbols.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "."), UInt8(ascii: "#"):
            break
        default:
            if radix <= 10 { return nil }
        }
        let bytes = Array(token.utf8)
        var radix = radix
        var exactness: Exactness? = nil
        var sawRadix = false
        var i = 0
        while i < bytes.count && bytes[i] == UInt8(ascii: "#") {
            guard i + 1 < bytes.count else { return nil }
            switch bytes[i + 1] | 0x20 {
            case UInt8(ascii: "x"), UInt8(ascii: "b"), UInt8(ascii: "o"), UInt8(ascii: "d"):
                if sawRadix { return nil }
                sawRadix = true
                switch bytes[i + 1] | 0x20 {
                case UInt8(ascii: "x"): radix = 16
                case UInt8(ascii: "b"): radix = 2
                case UInt8(ascii: "o"): radix = 8
                default: radix = 10
                }
            case UInt8(ascii: "e"), UInt8(ascii: "i"):
                if exactness != nil { return nil }
                exactness = bytes[i + 1] | 0x20 == UInt8(ascii: "e") ? .exact : .inexact
            default: return nil
            }
            i += 2
        }
        let body = bytes[i...]
        if body.isEmpty { return nil }
        if let real = parseReal(body, radix: radix, exactness: exactness) { return real }
        return parseComplex(body, radix: radix, exactness: exactness)
    }

    /// `a+bi`, `a-bi`, `+bi`, `+i`, `-i`.
    private static func parseComplex(_ body: ArraySlice<UInt8>, radix: Int, exactness: Exactness?) -> Value? {
        guard let last = body.last, last | 0x20 == UInt8(ascii: "i"), body.count >= 2 else { return nil }
        let withoutI = body.dropLast()
        // The imaginary part starts at the last sign that does not follow an exponent marker.
        var split: Int? = nil
        var j = withoutI.endIndex - 1
        while j >= withoutI.startIndex {
            let c = withoutI[j]
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                let previous = j > withoutI.startIndex ? withoutI[j - 1] | 0x20 : 0
                if radix != 10 || !(previous == UInt8(ascii: "e") && j - 1 > withoutI.startIndex) {
                    split = j
                    break
                }
            }
            j -= 1
        }
        guard let split else { return nil }
        let realText = withoutI[withoutI.startIndex..<split]
        let imagText = withoutI[split...]
        let real: Value
        if realText.isEmpty {
            real = exactness == .inexact ? .double(0) : .int(0)
        } else {
            guard let r = parseReal(realText, radix: radix, exactness: exactness) else { return nil }
            real = r
        }
        let imag: Value
        if imagText.count == 1 {
            let one: Value = exactness == .inexact ? .double(1) : .int(1)
            imag = imagText.first == UInt8(ascii: "-") ? (exactness == .inexact ? .double(-1) : .int(-1)) : one
        } else {
            guard let m = parseReal(imagText, radix: radix, exactness: exactness) else { return nil }
            imag = m
        }
        return Complex.make(real, imag)
    }

    /// A real number token without prefixes.
    static func parseReal(_ body: ArraySlice<UInt8>, radix: Int, exactness: Exactness?) -> Value? {
        if let special = parseSpecial(body) {
            return exactness == .exact ? nil : .double(special)
        }
        var i = body.startIndex
        var negative = false
        if body[i] == UInt8(ascii: "+") || body[i] == UInt8(ascii: "-") {
            negative = body[i] == UInt8(ascii: "-")
            i += 1
        }
        let unsigned = body[i...]
        guard !unsigned.isEmpty else { return nil }
        if let slash = unsigned.firstIndex(of: UInt8(ascii: "/")) {
            guard let n = parseDigits(unsigned[..<slash], radix: radix),
                  let d = parseDigits(unsigned[(slash + 1)...], radix: radix), !d.isZero else { return nil }
            let value = Arithmetic.rational(negative ? -n : n, d)
            return exactness == .inexact ? Arithmetic.toInexact(value) : value
        }
        if let value = parseInteger(unsigned, radix: radix, negative: negative) {
            return exactness == .inexact ? Arithmetic.toInexact(value) : value
        }
        return parseDecimal(unsigned, radix: radix, negative: negative, exactness: exactness)
    }

    private static func parseSpecial(_ body: ArraySlice<UInt8>) -> Double? {
        guard body.count == 6, body.first == UInt8(ascii: "+") || body.first == UInt8(ascii: "-") else { return nil }
        let rest = String(decoding: body.dropFirst(), as: UTF8.self).lowercased()
        let negative = body.first == UInt8(ascii: "-")
        switch rest {
        case "inf.0", "inf.f": return negative ? -.infinity : .infinity
        case "nan.0", "nan.f": return .nan
        default: return nil
        }
    }

    @inline(__always)
    static func digitValue(_ c: UInt8, radix: Int) -> Int? {
        let v: Int
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): v = Int(c) - 48
        case UInt8(ascii: "a")...UInt8(ascii: "z"): v = Int(c) - 87
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = Int(c) - 55
        default: return nil
        }
        return v < radix ? v : nil
    }

    /// A non-empty run of digits as an exact integer (fixnum or bignum).
    private static func parseInteger(_ digits: ArraySlice<UInt8>, radix: Int, negative: Bool) -> Value? {
        guard !digits.isEmpty else { return nil }
        var acc = 0
        var overflow = false
        for c in digits {
            guard let v = digitValue(c, radix: radix) else { return nil }
            if !overflow {
                let (m, o1) = acc.multipliedReportingOverflow(by: radix)
                let (s, o2) = m.addingReportingOverflow(v)
                if o1 || o2 { overflow = true } else { acc = s }
            }
        }
        if !overflow { return .int(negative ? -acc : acc) }
        guard let big = bigDigits(digits, radix: radix) else { return nil }
        return Value.integer(negative ? -big : big)
    }

    private static func parseDigits(_ digits: ArraySlice<UInt8>, radix: Int) -> BigInt? {
        guard !digits.isEmpty, digits.allSatisfy({ digitValue($0, radix: radix) != nil }) else { return nil }
        return bigDigits(digits, radix: radix)
    }

    /// Digits (validated) as a BigInt, charged to the running evaluation: when a limit stops the
    /// conversion the value is 0 and the limit error is raised at the next check.
    private static func bigDigits(_ digits: ArraySlice<UInt8>, radix: Int) -> BigInt? {
        guard digits.count > BigWork.directDigits, let runtime = Runtime.current else {
            return BigInt(String(decoding: digits, as: UTF8.self), radix: radix)
        }
        return runtime.deferringLimits(BigInt(0)) { try BigWork.parse(digits, radix: radix) ?? 0 }
    }

    /// `12.5`, `.5`, `5.`, `1e10`, `1.5e-3`: a flonum, or exact with `#e`.
    private static func parseDecimal(_ text: ArraySlice<UInt8>, radix: Int, negative: Bool,
                                     exactness: Exactness?) -> Value? {
        var intDigits: ArraySlice<UInt8> = text[text.startIndex..<text.startIndex]
        var fracDigits = intDigits
        var i = text.startIndex
        while i < text.endIndex, digitValue(text[i], radix: radix) != nil { i += 1 }
        intDigits = text[text.startIndex..<i]
        var sawPoint = false
        if i < text.endIndex && text[i] == UInt8(ascii: ".") {
            sawPoint = true
            i += 1
            let start = i
            while i < text.endIndex, digitValue(text[i], radix: radix) != nil { i += 1 }
            fracDigits = text[start..<i]
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { return nil }
        var exponent = 0
        var sawExponent = false
        if i < text.endIndex {
            guard radix == 10 else { return nil }
            switch text[i] | 0x20 {
            case UInt8(ascii: "e"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "s"), UInt8(ascii: "l"): break
            default: return nil
            }
            i += 1
            var expNegative = false
            if i < text.endIndex && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) {
                expNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < text.endIndex else { return nil }
            while i < text.endIndex {
                guard let v = digitValue(text[i], radix: 10) else { return nil }
                // Saturate: anything this large is already infinity or zero.
                exponent = min(exponent * 10 + v, 1_000_000_000)
                i += 1
            }
            if expNegative { exponent = -exponent }
            sawExponent = true
        }
        guard sawPoint || sawExponent else { return nil }
        if exactness == .exact || radix != 10 {
            let exact = exactDecimal(intDigits, fracDigits, exponent: exponent, radix: radix, negative: negative)
            if exactness == .exact { return exact }
            return exact.map { .double(Arithmetic.toDouble($0)) }
        }
        var canonical = negative ? "-" : ""
        canonical += intDigits.isEmpty ? "0" : String(decoding: intDigits, as: UTF8.self)
        canonical += "."
        canonical += fracDigits.isEmpty ? "0" : String(decoding: fracDigits, as: UTF8.self)
        canonical += "e\(exponent)"
        return Double(canonical).map { .double($0) }
    }

    /// digits × radix^(exponent − fraction length) as an exact rational.
    private static func exactDecimal(_ intDigits: ArraySlice<UInt8>, _ fracDigits: ArraySlice<UInt8>,
                                     exponent: Int, radix: Int, negative: Bool) -> Value? {
        let all = String(decoding: intDigits, as: UTF8.self) + String(decoding: fracDigits, as: UTF8.self)
        guard let mantissa = bigDigits(ArraySlice(all.utf8), radix: radix) else { return nil }
        let scale = exponent - fracDigits.count
        guard scale.magnitude <= maxExactExponent else { return nil }
        let signed = negative ? -mantissa : mantissa
        let power = BigInt(radix).power(Int(scale.magnitude))
        return scale >= 0 ? Value.integer(signed * power) : Arithmetic.rational(signed, power)
    }
}
