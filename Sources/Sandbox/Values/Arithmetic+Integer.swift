import BigInt
import Foundation

/// Integer division, gcd/lcm, exact square roots and rounding to integers.
///
/// These accept Racket's `integer?` values, which include integral flonums: `(quotient 7.0 2)` is
/// `3.0`. The result is a flonum when any argument is.
extension Arithmetic {
    enum IntegerDivision { case quotient, remainder, modulo }

    /// True for exact integers and integral finite flonums (`integer?`).
    static func isInteger(_ v: Value) -> Bool {
        switch v {
        case .int: return true
        case .double(let d): return d.isFinite && d.rounded(.towardZero) == d
        case .object(let o): return o is BigNum
        default: return false
        }
    }

    /// True for exact integers (`exact-integer?`).
    static func isExactInteger(_ v: Value) -> Bool {
        switch v {
        case .int: return true
        case .object(let o): return o is BigNum
        default: return false
        }
    }

    /// The sign of a real: -1, 0 or 1 (NaN reads as 0).
    static func signum(_ v: Value) -> Int {
        switch v {
        case .int(let i): return i.signum()
        case .double(let d): return d > 0 ? 1 : (d < 0 ? -1 : 0)
        case .object(let b as BigNum): return b.value.sign == .minus ? -1 : 1
        case .object(let r as Ratnum): return r.numerator.sign == .minus ? -1 : 1
        default: return 0
        }
    }

    /// `quotient`, `remainder` and `modulo`.
    static func divide(_ a: Value, _ b: Value, _ op: IntegerDivision, who: String) throws -> Value {
        guard isInteger(a) else { throw SchemeError.contract(who, expected: "integer?", given: a) }
        guard isInteger(b) else { throw SchemeError.contract(who, expected: "integer?", given: b) }
        if case .int(let x) = a, case .int(let y) = b, y != 0, !(x == .min && y == -1) {
            switch op {
            case .quotient: return .int(x / y)
            case .remainder: return .int(x % y)
            case .modulo:
                let r = x % y
                return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            }
        }
        if case .double = a { return try divideFlonums(toDouble(a), toDouble(b), op, who: who) }
        if case .double = b { return try divideFlonums(toDouble(a), toDouble(b), op, who: who) }
        let x = bigInteger(a), y = bigInteger(b)
        if y.isZero { throw SchemeError.divideByZero(who) }
        let (q, r) = try BigWork.perform(.divide, cost: BigWork.divideCost(x, y)) { x.quotientAndRemainder(dividingBy: y) }
        switch op {
        case .quotient: return Value.integer(q)
        case .remainder: return Value.integer(r)
        case .modulo:
            return Value.integer(!r.isZero && (r.sign == .minus) != (y.sign == .minus) ? r + y : r)
        }
    }

    private static func divideFlonums(_ x: Double, _ y: Double, _ op: IntegerDivision, who: String) throws -> Value {
        if y == 0 { throw SchemeError.undefinedFor(who, .double(y)) }
        let r = fmod(x, y)
        switch op {
        case .quotient:
            let q = ((x - r) / y).rounded()
            // A zero quotient takes the sign of x / y, as truncating the true quotient would.
            return .double(q == 0 ? (x.sign == y.sign ? 0.0 : -0.0) : q)
        case .remainder: return .double(r)
        case .modulo: return .double(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        }
    }

    /// `gcd` of two rationals (Racket accepts non-integers: `(gcd 1/2 1/3)` is `1/6`).
    static func gcd(_ a: Value, _ b: Value) throws -> Value {
        try gcdOrLcm(a, b, who: "gcd") { an, ad, bn, bd in
            (an.greatestCommonDivisor(with: bn), lcm(ad, bd))
        }
    }

    /// `lcm` of two rationals.
    static func lcm(_ a: Value, _ b: Value) throws -> Value {
        try gcdOrLcm(a, b, who: "lcm") { an, ad, bn, bd in
            (lcm(an, bn), ad.greatestCommonDivisor(with: bd))
        }
    }

    private static func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
        if a.isZero || b.isZero { return 0 }
        return (a / a.greatestCommonDivisor(with: b) * b).magnitude.asSigned
    }

    private static func gcdOrLcm(_ a: Value, _ b: Value, who: String,
                                 _ f: (BigInt, BigInt, BigInt, BigInt) -> (BigInt, BigInt)) throws -> Value {
        for v in [a, b] where !isRational(v) {
            throw SchemeError.contract(who, expected: "rational?", given: v)
        }
        if case .int(let x) = a, case .int(let y) = b, who == "gcd", x != .min, y != .min {
            var (p, q) = (x.magnitude, y.magnitude)
            while q != 0 { (p, q) = (q, p % q) }
            return .int(Int(p))
        }
        let inexact = !isExact(a) || !isExact(b)
        let ea = inexact ? exactFromFinite(toDouble(a)) : a
        let eb = inexact ? exactFromFinite(toDouble(b)) : b
        let (an, ad) = ratParts(ea), (bn, bd) = ratParts(eb)
        let (n, d) = try BigWork.perform(.divide, cost: ratnumCost(an, ad, bn, bd)) { f(an, ad, bn, bd) }
        let result = rational(n.magnitude.asSigned, d)
        return inexact ? .double(toDouble(result)) : result
    }

    /// `rational?`: exact reals and finite flonums.
    static func isRational(_ v: Value) -> Bool {
        switch v {
        case .int: return true
        case .double(let d): return d.isFinite
        case .object(let o): return o is BigNum || o is Ratnum
        default: return false
        }
    }

    /// The exact square root of an exact non-negative rational, or nil when it is not a perfect square.
    static func exactSqrt(_ v: Value) -> Value? {
        switch v {
        case .int(let i):
            guard i >= 0 else { return nil }
            var r = Int(Foundation.sqrt(Double(i)))
            while r > 0 && r.multipliedReportingOverflow(by: r).overflow { r -= 1 }
            while r * r > i { r -= 1 }
            while true {
                let (square, overflow) = (r + 1).multipliedReportingOverflow(by: r + 1)
                if overflow || square > i { break }
                r += 1
            }
            return r * r == i ? .int(r) : nil
        case .object(let b as BigNum):
            guard let r = exactSqrt(b.value) else { return nil }
            return Value.integer(r)
        case .object(let q as Ratnum):
            guard let n = exactSqrt(q.numerator), let d = exactSqrt(q.denominator) else { return nil }
            return rational(n, d)
        default: return nil
        }
    }

    private static func exactSqrt(_ n: BigInt) -> BigInt? {
        guard n.sign == .plus else { return nil }
        let r = n.magnitude.squareRoot()
        return r * r == n.magnitude ? BigInt(r) : nil
    }

    /// `integer-sqrt`: the floor of the square root of an exact non-negative integer.
    static func integerSqrt(_ n: BigInt) -> BigInt { BigInt(n.magnitude.squareRoot()) }
}

extension BigUInt {
    /// The same magnitude as a non-negative BigInt.
    var asSigned: BigInt { BigInt(sign: .plus, magnitude: self) }
}
