import BigInt
import Foundation

/// Number rendering and parsing in Racket's syntax (reference §4.7). Owned by the numbers library.
enum NumberFormat {
    /// A big integer's digits, charged to the running evaluation; when a limit stops the
    /// conversion the text is a placeholder and the limit error is raised at the next check.
    static func renderInteger(_ x: BigInt, radix: Int) -> String {
        if x.magnitude.bitWidth <= BigWork.directDigits * 3 { return String(x, radix: radix) }
        guard let runtime = Runtime.current else { return String(x, radix: radix) }
        return runtime.deferringLimits("#<integer of \(x.magnitude.bitWidth) bits: not printed, a limit was reached>") {
            try BigWork.render(x, radix: radix)
        }
    }

    /// Renders any number as Racket's `number->string` / `display` does.
    ///
    /// `radix` applies to exact numbers only; flonums always print in decimal (the library rejects
    /// other radixes for them, as Racket does).
    static func render(_ v: Value, radix: Int = 10) -> String {
        switch v {
        case .int(let i): return String(i, radix: radix)
        case .double(let d): return renderFlonum(d)
        case .object(let b as BigNum): return renderInteger(b.value, radix: radix)
        case .object(let r as Ratnum):
            return renderInteger(r.numerator, radix: radix) + "/" + renderInteger(r.denominator, radix: radix)
        case .object(let z as Complex):
            let imag = render(z.imag, radix: radix)
            let sign = imag.hasPrefix("-") || imag.hasPrefix("+") ? "" : "+"
            return render(z.real, radix: radix) + sign + imag + "i"
        default: return "?"
        }
    }

    /// A flonum as Racket prints it: the shortest digits that read back to the same double, laid
    /// out positionally or in scientific notation by the rule of reference §4.7.
    static func renderFlonum(_ d: Double) -> String {
        if d.isNaN { return "+nan.0" }
        if d.isInfinite { return d > 0 ? "+inf.0" : "-inf.0" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Integral values below 1e14 always print positionally with all their digits (an integer
        // below 2^53 needs every digit to round-trip), so skip the digit search.
        if d.magnitude < 1e14, let i = Int(exactly: d) { return String(i) + ".0" }
        let (digits, exponent) = racketDigits(d.magnitude)
        var out = d.sign == .minus ? "-" : ""
        let count = digits.count
        if (-4...13).contains(exponent) || (exponent >= 14 && exponent - count + 1 <= 3) {
            if exponent < 0 {
                out += "0." + String(repeating: "0", count: -exponent - 1) + digits
            } else if exponent >= count - 1 {
                out += digits + String(repeating: "0", count: exponent - count + 1) + ".0"
            } else {
                let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
                out += digits[..<split] + "." + digits[split...]
            }
        } else {
            out.append(digits.first ?? "0")
            if count > 1 { out += "." + digits.dropFirst() }
            out += exponent < 0 ? "e-" : "e+"
            out += String(exponent.magnitude)
        }
        return out
    }

    /// The shortest round-trip digits, with Racket's choice when two candidates are equally close.
    ///
    /// When the value lies exactly halfway between two shortest candidates (868412122370654.25
    /// has the candidates …654.2 and …654.3), Swift picks the lower one and Racket the upper one.
    /// A tie needs the last digit's unit to be no larger than the flonum's ulp, so the exact check
    /// runs only for values printed with about 15 or more significant digits.
    static func racketDigits(_ d: Double) -> (digits: String, exponent: Int) {
        let (digits, exponent) = shortestDigits(d)
        let unitExponent = exponent - digits.count + 1
        guard Foundation.pow(10.0, Double(unitExponent)) <= d.ulp * 1.01 else { return (digits, exponent) }
        // Is d exactly (digits + 1/2) × 10^unitExponent?
        let (n, den) = Arithmetic.ratParts(Arithmetic.exactFromFinite(d))
        let ten = BigInt(10).power(Int(unitExponent.magnitude))
        let (num, denominator) = unitExponent >= 0 ? (n * 2, den * ten) : (n * 2 * ten, den)
        let (q, r) = num.quotientAndRemainder(dividingBy: denominator)
        guard r.isZero, q.magnitude[bitAt: 0], let lower = BigInt(digits), q == lower * 2 + 1 else {
            return (digits, exponent)
        }
        var upper = String(lower + 1)
        var upperExponent = exponent
        if upper.count > digits.count { upperExponent += 1 }
        while upper.count > 1 && upper.hasSuffix("0") { upper.removeLast() }
        let text = upper.prefix(1) + "." + (upper.count > 1 ? upper.dropFirst() : "0") + "e\(upperExponent)"
        guard Double(text) == d else { return (digits, exponent) }
        return (upper, upperExponent)
    }

    /// The shortest round-trip significant digits of a positive finite double, and the decimal
    /// exponent of the first digit (value = d₁.d₂… × 10^exponent).
    ///
    /// Swift's `description` already produces the shortest round-trip digits; only its layout
    /// (`1e-05`, `1.5e+20`, `0.0001`) differs from Racket's, so the digits are taken from it.
    static func shortestDigits(_ d: Double) -> (digits: String, exponent: Int) {
        let text = d.description.utf8
        var mantissa: [UInt8] = []
        var pointAt: Int? = nil
        var exponent = 0
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            if c == UInt8(ascii: ".") {
                pointAt = mantissa.count
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                var negative = false
                var value = 0
                while let e = iterator.next() {
                    if e == UInt8(ascii: "-") { negative = true } else if e >= 48 && e <= 57 {
                        value = value * 10 + Int(e - 48)
                    }
                }
                exponent = negative ? -value : value
            } else if c >= 48 && c <= 57 {
                mantissa.append(c)
            }
        }
        let integerDigits = pointAt ?? mantissa.count
        let leadingZeros = mantissa.prefix { $0 == UInt8(ascii: "0") }.count
        var significant = mantissa.dropFirst(leadingZeros)
        while significant.last == UInt8(ascii: "0") { significant.removeLast() }
        return (String(decoding: significant, as: UTF8.self), integerDigits - 1 - leadingZeros + exponent)
    }
}
