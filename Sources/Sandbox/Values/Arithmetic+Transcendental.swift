import BigInt
import Foundation

/// `sqrt`, `expt`, `exp`, `log` and the trigonometric functions.
///
/// Exact arguments at the points where Racket answers exactly give exact results (`(sqrt 16)` is
/// `4`, `(exp 0)` is `1`, `(log 1)` is `0`); elsewhere the flonum C library result is returned, and
/// arguments outside a real function's domain give complex results (`(sqrt -4)` is `0+2i`).
extension Arithmetic {
    static func sqrt(_ v: Value) throws -> Value {
        switch v {
        case .double(let d):
            if d < 0 { return Complex.make(0, Foundation.sqrt(-d)) }
            return .double(Foundation.sqrt(d))
        case .object(let z as Complex):
            let (re, im) = Complex.sqrt(toDouble(z.real), toDouble(z.imag))
            return Complex.make(re, im)
        default:
            _ = try rank(v, "sqrt")
            if signum(v) < 0 { return Complex.make(.int(0), try sqrt(negate(v))) }
            if let root = exactSqrt(v) { return root }
            if case .object(let b as BigNum) = v, b.value.magnitude.bitWidth > 106 {
                // The integer square root already has more than 53 bits, and it stays finite
                // where converting the argument to a flonum first would overflow.
                return .double(bigToDouble(integerSqrt(b.value)))
            }
            return .double(Foundation.sqrt(toDouble(v)))
        }
    }

    static func exp(_ v: Value) throws -> Value {
        if case .int(0) = v { return .int(1) }
        return try realOrComplex(v, "exp", real: { .double(Foundation.exp($0)) }, complex: Complex.exp)
    }

    /// Natural logarithm; negative reals give `log|x| + πi`.
    static func log(_ v: Value) throws -> Value {
        if case .int(let i) = v, i == 1 || i == 0 {
            if i == 0 { throw SchemeError.divideByZero("log") }
            return .int(0)
        }
        return try realOrComplex(v, "log", real: { x in
            x < 0 ? Complex.make(Foundation.log(-x), Double.pi) : .double(Foundation.log(x))
        }, complex: Complex.log)
    }

    /// `(log z b)`: `(/ (log z) (log b))`, so an exact 1 base is a division by zero, as in Racket.
    static func log(_ v: Value, base: Value) throws -> Value {
        try div(log(v), log(base))
    }

    static func sin(_ v: Value) throws -> Value {
        if case .int(0) = v { return .int(0) }
        return try realOrComplex(v, "sin", real: { .double(Foundation.sin($0)) }) { a, b in
            (Foundation.sin(a) * cosh(b), Foundation.cos(a) * sinh(b))
        }
    }

    static func cos(_ v: Value) throws -> Value {
        if case .int(0) = v { return .int(1) }
        return try realOrComplex(v, "cos", real: { .double(Foundation.cos($0)) }) { a, b in
            (Foundation.cos(a) * cosh(b), -Foundation.sin(a) * sinh(b))
        }
    }

    static func tan(_ v: Value) throws -> Value {
        if case .int(0) = v { return .int(0) }
        if case .object(let z as Complex) = v {
            return try div(sin(.object(z)), cos(.object(z)))
        }
        return try realOrComplex(v, "tan", real: { .double(Foundation.tan($0)) }, complex: { ($0, $1) })
    }

    static func asin(_ v: Value) throws -> Value {
        if case .int(0) = v { return .int(0) }
        return try realOrComplex(v, "asin", real: { x in
            if Swift.abs(x) <= 1 || x.isNaN { return .double(Foundation.asin(x)) }
            let s = logOfHyperbolicSum(x)
            return x > 0 ? Complex.make(Double.pi / 2, -s) : Complex.make(-Double.pi / 2, s)
        }, complex: complexAsin)
    }

    static func acos(_ v: Value) throws -> Value {
        if case .int(1) = v { return .int(0) }
        return try realOrComplex(v, "acos", real: { x in
            if Swift.abs(x) <= 1 || x.isNaN { return .double(Foundation.acos(x)) }
            let s = logOfHyperbolicSum(x)
            return x > 0 ? Complex.make(0, s) : Complex.make(Double.pi, -s)
        }, complex: { a, b in
            let (re, im) = complexAsin(a, b)
            return (Double.pi / 2 - re, -im)
        })
    }

    static func atan(_ v: Value) throws -> Value {
        if case .int(0) = v { return .int(0) }
        return try realOrComplex(v, "atan", real: { .double(Foundation.atan($0)) }) { a, b in
            // atan z = (i/2) (log(1 - iz) - log(1 + iz))
            let (l1r, l1i) = Complex.log(1 + b, -a)
            let (l2r, l2i) = Complex.log(1 - b, a)
            return (-(l1i - l2i) / 2, (l1r - l2r) / 2)
        }
    }

    /// `(atan y x)`: the angle of the point (x, y); exact `(atan 0 x)` with x > 0 is exact 0.
    static func atan(_ y: Value, _ x: Value) throws -> Value {
        guard isReal(y) else { throw SchemeError.contract("atan", expected: "real?", given: y) }
        guard isReal(x) else { throw SchemeError.contract("atan", expected: "real?", given: x) }
        if case .int(0) = y, isExact(x) {
            if signum(x) == 0 { throw SchemeError.undefinedFor("atan2", y, x) }
            if signum(x) > 0 { return .int(0) }
        }
        return .double(atan2(toDouble(y), toDouble(x)))
    }

    /// log(|x| + sqrt(x² − 1)) for |x| > 1, without overflowing x² (then it is log 2|x|).
    private static func logOfHyperbolicSum(_ x: Double) -> Double {
        let m = Swift.abs(x)
        if m > 1e150 { return Foundation.log(m) + Foundation.log(2.0) }
        return Foundation.log(m + Foundation.sqrt(m * m - 1))
    }

    /// asin z = -i log(iz + sqrt(1 - z²)).
    private static func complexAsin(_ a: Double, _ b: Double) -> (Double, Double) {
        let (sr, si) = Complex.sqrt(1 - (a * a - b * b), -2 * a * b)
        let (lr, li) = Complex.log(sr - b, si + a)
        return (li, -lr)
    }

    /// Applies `real` to a real argument (as a double) or `complex` to a complex one.
    private static func realOrComplex(_ v: Value, _ who: String, real: (Double) -> Value,
                                      complex: (Double, Double) -> (Double, Double)) throws -> Value {
        if case .object(let z as Complex) = v {
            let (re, im) = complex(toDouble(z.real), toDouble(z.imag))
            return Complex.make(re, im)
        }
        _ = try rank(v, who)
        return real(toDouble(v))
    }
}
