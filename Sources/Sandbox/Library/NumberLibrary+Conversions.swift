/// Exactness conversions and `number->string` / `string->number`.
func registerNumberConversions(_ lib: LibraryBuilder) {
    lib.fn1("exact->inexact") { v in try inexact(v, "exact->inexact") }
    lib.fn1("inexact") { v in try inexact(v, "inexact") }
    lib.fn1("real->double-flonum") { v in
        try checkReal(v, "real->double-flonum")
        return .double(Arithmetic.toDouble(v))
    }
    lib.fn1("inexact->exact") { v in try exact(v, "inexact->exact") }
    lib.fn1("exact") { v in try exact(v, "exact") }

    lib.fn("number->string", 1, 2) { args in
        let v = args[0]
        try checkNumber(v, "number->string")
        let radix = try radixArgument(args.optional(1), "number->string")
        if radix != 10 && !Arithmetic.isExact(v) { throw SchemeError.inexactRadix("number->string", v, radix: radix) }
        return .str(NumberFormat.render(v, radix: radix))
    }
    lib.fn("string->number", 1, 2) { args in
        let text = try args[0].asString("string->number")
        var radix = 10
        if let r = args.optional(1) {
            guard case .int(let n) = r, (2...16).contains(n) else {
                throw SchemeError.contract("string->number", expected: "(integer-in 2 16)", given: r)
            }
            radix = n
        }
        return NumberFormat.parse(text.string, radix: radix) ?? .false
    }
}

private func inexact(_ v: Value, _ who: String) throws -> Value {
    if case .double = v { return v }
    try checkNumber(v, who)
    return Arithmetic.toInexact(v)
}

/// `inexact->exact`: infinities and NaN have no exact value (the error names `exact`, as Racket's does).
private func exact(_ v: Value, _ who: String) throws -> Value {
    switch v {
    case .double(let d):
        guard let e = Arithmetic.toExact(d) else { throw SchemeError.noExactRepresentation(v) }
        return e
    case .object(let z as Complex):
        return Complex.make(try exact(z.real, who), try exact(z.imag, who))
    default:
        try checkNumber(v, who)
        return v
    }
}

/// The optional radix of `number->string`: 2, 8, 10 or 16.
private func radixArgument(_ v: Value?, _ who: String) throws -> Int {
    guard let v else { return 10 }
    if case .int(let r) = v, r == 2 || r == 8 || r == 10 || r == 16 { return r }
    throw SchemeError.contract(who, expected: "(or/c 2 8 10 16)", given: v)
}
