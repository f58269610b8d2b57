import BigInt
import Foundation

/// Rounding, powers, roots, logarithms, trigonometry, integer bit operations and complex parts.
func registerNumberMath(_ lib: LibraryBuilder) {
    let runtime = lib.runtime
    lib.define("pi", .double(Double.pi))

    lib.fn1("floor") { v in try Arithmetic.round(v, .floor, who: "floor") }
    lib.fn1("ceiling") { v in try Arithmetic.round(v, .ceiling, who: "ceiling") }
    lib.fn1("round") { v in try Arithmetic.round(v, .round, who: "round") }
    lib.fn1("truncate") { v in try Arithmetic.round(v, .truncate, who: "truncate") }
    lib.fn1("exact-floor") { v in try Arithmetic.exactRound(v, .floor, who: "exact-floor") }
    lib.fn1("exact-ceiling") { v in try Arithmetic.exactRound(v, .ceiling, who: "exact-ceiling") }
    lib.fn1("exact-round") { v in try Arithmetic.exactRound(v, .round, who: "exact-round") }
    lib.fn1("exact-truncate") { v in try Arithmetic.exactRound(v, .truncate, who: "exact-truncate") }

    lib.fn2("expt") { base, power in
        try Arithmetic.expt(base, power) { bytes in
            try runtime.reserve(bytes: bytes)
            try runtime.charge(bytes / 64)
        }
    }
    lib.fn1("sqrt") { v in try Arithmetic.sqrt(v) }
    lib.fn1("integer-sqrt") { v in
        switch v {
        case .double(let d) where Arithmetic.isInteger(v) && d >= 0:
            return .double(Foundation.sqrt(d).rounded(.down))
        default:
            guard Arithmetic.isExactInteger(v), Arithmetic.signum(v) >= 0 else {
                throw SchemeError.contract("integer-sqrt", expected: "natural?", given: v)
            }
            return Value.integer(Arithmetic.integerSqrt(Arithmetic.bigInteger(v)))
        }
    }
    lib.fn1("exp") { v in try Arithmetic.exp(v) }
    lib.fn("log", 1, 2) { args in
        if args.count == 2 {
            try checkNumber(args[0], "log")
            try checkNumber(args[1], "log")
            return try Arithmetic.log(args[0], base: args[1])
        }
        return try Arithmetic.log(args[0])
    }
    lib.fn1("sin") { v in try Arithmetic.sin(v) }
    lib.fn1("cos") { v in try Arithmetic.cos(v) }
    lib.fn1("tan") { v in try Arithmetic.tan(v) }
    lib.fn1("asin") { v in try Arithmetic.asin(v) }
    lib.fn1("acos") { v in try Arithmetic.acos(v) }
    lib.fn("atan", 1, 2) { args in
        args.count == 2 ? try Arithmetic.atan(args[0], args[1]) : try Arithmetic.atan(args[0])
    }

    lib.fn1("numerator") { v in try fractionPart(v, "numerator") { $0.0 } }
    lib.fn1("denominator") { v in try fractionPart(v, "denominator") { $0.1 } }
    lib.fn1("sgn") { v in
        try checkReal(v, "sgn")
        if case .double(let d) = v { return .double(d.isNaN || d == 0 ? d : (d > 0 ? 1 : -1)) }
        return .int(Arithmetic.signum(v))
    }

    registerBitwise(lib)
    registerComplexParts(lib)
}

/// Numerator or denominator of a rational; a flonum's is computed exactly, returned as a flonum.
private func fractionPart(_ v: Value, _ who: String, _ pick: ((BigInt, BigInt)) -> BigInt) throws -> Value {
    // Racket's wording for these two is `rational-number?`.
    guard Arithmetic.isRational(v) else { throw SchemeError.contract(who, expected: "rational-number?", given: v) }
    if case .double(let d) = v {
        if d == 0 { return who == "numerator" ? v : .double(1) }
        let part = pick(Arithmetic.ratParts(Arithmetic.exactFromFinite(d)))
        return .double(Arithmetic.bigToDouble(part))
    }
    return Value.integer(pick(Arithmetic.ratParts(v)))
}

/// `arithmetic-shift` and the bitwise operations, on exact integers (two's complement semantics).
private func registerBitwise(_ lib: LibraryBuilder) {
    let runtime = lib.runtime
    lib.fn2("arithmetic-shift") { n, k in
        guard Arithmetic.isExactInteger(n) else {
            throw SchemeError.contract("arithmetic-shift", expected: "exact-integer?", given: n)
        }
        guard case .int(let shift) = k else {
            throw SchemeError.contract("arithmetic-shift", expected: "fixnum?", given: k)
        }
        if case .int(let x) = n {
            if shift <= 0 { return .int(shift <= -64 ? (x < 0 ? -1 : 0) : x >> -shift) }
            if shift < 63, x.magnitude < UInt(1) << (62 - shift) { return .int(x << shift) }
        }
        let big = Arithmetic.bigInteger(n)
        if shift > 0 {
            if big.isZero { return .int(0) }
            try runtime.reserve(bytes: shift / 8)
            if shift > Arithmetic.maxResultBits { throw SchemeError.numberTooLarge("arithmetic-shift") }
            try runtime.charge(shift / 512)
            return Value.integer(big << shift)
        }
        // Floor semantics for negative numbers: -5 >> 1 is -3.
        if big.sign == .minus { return Value.integer(-((-big - 1) >> -shift) - 1) }
        return Value.integer(big >> -shift)
    }
    bitwise(lib, "bitwise-and", identity: -1, &)
    bitwise(lib, "bitwise-ior", identity: 0, |)
    bitwise(lib, "bitwise-xor", identity: 0, ^)
    lib.fn1("bitwise-not") { v in
        if case .int(let i) = v { return .int(~i) }
        guard Arithmetic.isExactInteger(v) else {
            throw SchemeError.contract("bitwise-not", expected: "exact-integer?", given: v)
        }
        return Value.integer(-Arithmetic.bigInteger(v) - 1)
    }
    lib.fn1("integer-length") { v in
        guard Arithmetic.isExactInteger(v) else {
            throw SchemeError.contract("integer-length", expected: "exact-integer?", given: v)
        }
        let big = Arithmetic.bigInteger(v)
        return .int(big.sign == .minus ? (-big - 1).magnitude.bitWidth : big.magnitude.bitWidth)
    }
}

/// A variadic bitwise operation. Fixnum arguments only: bignum bit operations are not needed by
/// the programs the sandbox runs, and BigInt's operators do not use two's complement.
private func bitwise(_ lib: LibraryBuilder, _ name: String, identity: Int, _ op: @escaping (Int, Int) -> Int) {
    lib.fn(name, 0, nil) { args in
        var acc = identity
        for i in 0..<args.count {
            guard case .int(let x) = args[i] else {
                throw SchemeError.contract(name, expected: "fixnum?", given: args[i])
            }
            acc = op(acc, x)
        }
        return .int(acc)
    }
}

private func registerComplexParts(_ lib: LibraryBuilder) {
    lib.fn1("real-part") { v in
        try checkNumber(v, "real-part")
        return Complex.parts(v).0
    }
    lib.fn1("imag-part") { v in
        try checkNumber(v, "imag-part")
        return Complex.parts(v).1
    }
    lib.fn1("angle") { v in
        if case .object(let z as Complex) = v {
            return .double(atan2(Arithmetic.toDouble(z.imag), Arithmetic.toDouble(z.real)))
        }
        try checkReal(v, "angle")
        if case .double(let d) = v { return .double(d.isNaN ? d : (d.sign == .minus ? Double.pi : 0)) }
        if Arithmetic.signum(v) == 0 { throw SchemeError.undefinedFor("angle", v) }
        return Arithmetic.signum(v) < 0 ? .double(Double.pi) : .int(0)
    }
    lib.fn2("make-rectangular") { re, im in
        try checkReal(re, "make-rectangular")
        try checkReal(im, "make-rectangular")
        return Complex.make(re, im)
    }
    lib.fn2("make-polar") { m, a in
        try checkReal(m, "make-polar")
        try checkReal(a, "make-polar")
        if case .int(0) = a { return m }
        let r = Arithmetic.toDouble(m), t = Arithmetic.toDouble(a)
        return Complex.make(r * cos(t), r * sin(t))
    }
    lib.fn1("conjugate") { v in
        if case .object(let z as Complex) = v { return Complex.make(z.real, try Arithmetic.negate(z.imag)) }
        try checkNumber(v, "conjugate")
        return v
    }
}
