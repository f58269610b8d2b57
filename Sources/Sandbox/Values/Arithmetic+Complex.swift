import BigInt
import Foundation

/// A non-real complex number, as produced by `(sqrt -1)` → `0+1i` (reference §4.7).
///
/// Kept deliberately small: Racket programs meet complex numbers mostly by accident (square root
/// or logarithm of a negative number), so they need to print, compare with `=` and survive the four
/// operations, not to be fast. Invariants (as in Racket CS): both parts are reals of the same
/// exactness, and an exact complex never has an exact zero imaginary part (that is just a real).
public final class Complex: SchemeObject, @unchecked Sendable {
    /// The real part: a fixnum, bignum, ratnum or flonum.
    public let real: Value
    /// The imaginary part, of the same exactness as `real`; never an exact 0.
    public let imag: Value
    init(real: Value, imag: Value) {
        self.real = real
        self.imag = imag
    }
    public override var typeName: String { "complex" }

    /// Builds `re + im·i`, normalising to a real when `im` is an exact 0 and making both parts
    /// inexact when either is.
    static func make(_ re: Value, _ im: Value) -> Value {
        if case .int(0) = im { return re }
        if Arithmetic.isExact(re) && Arithmetic.isExact(im) { return .object(Complex(real: re, imag: im)) }
        return .object(Complex(real: .double(Arithmetic.toDouble(re)), imag: .double(Arithmetic.toDouble(im))))
    }

    /// Builds an inexact complex from two doubles.
    static func make(_ re: Double, _ im: Double) -> Value {
        .object(Complex(real: .double(re), imag: .double(im)))
    }

    /// Real and imaginary parts of any number (a real has an exact 0 imaginary part).
    static func parts(_ v: Value) -> (Value, Value) {
        if case .object(let z as Complex) = v { return (z.real, z.imag) }
        return (v, .int(0))
    }

    /// Parts as doubles, for the transcendental functions.
    static func doubleParts(_ v: Value) -> (Double, Double) {
        let (re, im) = parts(v)
        return (Arithmetic.toDouble(re), Arithmetic.toDouble(im))
    }

    static func add(_ a: Value, _ b: Value) throws -> Value {
        let (ar, ai) = parts(a), (br, bi) = parts(b)
        return make(try Arithmetic.add(ar, br), try Arithmetic.add(ai, bi))
    }

    static func sub(_ a: Value, _ b: Value) throws -> Value {
        let (ar, ai) = parts(a), (br, bi) = parts(b)
        return make(try Arithmetic.sub(ar, br), try Arithmetic.sub(ai, bi))
    }

    static func mul(_ a: Value, _ b: Value) throws -> Value {
        let (ar, ai) = parts(a), (br, bi) = parts(b)
        let re = try Arithmetic.sub(Arithmetic.mul(ar, br), Arithmetic.mul(ai, bi))
        let im = try Arithmetic.add(Arithmetic.mul(ar, bi), Arithmetic.mul(ai, br))
        return make(re, im)
    }

    static func div(_ a: Value, _ b: Value) throws -> Value {
        let (ar, ai) = parts(a), (br, bi) = parts(b)
        let denominator = try Arithmetic.add(Arithmetic.mul(br, br), Arithmetic.mul(bi, bi))
        if try Arithmetic.isZero(denominator) {
            if Arithmetic.isExact(denominator) { throw SchemeError.divideByZero("/") }
        }
        let re = try Arithmetic.add(Arithmetic.mul(ar, br), Arithmetic.mul(ai, bi))
        let im = try Arithmetic.sub(Arithmetic.mul(ai, br), Arithmetic.mul(ar, bi))
        return make(try Arithmetic.div(re, denominator), try Arithmetic.div(im, denominator))
    }

    /// `magnitude` of a complex number (exact when both parts are exact and the result is).
    static func magnitude(_ z: Complex) throws -> Value {
        let sumOfSquares = try Arithmetic.add(Arithmetic.mul(z.real, z.real), Arithmetic.mul(z.imag, z.imag))
        if Arithmetic.isExact(sumOfSquares), let root = Arithmetic.exactSqrt(sumOfSquares) { return root }
        let (re, im) = (Arithmetic.toDouble(z.real), Arithmetic.toDouble(z.imag))
        return .double(hypot(re, im))
    }

    // MARK: Transcendental functions on doubles (principal branches)

    static func exp(_ re: Double, _ im: Double) -> (Double, Double) {
        let m = Foundation.exp(re)
        return (m * cos(im), m * sin(im))
    }

    static func log(_ re: Double, _ im: Double) -> (Double, Double) {
        (Foundation.log(hypot(re, im)), atan2(im, re))
    }

    /// Principal square root, computed without cancellation.
    static func sqrt(_ re: Double, _ im: Double) -> (Double, Double) {
        if re == 0 && im == 0 { return (0, im) }
        let m = hypot(re, im)
        if re >= 0 {
            let t = Foundation.sqrt((m + re) / 2)
            return (t, im / (2 * t))
        }
        let t = Foundation.sqrt((m - re) / 2)
        return (Swift.abs(im) / (2 * t), im.sign == .minus ? -t : t)
    }
}
