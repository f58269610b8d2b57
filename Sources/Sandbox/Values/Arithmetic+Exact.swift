import BigInt

/// Exact rationals and the conversions between exact numbers and flonums.
///
/// Conversions to `Double` round correctly (to nearest, ties to even, subnormals included): BigInt's
/// own `Double(_:)` rounds half-up on a truncated value, which makes
/// `(exact->inexact 12345678901234567890)` differ from Racket in the last digit.
extension Arithmetic {
    /// Numerator and denominator of an exact real (integers have denominator 1).
    /// Callers have checked the value is exact; anything else reads as 0.
    static func ratParts(_ v: Value) -> (BigInt, BigInt) {
        switch v {
        case .int(let i): return (BigInt(i), 1)
        case .object(let b as BigNum): return (b.value, 1)
        case .object(let r as Ratnum): return (r.numerator, r.denominator)
        default: return (0, 1)
        }
    }

    /// An exact integer as a BigInt (callers have checked it is one).
    static func bigInteger(_ v: Value) -> BigInt {
        switch v {
        case .int(let i): return BigInt(i)
        case .object(let b as BigNum): return b.value
        default: return 0
        }
    }

    /// The normalised exact value n/d: lowest terms, positive denominator, integers as fixnums or
    /// bignums. `d` must not be zero.
    static func rational(_ n: BigInt, _ d: BigInt) -> Value {
        var n = n, d = d
        if d.sign == .minus { n.negate(); d.negate() }
        if d == 1 { return Value.integer(n) }
        let g = n.greatestCommonDivisor(with: d)
        if g != 1 { n /= g; d /= g }
        if d == 1 { return Value.integer(n) }
        return .object(Ratnum(numerator: n, denominator: d))
    }

    /// Any real as a flonum (exact values correctly rounded). Non-reals read as NaN.
    static func toDouble(_ v: Value) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .object(let b as BigNum): return bigToDouble(b.value)
        case .object(let r as Ratnum): return ratioToDouble(r.numerator, r.denominator)
        default: return .nan
        }
    }

    /// `exact->inexact`: flonums unchanged, exact reals rounded, complex numbers part by part.
    static func toInexact(_ v: Value) -> Value {
        if case .object(let z as Complex) = v {
            return .object(Complex(real: .double(toDouble(z.real)), imag: .double(toDouble(z.imag))))
        }
        return .double(toDouble(v))
    }

    /// `inexact->exact` of a flonum; nil for infinities and NaN.
    static func toExact(_ d: Double) -> Value? {
        d.isFinite ? exactFromFinite(d) : nil
    }

    /// The exact value of a finite flonum: an integer or a fraction whose denominator is a power of 2.
    static func exactFromFinite(_ d: Double) -> Value {
        if let i = Int(exactly: d) { return .int(i) }
        let significand = BigInt(d.significandBitPattern | (d.isNormal ? 1 << 52 : 0))
        let exponent = (d.isNormal ? Int(d.exponentBitPattern) : 1) - 1075
        let n = d.sign == .minus ? -significand : significand
        if exponent >= 0 { return Value.integer(n << exponent) }
        return rational(n, BigInt(1) << -exponent)
    }

    static func bigToDouble(_ n: BigInt) -> Double {
        if let i = Int(exactly: n) { return Double(i) }
        let d = roundToDouble(n.magnitude, sticky: false, exponent: 0)
        return n.sign == .minus ? -d : d
    }

    /// n/d (d > 0) correctly rounded: the quotient is computed to at least 64 bits plus a sticky bit.
    static func ratioToDouble(_ n: BigInt, _ d: BigInt) -> Double {
        if let x = Int(exactly: n), let y = Int(exactly: d), x.magnitude < 1 << 53, y.magnitude < 1 << 53 {
            return Double(x) / Double(y)
        }
        let a = n.magnitude, b = d.magnitude
        let shift = b.bitWidth - a.bitWidth + 65
        let (q, r) = shift >= 0
            ? (a << shift).quotientAndRemainder(dividingBy: b)
            : a.quotientAndRemainder(dividingBy: b << -shift)
        let x = roundToDouble(q, sticky: !r.isZero, exponent: -shift)
        return n.sign == .minus ? -x : x
    }

    /// Rounds `mantissa × 2^exponent` (plus a nonzero tail below it when `sticky`) to the nearest
    /// double, ties to even, with gradual underflow.
    static func roundToDouble(_ mantissa: BigUInt, sticky: Bool, exponent: Int) -> Double {
        let width = mantissa.bitWidth
        if width == 0 { return 0 }
        let top = width - 1 + exponent
        if top > 1023 { return .infinity }
        let precision = top >= -1022 ? 53 : 53 - (-1022 - top)
        if precision < 0 { return 0 }
        let drop = width - precision
        if drop <= 0 {
            return Double(sign: .plus, exponent: exponent, significand: Double(UInt64(mantissa)))
        }
        var q = UInt64(mantissa >> drop)
        let half = mantissa[bitAt: drop - 1]
        let below = sticky || mantissa.trailingZeroBitCount < drop - 1
        if half && (below || q & 1 == 1) { q += 1 }
        return Double(sign: .plus, exponent: exponent + drop, significand: Double(q))
    }
}
