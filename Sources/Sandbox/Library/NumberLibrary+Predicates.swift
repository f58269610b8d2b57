import BigInt

/// Number predicates: type tests (`number?`, `integer?`, `fixnum?` …) never fail; sign and
/// parity tests (`positive?`, `even?` …) raise a contract error on the wrong kind of argument.
func registerNumberPredicates(_ lib: LibraryBuilder) {
    lib.fn1("number?") { v in .bool(Arithmetic.isNumber(v)) }
    lib.fn1("complex?") { v in .bool(Arithmetic.isNumber(v)) }
    lib.fn1("real?") { v in .bool(Arithmetic.isReal(v)) }
    lib.fn1("rational?") { v in .bool(Arithmetic.isRational(v)) }
    lib.fn1("integer?") { v in .bool(Arithmetic.isInteger(v)) }
    lib.fn1("exact-integer?") { v in .bool(Arithmetic.isExactInteger(v)) }
    lib.fn1("exact-nonnegative-integer?") { v in
        .bool(Arithmetic.isExactInteger(v) && Arithmetic.signum(v) >= 0)
    }
    lib.alias("natural?", "exact-nonnegative-integer?")
    lib.fn1("exact-positive-integer?") { v in .bool(Arithmetic.isExactInteger(v) && Arithmetic.signum(v) > 0) }
    lib.fn1("flonum?") { v in
        if case .double = v { return .true }
        return .false
    }
    lib.alias("double-flonum?", "flonum?")
    lib.fn1("single-flonum?") { _ in .false }
    lib.fn1("fixnum?") { v in
        // Racket CS fixnums are 61 bits wide.
        if case .int(let i) = v { return .bool(i >= -(1 << 60) && i < 1 << 60) }
        return .false
    }
    lib.fn1("exact?") { v in
        try checkNumber(v, "exact?")
        return .bool(Arithmetic.isExact(v))
    }
    lib.fn1("inexact?") { v in
        try checkNumber(v, "inexact?")
        return .bool(!Arithmetic.isExact(v))
    }
    lib.fn1("zero?") { v in
        if case .int(let i) = v { return .bool(i == 0) }
        return .bool(try Arithmetic.isZero(v))
    }.inlineOp = .isZero
    lib.fn1("positive?") { v in
        try checkReal(v, "positive?")
        return .bool(Arithmetic.signum(v) > 0)
    }
    lib.fn1("negative?") { v in
        try checkReal(v, "negative?")
        return .bool(Arithmetic.signum(v) < 0)
    }
    lib.fn1("even?") { v in .bool(try !isOdd(v, "even?")) }
    lib.fn1("odd?") { v in .bool(try isOdd(v, "odd?")) }
    lib.fn1("nan?") { v in
        try checkReal(v, "nan?")
        return .bool(v.isNaNValue)
    }
    lib.fn1("infinite?") { v in
        try checkReal(v, "infinite?")
        if case .double(let d) = v { return .bool(d.isInfinite) }
        return .false
    }
}

/// Parity of an integer (exact or integral flonum).
private func isOdd(_ v: Value, _ who: String) throws -> Bool {
    switch v {
    case .int(let i): return i & 1 == 1
    case .object(let b as BigNum): return b.value.magnitude[bitAt: 0]
    case .double(let d) where Arithmetic.isInteger(v): return d.truncatingRemainder(dividingBy: 2) != 0
    default: throw SchemeError.contract(who, expected: "integer?", given: v)
    }
}
