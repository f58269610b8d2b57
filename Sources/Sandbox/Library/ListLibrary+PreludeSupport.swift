/// First-order helpers for the Scheme prelude (`PreludeLists`): argument checks that raise
/// Racket's messages, and the `%cars`/`%cdrs` steps of n-ary `map`.
///
/// Checks live in Swift so the prelude needs no error-raising machinery of its own and each check
/// is one primitive call. All names start with `%`: they are not part of the language.
func registerListPreludeSupport(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    /// `(%check-procedure who f [expected])`: Racket says `procedure?` for `map`, but
    /// `(any/c . -> . any/c)` for `filter`, hence the optional contract text.
    lib.fn("%check-procedure", 2, 3) { args in
        guard args[1].isProcedure else {
            let expected = args.optional(2).flatMap { v -> String? in
                if case .string(let s) = v { return s.string }
                return nil
            } ?? "procedure?"
            throw SchemeError.contract(try whoName(args[0]), expected: expected, given: args[1])
        }
        return .void
    }
    /// `(%check-map1 who f l)`: one-list `map` & co.: `f` a procedure, `l` a proper list.
    lib.fn3("%check-map1") { [unowned rt] who, f, l in
        let name = try whoName(who)
        guard f.isProcedure else { throw SchemeError.contract(name, expected: "procedure?", given: f) }
        _ = try properListLength(l, name, rt)
        return .void
    }
    /// `(%check-list who v)`: a proper list, else `who: contract violation expected: list?`.
    lib.fn2("%check-list") { [unowned rt] who, v in
        _ = try properListLength(v, try whoName(who), rt)
        return .void
    }
    /// `(%check-nonempty-list who v)`: `argmin` and friends.
    lib.fn2("%check-nonempty-list") { [unowned rt] who, v in
        guard let n = try rt.properLength(v), n > 0 else {
            throw SchemeError.contract(try whoName(who), expected: "(and/c list? (not/c empty?))", given: v)
        }
        return .void
    }
    /// `(%check-lists who f lists)`: `f` a procedure, every list proper and as long as the first;
    /// returns that length.
    lib.fn3("%check-lists") { [unowned rt] who, f, lists in
        let name = try whoName(who)
        guard f.isProcedure else { throw SchemeError.contract(name, expected: "procedure?", given: f) }
        var first: Int?
        for list in try rt.properList(lists, name) {
            let n = try properListLength(list, name, rt)
            if let first, n != first { throw SchemeError.listsDifferInSize(name, first: first, other: n, procedure: f) }
            first = first ?? n
        }
        return .int(first ?? 0)
    }
    /// `(%check-fold who f init lists)`: `foldl`/`foldr` checks, with Racket's fold wording.
    lib.fn("%check-fold", 4, 4) { [unowned rt] args in
        let name = try whoName(args[0])
        let f = args[1], initial = args[2]
        guard f.isProcedure else { throw SchemeError.contract(name, expected: "procedure?", given: f) }
        let lists = try rt.properList(args[3], name)
        var first: Int?
        for (i, list) in lists.enumerated() {
            guard let n = try rt.properLength(list) else {
                throw SchemeError.contract(name, expected: "list?", given: list, argument: i + 2, of: [f, initial] + lists)
            }
            if let first, n != first { throw SchemeError.foldSizeMismatch(name, list: list) }
            first = first ?? n
        }
        return .void
    }
    /// `(%check-vectors who f vectors)`: `vector-map`/`vector-for-each`; returns the common length.
    lib.fn3("%check-vectors") { [unowned rt] who, f, vectors in
        let name = try whoName(who)
        guard f.isProcedure else { throw SchemeError.contract(name, expected: "procedure?", given: f) }
        var first: Int?
        let all = try rt.properList(vectors, name)
        for (i, v) in all.enumerated() {
            guard case .vector(let vec) = v else {
                throw SchemeError.contract(name, expected: "vector?", given: v, argument: i + 1, of: [f] + all)
            }
            if let first, vec.items.count != first {
                throw SchemeError.vectorsDifferInSize(name, first: first, other: vec.items.count, procedure: f)
            }
            first = first ?? vec.items.count
        }
        return .int(first ?? 0)
    }
    /// `(%check-count who n)`: an exact nonnegative integer (`build-list`, `build-vector`).
    lib.fn2("%check-count") { who, n in
        guard case .int(let k) = n, k >= 0 else {
            throw SchemeError.contract(try whoName(who), expected: "exact-nonnegative-integer?", given: n)
        }
        return .void
    }
    /// `(%check-real-result who v)`: what `argmin`'s procedure returned must be real.
    lib.fn2("%check-real-result") { who, v in
        switch v {
        case .int, .double: return .void
        case .object(let o) where o is BigNum || o is Ratnum: return .void
        default: throw SchemeError.contractResult(try whoName(who), expected: "real?", result: v)
        }
    }
    /// `(%cars lists [last])` / `(%cdrs lists)`: one step of an n-ary traversal (lists already
    /// checked). `last` is appended to the cars: the accumulator of `foldl`/`foldr`.
    lib.fn("%cars", 1, 2) { args in try mapPairs(args[0], "map", tail: args.optional(1)) { $0.car } }
    lib.fn1("%cdrs") { lists in try mapPairs(lists, "map", tail: nil) { $0.cdr } }
    /// `(%append-reverse acc tail)`: `(append (reverse acc) tail)` in one pass (merge, remove).
    lib.fn2("%append-reverse") { [unowned rt] acc, tail in
        let n = try properListLength(acc, "append-reverse", rt)
        try rt.chargeAllocation(pairs: n)
        var out = tail
        var c = ListCursor(acc)
        while let p = c.next() { out = .pair(Pair(p.car, out)) }
        return out
    }
    /// `(%sort list less? keyed? wrapped-less?)`: the body of `sort` (Interpreter+Sort.swift).
    lib.add(Primitive(name: "%sort", minArgs: 4, maxArgs: 4, body: .special(.sort)))
    /// `(%raise-non-pair who x list)`: `assoc`'s error for an element that is not a pair.
    lib.fn3("%raise-non-pair") { who, x, list in
        throw SchemeError.nonPairInList(try whoName(who), nonPair: x, list: list)
    }
}

/// The symbol naming the caller in a prelude check.
private func whoName(_ v: Value) throws -> String {
    if case .symbol(let s) = v { return s.name }
    throw SchemeError.contract("%check", expected: "symbol?", given: v)
}

private func mapPairs(_ lists: Value, _ who: String, tail: Value?, _ f: (Pair) -> Value) throws -> Value {
    var b = ListBuilder()
    var cur = lists
    while case .pair(let p) = cur {
        b.append(f(try p.car.asPair(who)))
        cur = p.cdr
    }
    if let tail { b.append(tail) }
    return b.finish()
}

extension SchemeError {
    /// `argmin: contract violation\n  expected: real?\n  result: 'a` (a procedure's result was wrong).
    static func contractResult(_ who: String, expected: String, result: Value) -> SchemeError {
        SchemeError(.contract, "\(who): contract violation\n  expected: \(expected)\n  result: \(errorText(result))",
                    irritants: [result])
    }
    /// `foldl: given list does not have the same size as the first list: '(1 2)`.
    static func foldSizeMismatch(_ who: String, list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): given list does not have the same size as the first list: \(errorText(list))",
                    irritants: [list])
    }
}
