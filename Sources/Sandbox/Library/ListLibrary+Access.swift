/// Reading lists by position: `length`, `list-ref`, `list-tail`, `first` … `fifth`, `last`, `rest`,
/// `last-pair`, `take`, `drop`, `take-right`, `drop-right`, `split-at`.
///
/// `first`, `rest` and `second` … `fifth` check only the pairs they touch, where Racket also
/// checks that the whole argument is a proper list: Racket caches that answer in the pair, we
/// cannot, and a loop of `first`/`rest` would turn quadratic (deviation noted in the report).
func registerListAccess(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn1("length") { [unowned rt] v in
        guard let n = try rt.properLength(v) else { throw SchemeError.contract("length", expected: "list?", given: v) }
        return .int(n)
    }
    lib.fn2("list-ref") { [unowned rt] list, index in
        let p = try pairAt(list, index, "list-ref", rt)
        return p.car
    }
    lib.fn2("list-tail") { [unowned rt] list, index in
        let k = try listIndex(index, "list-tail")
        return try tail(list, k, index: index, "list-tail", rt)
    }

    let nonEmpty = "(and/c list? (not/c empty?))"
    lib.fn1("first") { v in
        guard case .pair(let p) = v else { throw SchemeError.contract("first", expected: nonEmpty, given: v) }
        return p.car
    }
    lib.fn1("rest") { v in
        guard case .pair(let p) = v else { throw SchemeError.contract("rest", expected: nonEmpty, given: v) }
        return p.cdr
    }
    for (offset, name) in ["second", "third", "fourth", "fifth"].enumerated() {
        lib.fn1(name) { v in try nth(v, offset + 1, name) }
    }
    lib.fn1("last") { [unowned rt] v in
        var c = ListCursor(v)
        var last: Pair?
        while let p = c.next() { last = p }
        try rt.charge(c.count)
        guard c.isProper, let last else { throw SchemeError.contract("last", expected: nonEmpty, given: v) }
        return last.car
    }
    lib.fn1("last-pair") { [unowned rt] v in
        guard case .pair(var last) = v else { throw SchemeError.contract("last-pair", expected: "pair?", given: v) }
        var c = ListCursor(v)
        while let p = c.next() { last = p }
        try rt.charge(c.count)
        if c.isCyclic { throw SchemeError.contract("last-pair", expected: "(not/c cyclic-list?)", given: v) }
        return .pair(last)
    }

    lib.fn2("take") { [unowned rt] list, n in
        let k = try exactCount(n, "take", list: list, argument: 1)
        return try prefix(list, k, "take", rt).list
    }
    lib.fn2("drop") { [unowned rt] list, n in
        let k = try exactCount(n, "drop", list: list, argument: 1)
        return try prefixTail(list, k, "drop", rt)
    }
    lib.fn2("split-at") { [unowned rt] list, n in
        let k = try exactCount(n, "split-at", list: list, argument: 1)
        let (head, rest) = try prefix(list, k, "split-at", rt)
        return .object(MultipleValues([head, rest]))
    }
    lib.fn2("take-right") { [unowned rt] list, n in
        let k = try exactCount(n, "take-right", list: list, argument: 1)
        let pairs = try pairCount(list, k, "take-right", rt)
        return try prefixTail(list, pairs - k, "take-right", rt)
    }
    lib.fn2("drop-right") { [unowned rt] list, n in
        let k = try exactCount(n, "drop-right", list: list, argument: 1)
        let pairs = try pairCount(list, k, "drop-right", rt)
        return try prefix(list, pairs - k, "drop-right", rt).list
    }
}

// MARK: Helpers shared by the positional primitives

/// A `list-ref`/`list-tail` index: Racket words a bad one `index 'a is not an exact nonnegative integer`.
/// Bignums are clamped to `Int.max`, which no list reaches.
func listIndex(_ v: Value, _ who: String) throws -> Int {
    switch v {
    case .int(let i) where i >= 0: return i
    case .object(let b as BigNum) where b.value.signum() > 0: return .max
    default: throw SchemeError.badListIndex(who, index: v)
    }
}

/// A count argument (`take`, `make-list`, …): an exact nonnegative integer, or a contract error
/// naming its position. Bignums are clamped to `Int.max` (no list is that long; no allocation fits).
func exactCount(_ v: Value, _ who: String, list: Value, argument: Int) throws -> Int {
    switch v {
    case .int(let i) where i >= 0: return i
    case .object(let b as BigNum) where b.value.signum() > 0: return .max
    default:
        var args = [list]
        args.insert(v, at: min(argument, 1))
        throw SchemeError.contract(who, expected: "exact-nonnegative-integer?", given: v, argument: argument, of: args)
    }
}

/// The pair at position `index`, for `list-ref`.
private func pairAt(_ list: Value, _ index: Value, _ who: String, _ rt: Runtime) throws -> Pair {
    let k = try listIndex(index, who)
    var cur = list
    var i = 0
    while true {
        guard case .pair(let p) = cur else {
            throw cur.isNull ? SchemeError.indexTooLarge(who, index: index, in: list)
                             : SchemeError.indexReachesNonPair(who, index: index, in: list)
        }
        if i == k { return p }
        try rt.charge(1)  // per step: a bignum index on a cyclic list must still run out of fuel
        cur = p.cdr
        i += 1
    }
}

/// What is left after `k` cdrs, for `list-tail`.
private func tail(_ list: Value, _ k: Int, index: Value, _ who: String, _ rt: Runtime) throws -> Value {
    var cur = list
    var i = 0
    while i < k {
        guard case .pair(let p) = cur else {
            throw cur.isNull ? SchemeError.indexTooLarge(who, index: index, in: list)
                             : SchemeError.indexReachesNonPair(who, index: index, in: list)
        }
        try rt.charge(1)
        cur = p.cdr
        i += 1
    }
    return cur
}

/// The `n`th element (1 = second) for `second` … `fifth`.
private func nth(_ v: Value, _ n: Int, _ who: String) throws -> Value {
    var cur = v
    for _ in 0..<n {
        guard case .pair(let p) = cur else { throw tooFew(v, cur, who) }
        cur = p.cdr
    }
    guard case .pair(let p) = cur else { throw tooFew(v, cur, who) }
    return p.car
}

private func tooFew(_ list: Value, _ end: Value, _ who: String) -> SchemeError {
    end.isNull ? SchemeError.tooFewElements(who, list: list) : SchemeError.contract(who, expected: "list?", given: list)
}

/// The `take`-family error for a list with fewer than `k` pairs.
private func tooShort(_ list: Value, _ k: Int, _ who: String, _ rt: Runtime) throws -> SchemeError {
    SchemeError.tooShort(who, needed: k, given: list, proper: try rt.properLength(list) != nil)
}

/// A fresh list of the first `k` elements, and the rest of the original list.
private func prefix(_ list: Value, _ k: Int, _ who: String, _ rt: Runtime) throws -> (list: Value, rest: Value) {
    var b = ListBuilder()
    var cur = list
    var i = 0
    while i < k {
        guard case .pair(let p) = cur else { throw try tooShort(list, k, who, rt) }
        if i & 0xFFFF == 0 { try rt.chargeAllocation(pairs: min(k - i, 0x10000)) }
        b.append(p.car)
        cur = p.cdr
        i += 1
    }
    return (b.finish(), cur)
}

/// What is left after `k` pairs, for `drop` (shares structure with `list`).
private func prefixTail(_ list: Value, _ k: Int, _ who: String, _ rt: Runtime) throws -> Value {
    var cur = list
    var i = 0
    while i < k {
        guard case .pair(let p) = cur else { throw try tooShort(list, k, who, rt) }
        try rt.charge(1)
        cur = p.cdr
        i += 1
    }
    return cur
}

/// The number of pairs in `list` (improper tails allowed), at least `k`, for `take-right`/`drop-right`.
private func pairCount(_ list: Value, _ k: Int, _ who: String, _ rt: Runtime) throws -> Int {
    var c = ListCursor(list)
    while c.next() != nil {}
    try rt.charge(c.count)
    if c.isCyclic { throw SchemeError.contract(who, expected: "list?", given: list) }
    guard c.count >= k else { throw try tooShort(list, k, who, rt) }
    return c.count
}
