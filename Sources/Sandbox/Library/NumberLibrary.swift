import BigInt

/// The number library: racket/base arithmetic, comparison and number predicates, plus `~r` and
/// the racket/math extras (`pi`, `sqr`, `nan?`, `exact-round`, …).
///
/// The generic work lives in `Arithmetic`; these primitives add Racket's argument conventions
/// (variadic folds, contract errors naming the primitive).
func registerNumberLibrary(_ lib: LibraryBuilder) {
    registerArithmetic(lib)
    registerComparisons(lib)
    registerNumberPredicates(lib)
    registerNumberMath(lib)
    registerNumberConversions(lib)
    registerRandom(lib)
    registerFormatR(lib)
}

/// Throws `who: contract violation` unless `v` is a number.
@inline(__always)
func checkNumber(_ v: Value, _ who: String) throws {
    if !Arithmetic.isNumber(v) { throw SchemeError.contract(who, expected: "number?", given: v) }
}

/// Throws `who: contract violation` unless `v` is a real number.
@inline(__always)
func checkReal(_ v: Value, _ who: String) throws {
    if !Arithmetic.isReal(v) { throw SchemeError.contract(who, expected: "real?", given: v) }
}

private func registerArithmetic(_ lib: LibraryBuilder) {
    lib.fn("+", 0, nil) { args in
        switch args.count {
        case 0: return .int(0)
        case 1: try checkNumber(args[0], "+"); return args[0]
        default:
            var acc = try Arithmetic.add(args[0], args[1])
            for i in 2..<args.count { acc = try Arithmetic.add(acc, args[i]) }
            return acc
        }
    }.inlineOp = .add
    lib.fn("-", 1, nil) { args in
        if args.count == 1 {
            try checkNumber(args[0], "-")
            return try Arithmetic.negate(args[0])
        }
        var acc = try Arithmetic.sub(args[0], args[1])
        for i in 2..<args.count { acc = try Arithmetic.sub(acc, args[i]) }
        return acc
    }.inlineOp = .sub
    lib.fn("*", 0, nil) { args in
        switch args.count {
        case 0: return .int(1)
        case 1: try checkNumber(args[0], "*"); return args[0]
        default:
            var acc = try Arithmetic.mul(args[0], args[1])
            for i in 2..<args.count { acc = try Arithmetic.mul(acc, args[i]) }
            return acc
        }
    }.inlineOp = .mul
    lib.fn("/", 1, nil) { args in
        if args.count == 1 {
            try checkNumber(args[0], "/")
            return try Arithmetic.div(.int(1), args[0])
        }
        var acc = try Arithmetic.div(args[0], args[1])
        for i in 2..<args.count { acc = try Arithmetic.div(acc, args[i]) }
        return acc
    }
    lib.fn1("add1") { v in
        try checkNumber(v, "add1")
        return try Arithmetic.add(v, .int(1))
    }.inlineOp = .add1
    lib.fn1("sub1") { v in
        try checkNumber(v, "sub1")
        return try Arithmetic.sub(v, .int(1))
    }.inlineOp = .sub1
    lib.fn1("sqr") { v in
        try checkNumber(v, "sqr")
        return try Arithmetic.mul(v, v)
    }
    lib.fn1("abs") { v in try absoluteValue(v, "abs") }
    lib.fn1("magnitude") { v in
        if case .object(let z as Complex) = v { return try Complex.magnitude(z) }
        try checkNumber(v, "magnitude")
        return try absoluteValue(v, "magnitude")
    }
    lib.fn("max", 1, nil) { args in try extremum(args, "max", wantLarger: true) }
    lib.fn("min", 1, nil) { args in try extremum(args, "min", wantLarger: false) }
    lib.fn("gcd", 0, nil) { args in
        var acc: Value = .int(0)
        for i in 0..<args.count { acc = try Arithmetic.gcd(acc, args[i]) }
        return acc
    }
    lib.fn("lcm", 0, nil) { args in
        var acc: Value = .int(1)
        for i in 0..<args.count { acc = try Arithmetic.lcm(acc, args[i]) }
        return acc
    }
    lib.fn2("quotient") { a, b in try Arithmetic.divide(a, b, .quotient, who: "quotient") }
    lib.fn2("remainder") { a, b in try Arithmetic.divide(a, b, .remainder, who: "remainder") }
    lib.fn2("modulo") { a, b in try Arithmetic.divide(a, b, .modulo, who: "modulo") }
}

/// `abs` of a real; `(abs -9223372036854775808)` becomes a bignum.
private func absoluteValue(_ v: Value, _ who: String) throws -> Value {
    switch v {
    case .int(let i): return i >= 0 ? v : try Arithmetic.negate(v)
    case .double(let d): return .double(Swift.abs(d))
    default:
        try checkReal(v, who)
        return Arithmetic.signum(v) < 0 ? try Arithmetic.negate(v) : v
    }
}

/// `max` / `min`: NaN wins, and any flonum argument makes the result a flonum.
private func extremum(_ args: Arguments, _ who: String, wantLarger: Bool) throws -> Value {
    var best = args[0]
    try checkReal(best, who)
    var inexact = !Arithmetic.isExact(best)
    var sawNaN = best.isNaNValue
    for i in 1..<max(args.count, 1) {
        let v = args[i]
        try checkReal(v, who)
        if !Arithmetic.isExact(v) { inexact = true }
        guard let c = try Arithmetic.compare(v, best, who: who) else {
            sawNaN = true
            continue
        }
        if wantLarger ? c > 0 : c < 0 { best = v }
    }
    if sawNaN { return .double(.nan) }
    return inexact ? Arithmetic.toInexact(best) : best
}

private func registerComparisons(_ lib: LibraryBuilder) {
    lib.fn("=", 1, nil) { args in
        if args.count == 2, case .int(let x) = args[0], case .int(let y) = args[1] { return .bool(x == y) }
        try checkNumber(args[0], "=")
        var result = true
        for i in 1..<max(args.count, 1) {
            if result {
                result = try Arithmetic.numEqual(args[i - 1], args[i])
            } else {
                try checkNumber(args[i], "=")
            }
        }
        return .bool(result)
    }.inlineOp = .numEq
    comparison(lib, "<", .lt) { $0 < 0 }
    comparison(lib, ">", .gt) { $0 > 0 }
    comparison(lib, "<=", .le) { $0 <= 0 }
    comparison(lib, ">=", .ge) { $0 >= 0 }
}

/// A variadic real comparison: true when `test` holds for every adjacent pair. Every argument is
/// checked to be real, even after the answer is known, as in Racket.
private func comparison(_ lib: LibraryBuilder, _ name: String, _ op: InlineOp, _ test: @escaping (Int) -> Bool) {
    lib.fn(name, 1, nil) { args in
        if args.count == 2, case .int(let x) = args[0], case .int(let y) = args[1] {
            return .bool(test(x < y ? -1 : (x == y ? 0 : 1)))
        }
        try checkReal(args[0], name)
        var result = true
        for i in 1..<max(args.count, 1) {
            if result {
                let c = try Arithmetic.compare(args[i - 1], args[i], who: name)
                result = c.map(test) ?? false
            } else {
                try checkReal(args[i], name)
            }
        }
        return .bool(result)
    }.inlineOp = op
}
