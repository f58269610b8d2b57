import BigInt
import Foundation

/// `~r` from racket/format: a rational formatted positionally or in exponential notation.
///
/// The number is converted to exact first, so `(~r 1e21)` prints all 22 digits and `(~r 0.125
/// #:precision 2)` rounds the exact value (half away from zero: `"0.13"`). Supported keywords:
/// `#:precision` (`n` drops trailing zeros, `'(= n)` keeps them), `#:min-width`, `#:pad-string`,
/// `#:base` (`b` or `'(up b)`), `#:notation` (`'positional` / `'exponential`), `#:decimal-sep`
/// and `#:sign` (`#f`, `'+`, `'++`, `'parens`).
func registerFormatR(_ lib: LibraryBuilder) {
    let runtime = lib.runtime
    lib.fnKw("~r", 1, 1, keywords: ["precision", "min-width", "pad-string", "base", "notation",
                                    "decimal-sep", "sign"]) { args, keywords in
        let options = try FormatROptions(keywords)
        let x = args[0]
        guard Arithmetic.isRational(x) else { throw SchemeError.contract("~r", expected: "rational?", given: x) }
        // Digits and padding are built in memory: a huge precision or width must hit the limits.
        let outputSize = min(options.precision, 1 << 40) + min(options.minWidth, 1 << 40)
        try runtime.reserve(bytes: outputSize * 4)
        try runtime.charge(outputSize / 16)
        let negative: Bool
        let exact: Value
        if case .double(let d) = x {
            negative = d.sign == .minus
            exact = Arithmetic.exactFromFinite(Swift.abs(d))
        } else {
            negative = Arithmetic.signum(x) < 0
            exact = negative ? try Arithmetic.negate(x) : x
        }
        let (n, d) = Arithmetic.ratParts(exact)
        let body = options.exponential ? try options.exponentialDigits(n, d) : try options.positionalDigits(n, d)
        return .str(options.signed(options.padded(body), negative: negative, zero: n.isZero))
    }
}

/// The validated keyword arguments of one `~r` call.
struct FormatROptions {
    var precision = 6
    var keepTrailingZeros = false
    var minWidth = 1
    var pad = " "
    var base = 10
    var uppercase = false
    var exponential = false
    var decimalSeparator = "."
    var sign: String? = nil

    init(_ keywords: KeywordArguments) throws {
        func keyword(_ name: String) -> Value? { keywords[Symbol.intern(name)] }
        if let p = keyword("precision") {
            if case .int(let n) = p, n >= 0 {
                precision = n
            } else if let items = p.listToArray(), items.count == 2, case .symbol(let s) = items[0], s.name == "=",
                      case .int(let n) = items[1], n >= 0 {
                precision = n
                keepTrailingZeros = true
            } else {
                throw SchemeError.contract("~r", expected: "(or/c natural? (list/c (quote =) natural?))", given: p)
            }
        }
        if let w = keyword("min-width") {
            guard case .int(let n) = w, n > 0 else {
                throw SchemeError.contract("~r", expected: "exact-positive-integer?", given: w)
            }
            minWidth = n
        }
        if let s = keyword("pad-string") {
            guard case .string(let m) = s, m.count > 0 else {
                throw SchemeError.contract("~r", expected: "non-empty-string?", given: s)
            }
            pad = m.string
        }
        if let b = keyword("base") {
            var radix = b
            if let items = b.listToArray(), items.count == 2, case .symbol(let s) = items[0], s.name == "up" {
                radix = items[1]
                uppercase = true
            }
            guard case .int(let r) = radix, (2...36).contains(r) else {
                throw SchemeError.contract("~r", expected: "(or/c (integer-in 2 36) (list/c 'up (integer-in 2 36)))", given: b)
            }
            base = r
        }
        if let n = keyword("notation") {
            guard case .symbol(let s) = n, s.name == "positional" || s.name == "exponential" else {
                throw SchemeError.contract("~r", expected: "(or/c 'positional 'exponential)", given: n)
            }
            exponential = s.name == "exponential"
        }
        if let s = keyword("decimal-sep") {
            guard case .string(let m) = s else { throw SchemeError.contract("~r", expected: "string?", given: s) }
            decimalSeparator = m.string
        }
        if let s = keyword("sign"), s.isTrue {
            guard case .symbol(let name) = s, ["+", "++", "parens"].contains(name.name) else {
                throw SchemeError.contract("~r", expected: "(or/c #f '+ '++ 'parens)", given: s)
            }
            sign = name.name
        }
    }

    /// n/d (non-negative) with `precision` fraction digits, rounded half up.
    func positionalDigits(_ n: BigInt, _ d: BigInt) throws -> String {
        // Powers, products and digits are charged to the limits: `#:precision 1000000` is a
        // million-digit computation (BigWork).
        let scale = try Arithmetic.chargedPower(BigInt(base), precision)
        let product = try BigWork.perform(.multiply, cost: BigWork.multiplyCost(n, scale)) { n * scale }
        let scaled = try BigWork.perform(.divide, cost: BigWork.divideCost(product, d)) { roundHalfUp(product, d) }
        let (integer, fraction) = try BigWork.perform(.divide, cost: BigWork.divideCost(scaled, scale)) {
            scaled.quotientAndRemainder(dividingBy: scale)
        }
        func text(_ x: BigInt) throws -> String {
            let t = try BigWork.render(x, radix: base)
            return uppercase ? t.uppercased() : t
        }
        var out = try text(integer)
        var digits = precision == 0 ? "" : try text(fraction)
        // Digits are ASCII: count bytes, not grapheme clusters (a million-digit count is costly).
        let digitCount = digits.utf8.count
        if digitCount < precision { digits = String(repeating: "0", count: precision - digitCount) + digits }
        if !keepTrailingZeros {
            while digits.last == "0" { digits.removeLast() }
        }
        if !digits.isEmpty || (keepTrailingZeros && precision == 0) { out += decimalSeparator + digits }
        return out
    }

    /// `m.mmm e±XX` with 1 ≤ m < base (`0e+00` for zero); other bases write `*base^±XX`.
    func exponentialDigits(_ n: BigInt, _ d: BigInt) throws -> String {
        var exponent = 0
        if !n.isZero {
            exponent = estimateExponent(n, d)
            let b = BigInt(base)
            // Make base^e ≤ n/d < base^(e+1) exactly.
            while compareScaled(n, d, exponent) < 0 { exponent -= 1 }
            while compareScaled(n, d, exponent + 1) >= 0 { exponent += 1 }
            // Rounding the mantissa can carry into a new digit (9.9999999 → 10.000000).
            let (mn, md) = scaledBy(n, d, exponent)
            let p = try Arithmetic.chargedPower(b, precision)
            if roundHalfUp(mn * p, md) >= p * b { exponent += 1 }
        }
        let (mn, md) = scaledBy(n, d, exponent)
        var out = try positionalDigits(mn, md)
        let magnitude = String(exponent.magnitude, radix: 10)
        let exponentText = (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
        out += base == 10 ? "e" + exponentText : "*\(base)^" + exponentText
        return out
    }

    /// Left-pads to `minWidth` with repetitions of the pad string (cut to fit: `"aba5"`).
    func padded(_ body: String) -> String {
        let missing = minWidth - body.count
        guard missing > 0 else { return body }
        let padding = String(repeating: pad, count: missing / max(pad.count, 1) + 1)
        return String(padding.prefix(missing)) + body
    }

    func signed(_ body: String, negative: Bool, zero: Bool) -> String {
        if negative { return sign == "parens" ? "(" + body + ")" : "-" + body }
        if sign == "++" || (sign == "+" && !zero) { return "+" + body }
        return body
    }

    private func roundHalfUp(_ n: BigInt, _ d: BigInt) -> BigInt {
        (2 * n + d) / (2 * d)
    }

    /// (n/d) / base^e as a fraction.
    private func scaledBy(_ n: BigInt, _ d: BigInt, _ e: Int) -> (BigInt, BigInt) {
        let p = BigInt(base).power(Int(e.magnitude))
        return e >= 0 ? (n, d * p) : (n * p, d)
    }

    /// Sign of n/d − base^e.
    private func compareScaled(_ n: BigInt, _ d: BigInt, _ e: Int) -> Int {
        let (a, b) = scaledBy(n, d, e)
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    private func estimateExponent(_ n: BigInt, _ d: BigInt) -> Int {
        let bits = n.magnitude.bitWidth - d.magnitude.bitWidth
        return Int((Double(bits) / log2(Double(base))).rounded(.down))
    }
}
