/// Building new lists: `append`, `append*`, `reverse`, `make-list`, `list-copy`, `list-set`,
/// `flatten`, `add-between`, `shuffle`, `chunk`. (`range` is in `ListLibrary+Range.swift`.)
///
/// Each one measures its output before allocating and reserves fuel and memory for it, so a
/// program that builds a huge list stops at the memory limit instead of growing the process.
func registerListConstruction(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn("append", 0, nil) { [unowned rt] args in
        try appendLists(args.array(), "append", rt)
    }
    lib.fn("append*", 1, nil) { [unowned rt] args in
        var parts = args.array(from: 0)
        let last = parts.removeLast()
        parts += try rt.properList(last, "append*")
        return try appendLists(parts, "append*", rt)
    }
    lib.fn1("reverse") { [unowned rt] list in
        let n = try properListLength(list, "reverse", rt)
        try rt.chargeAllocation(pairs: n)
        var out = Value.null
        var c = ListCursor(list)
        while let p = c.next() { out = .pair(Pair(p.car, out)) }
        return out
    }
    lib.fn2("make-list") { [unowned rt] n, fill in
        let k = try exactCount(n, "make-list", list: fill, argument: 0)
        try rt.chargeAllocation(pairs: k)
        var out = Value.null
        for _ in 0..<k { out = .pair(Pair(fill, out)) }
        return out
    }
    lib.fn1("list-copy") { [unowned rt] list in
        // R7RS: copies the spine, keeps an improper tail.
        var c = ListCursor(list)
        while c.next() != nil {}
        if c.isCyclic { throw SchemeError.contract("list-copy", expected: "list?", given: list) }
        try rt.chargeAllocation(pairs: c.count)
        var b = ListBuilder()
        var copy = ListCursor(list)
        while let p = copy.next() { b.append(p.car) }
        return b.finish(tail: copy.rest)
    }
    lib.fn3("list-set") { [unowned rt] list, pos, value in
        let k = try exactCount(pos, "list-set", list: list, argument: 1)
        var items = try rt.properList(list, "list-set")
        guard k < items.count else { throw SchemeError.indexTooLarge("list-set", index: pos, in: list) }
        try rt.chargeAllocation(pairs: items.count)
        items[k] = value
        return Value.list(items)
    }
    lib.fn1("flatten") { [unowned rt] v in try flatten(v, rt) }
    lib.fnKw("add-between", 2, 2, keywords: ["splice?", "before-first", "before-last", "after-last"]) { [unowned rt] args, kw in
        try addBetween(args[0], args[1], kw, rt)
    }
    lib.fn1("shuffle") { [unowned rt] list in
        var items = try rt.properList(list, "shuffle")
        try rt.chargeAllocation(pairs: items.count)
        if items.count > 1 {
            for i in stride(from: items.count - 1, to: 0, by: -1) {
                let j = Int(rt.random.next(below: UInt64(i + 1)))
                items.swapAt(i, j)
            }
        }
        return Value.list(items)
    }
    lib.fn2("chunk") { [unowned rt] list, size in
        // Scaffold helper (reference §2.10): sublists of `size` elements, the last one shorter.
        guard case .int(let n) = size, n > 0 else {
            throw SchemeError.contract("chunk", expected: "exact-positive-integer?", given: size, argument: 1, of: [list, size])
        }
        let items = try rt.properList(list, "chunk")
        try rt.chargeAllocation(pairs: items.count + items.count / n + 1)
        var chunks = ListBuilder()
        var start = 0
        while start < items.count {
            let end = items.count - start > n ? start + n : items.count
            chunks.append(Value.list(items[start..<end]))
            start = end
        }
        return chunks.finish()
    }
}

/// The number of elements of a proper list, charging the walk; a `list?` contract error otherwise.
func properListLength(_ list: Value, _ who: String, _ rt: Runtime) throws -> Int {
    guard let n = try rt.properLength(list) else { throw SchemeError.contract(who, expected: "list?", given: list) }
    return n
}

/// `(append l1 … ln tail)`: copies every list but the last, which is shared (and may be anything).
func appendLists(_ parts: [Value], _ who: String, _ rt: Runtime) throws -> Value {
    guard let last = parts.last else { return .null }
    var total = 0
    for part in parts.dropLast() { total += try properListLength(part, who, rt) }
    try rt.chargeAllocation(pairs: total)
    var b = ListBuilder()
    for part in parts.dropLast() {
        var c = ListCursor(part)
        while let p = c.next() { b.append(p.car) }
    }
    return b.finish(tail: last)
}

/// `flatten`: the non-list leaves of a tree, left to right. Iterative, so deep trees cannot
/// overflow the Swift stack; charged per node, so a cyclic tree runs out of fuel.
private func flatten(_ v: Value, _ rt: Runtime) throws -> Value {
    var b = ListBuilder()
    var work: [Value] = [v]
    while let x = work.popLast() {
        try rt.charge(1)
        switch x {
        case .null: continue
        case .pair(let p):
            work.append(p.cdr)
            work.append(p.car)
        default:
            try rt.reserve(bytes: HeapCost.pair)
            b.append(x)
        }
    }
    return b.finish()
}

/// `add-between` with Racket's keywords (`racket/list`): `#:splice?` inserts the elements of the
/// separator lists rather than the lists themselves.
private func addBetween(_ list: Value, _ sep: Value, _ kw: KeywordArguments, _ rt: Runtime) throws -> Value {
    guard try rt.properLength(list) != nil, let items = list.listToArrayBounded() else {
        throw SchemeError.contract("add-between", expected: "list?", given: list, argument: 0, of: [list, sep])
    }
    let splice = kw[Symbol.intern("splice?")]?.isTrue ?? false
    let beforeFirst = kw[Symbol.intern("before-first")] ?? .null
    let beforeLast = kw[Symbol.intern("before-last")] ?? sep
    let afterLast = kw[Symbol.intern("after-last")] ?? .null
    if items.isEmpty { return .null }

    var b = ListBuilder()
    if !splice {
        for (name, v) in [("#:before-first", beforeFirst), ("#:after-last", afterLast)] where !v.isNull {
            throw SchemeError.addBetween("\(name) can only be used in splicing mode", given: v, list: list)
        }
        try rt.chargeAllocation(pairs: items.count * 2)
        for (i, x) in items.enumerated() {
            if i > 0 { b.append(i == items.count - 1 ? beforeLast : sep) }
            b.append(x)
        }
        return b.finish()
    }

    func spliced(_ v: Value) throws -> [Value] {
        guard let xs = v.listToArrayBounded() else {
            throw SchemeError.addBetween("list needed in splicing mode", given: v, list: list)
        }
        return xs
    }
    let first = try spliced(beforeFirst), between = try spliced(sep)
    let lastSep = try spliced(beforeLast), after = try spliced(afterLast)
    try rt.chargeAllocation(pairs: first.count + after.count + items.count * (1 + max(between.count, lastSep.count)))
    for x in first { b.append(x) }
    for (i, x) in items.enumerated() {
        if i > 0 { for s in (i == items.count - 1 ? lastSep : between) { b.append(s) } }
        b.append(x)
    }
    for x in after { b.append(x) }
    return b.finish()
}

extension Value {
    /// Like `listToArray()`, but nil for cyclic lists instead of looping forever.
    func listToArrayBounded() -> [Value]? {
        var out: [Value] = []
        var c = ListCursor(self)
        while let p = c.next() { out.append(p.car) }
        return c.isProper ? out : nil
    }
}
