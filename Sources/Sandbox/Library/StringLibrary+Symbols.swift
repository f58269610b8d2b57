/// Symbols and keywords: conversions to and from strings, `gensym`, ordering.
func registerSymbolPrimitives(_ lib: LibraryBuilder) {
    lib.fn1("symbol?") { v in
        if case .symbol = v { return .true }
        return .false
    }
    lib.fn1("keyword?") { v in
        if case .keyword = v { return .true }
        return .false
    }
    lib.fn1("string->symbol") { v in .symbol(Symbol.intern(try v.asString("string->symbol").string)) }
    lib.fn1("symbol->string") { v in .string(MString(try v.asSymbol("symbol->string").name)) }
    lib.fn1("string->uninterned-symbol") { v in
        .symbol(Symbol.uninterned(try v.asString("string->uninterned-symbol").string))
    }
    lib.fn1("symbol-interned?") { v in .bool(try v.asSymbol("symbol-interned?").isInterned) }
    lib.fn1("string->keyword") { v in .keyword(Symbol.intern(try v.asString("string->keyword").string)) }
    lib.fn1("keyword->string") { v in
        guard case .keyword(let k) = v else { throw SchemeError.contract("keyword->string", expected: "keyword?", given: v) }
        return .string(MString(k.name))
    }

    // Per session, so a fixed program makes the same names on every run.
    let counter = GensymCounter()
    lib.fn("gensym", 0, 1) { args in
        var base = "g"
        if let b = args.optional(0) {
            switch b {
            case .symbol(let s): base = s.name
            case .string(let s): base = s.string
            default: throw SchemeError.contract("gensym", expected: "(or/c symbol? string?)", given: b)
            }
        }
        counter.next += 1
        return .symbol(Symbol.uninterned(base + String(counter.next)))
    }

    lib.fn("symbol<?", 1, nil) { args in try ordered(args, "symbol<?", expected: "symbol?") }
    lib.fn("keyword<?", 1, nil) { args in try ordered(args, "keyword<?", expected: "keyword?") }
}

/// The counter behind `gensym` names (`g1`, `g2`, …).
private final class GensymCounter {
    var next = 0
}

/// `symbol<?` / `keyword<?`: names in strictly increasing code-point order.
private func ordered(_ args: Arguments, _ who: String, expected: String) throws -> Value {
    var names: [[Unicode.Scalar]] = []
    for i in 0..<args.count {
        switch (args[i], expected) {
        case (.symbol(let s), "symbol?"), (.keyword(let s), "keyword?"): names.append(Array(s.name.unicodeScalars))
        default: throw SchemeError.contract(who, expected: expected, given: args[i])
        }
    }
    for i in 1..<max(1, names.count) where compareScalars(names[i - 1], names[i]) >= 0 { return .false }
    return .true
}
