/// Equality, booleans, boxes and small generic helpers that sit with the list library:
/// `eq?`, `eqv?`, `equal?`, `not`, `boolean?`, `procedure?`, `box`, `unbox`, `set-box!`, `box?`,
/// `identity`, `void`, `void?`, `symbol=?`.
func registerEqualityAndBoxes(_ lib: LibraryBuilder) {
    lib.fn2("eq?") { a, b in .bool(Equality.eq(a, b)) }.inlineOp = .eq
    lib.fn2("eqv?") { a, b in .bool(Equality.eqv(a, b)) }
    lib.fn2("equal?") { a, b in .bool(Equality.equal(a, b)) }
    lib.fn1("not") { v in .bool(v.isFalse) }.inlineOp = .not
    lib.fn1("boolean?") { v in
        if case .bool = v { return .true }
        return .false
    }
    lib.fn1("procedure?") { v in .bool(v.isProcedure) }

    lib.fn1("box") { v in .object(Box(v)) }
    lib.fn1("unbox") { v in
        guard case .object(let b as Box) = v else { throw SchemeError.contract("unbox", expected: "box?", given: v) }
        return b.value
    }
    lib.fn2("set-box!") { v, x in
        guard case .object(let b as Box) = v else {
            throw SchemeError.contract("set-box!", expected: "(and/c box? (not/c immutable?))", given: v)
        }
        b.value = x
        return .void
    }
    lib.fn1("box?") { v in
        if case .object(let o) = v, o is Box { return .true }
        return .false
    }

    // Scaffold helper (reference §2.10).
    lib.fn1("identity") { v in v }
    lib.fn("void", 0, nil) { _ in .void }
    lib.fn1("void?") { v in
        if case .void = v { return .true }
        return .false
    }
    lib.fn("symbol=?", 1, nil) { args in
        let all = args.array()
        for (i, v) in all.enumerated() {
            guard case .symbol = v else {
                throw SchemeError.contract("symbol=?", expected: "symbol?", given: v, argument: i, of: all)
            }
        }
        for i in 1..<max(all.count, 1) where !Equality.eq(all[0], all[i]) { return .false }
        return .true
    }
}
