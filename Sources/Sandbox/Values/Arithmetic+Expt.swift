import BigInt
import Foundation

/// `expt` with Racket's exactness rules: `(expt 2 100)` is an exact bignum, `(expt 2 -1)` is `1/2`,
/// `(expt 4 1/2)` is `2`, `(expt 2 0.5)` is a flonum, `(expt z 0)` is exact `1` for every `z`, and a
/// negative base with a non-integer power gives a complex number.
extension Arithmetic {
    /// The largest exact result (in bits) `expt` and `arithmetic-shift` attempt to build.
    static let maxResultBits = 1 << 40

    /// - Parameter reserve: called with the approximate size in bytes of a large exact result before
    ///   it is computed, so the caller can enforce its memory limit.
    static func expt(_ base: Value, _ power: Value, reserve: (Int) throws -> Void = { _ in }) throws -> Value {
        let baseRank = try rank(base, "expt"), powerRank = try rank(power, "expt")
        if case .int(0) = power { return .int(1) }
        switch powerRank {
        case .fixnum, .bignum:
            return try integerPower(base, baseRank, power, reserve: reserve)
        case .ratnum, .flonum:
            if case .int(0) = base {
                if power.isNaNValue { return .double(.nan) }
                let sign = signum(power)
                if sign < 0 { throw SchemeError.undefinedFor("expt", base, power) }
                return sign == 0 ? .double(1) : .int(0)
            }
            if case .object(let r as Ratnum) = power, r.numerator == 1, r.denominator == 2 {
                return try sqrt(base)
            }
            if baseRank != .complex {
                let x = toDouble(base), y = toDouble(power)
                if x >= 0 || y.rounded() == y || y.isNaN || x.isNaN { return .double(pow(x, y)) }
            }
            return try complexPower(base, power)
        case .complex:
            if case .int(0) = base { throw SchemeError.undefinedFor("expt", base, power) }
            return try complexPower(base, power)
        }
    }

    private static func integerPower(_ base: Value, _ baseRank: Rank, _ power: Value,
                                      reserve: (Int) throws -> Void) throws -> Value {
        let negative = signum(power) < 0
        switch baseRank {
        case .flonum:
            return .double(pow(toDouble(base), toDouble(power)))
        case .complex:
            guard case .int(let n) = power else { return try complexPower(base, power) }
            if isExact(base) {
                let (re, im) = Complex.parts(base)
                let width = max(ratParts(re).0.magnitude.bitWidth, ratParts(im).0.magnitude.bitWidth,
                                ratParts(re).1.magnitude.bitWidth, ratParts(im).1.magnitude.bitWidth) + 1
                let bits = width.multipliedReportingOverflow(by: Int(n.magnitude))
                try reserve(bits.overflow ? Int.max : bits.partialValue / 4)
                if bits.overflow || bits.partialValue > maxResultBits { throw SchemeError.numberTooLarge("expt") }
            }
            var result: Value = .int(1), square = base, k = n.magnitude
            while k > 0 {
                if k & 1 == 1 { result = try mul(result, square) }
                k >>= 1
                if k > 0 { square = try mul(square, square) }
            }
            return negative ? try div(.int(1), result) : result
        default:
            let (n, d) = ratParts(base)
            if n.isZero {
                if negative { throw SchemeError.undefinedFor("expt", base, power) }
                return .int(0)
            }
            if d == 1 && n.magnitude == 1 {
                // ±1 to any power, even a huge one.
                let odd = bigInteger(power).magnitude[bitAt: 0]
                return .int(n.sign == .minus && odd ? -1 : 1)
            }
            guard case .int(let k) = power else {
                try reserve(Int.max)
                throw SchemeError.numberTooLarge("expt")
            }
            let e = Int(k.magnitude)
            let bits = max(n.magnitude.bitWidth, d.magnitude.bitWidth).multipliedReportingOverflow(by: e)
            try reserve(bits.overflow ? Int.max : bits.partialValue / 8)
            // Even without a memory limit, a 128 GiB integer is never going to be built.
            if bits.overflow || bits.partialValue > maxResultBits { throw SchemeError.numberTooLarge("expt") }
            let num = try chargedPower(n, e), den = try chargedPower(d, e)
            return negative ? rational(den, num) : rational(num, den)
        }
    }

    /// `x^e` by squaring, each multiplication charged to the limits (BigInt's `power` is one
    /// uninterruptible call, and squares once more than it needs).
    static func chargedPower(_ x: BigInt, _ e: Int) throws -> BigInt {
        if e == 0 { return 1 }
        var result: BigInt = 1, square = x, k = e
        while true {
            if k & 1 == 1 {
                let (r, s) = (result, square)
                result = try BigWork.perform(.multiply, cost: BigWork.multiplyCost(r, s)) { r * s }
            }
            k >>= 1
            if k == 0 { return result }
            let s = square
            square = try BigWork.perform(.multiply, cost: BigWork.multiplyCost(s, s)) { s * s }
        }
    }

    /// z^w = exp(w log z) on doubles.
    private static func complexPower(_ base: Value, _ power: Value) throws -> Value {
        let (zr, zi) = Complex.doubleParts(base), (wr, wi) = Complex.doubleParts(power)
        let (lr, li) = Complex.log(zr, zi)
        let (re, im) = Complex.exp(wr * lr - wi * li, wr * li + wi * lr)
        if wi == 0 && zi == 0 && !isComplexValue(base) && !isComplexValue(power) && zr >= 0 {
            return .double(re)
        }
        return Complex.make(re, im)
    }

    private static func isComplexValue(_ v: Value) -> Bool {
        if case .object(let o) = v { return o is Complex }
        return false
    }
}

extension Value {
    /// True for a flonum NaN.
    var isNaNValue: Bool {
        if case .double(let d) = self { return d.isNaN }
        return false
    }
}
