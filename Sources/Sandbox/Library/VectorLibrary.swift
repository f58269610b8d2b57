/// The first-order vector primitives of `racket/base` and `racket/vector`.
///
/// `build-vector`, `vector-map`, `vector-for-each` and `vector-sort` call procedures, so they are
/// Scheme code in `PreludeLists`. Index errors use Racket's wording (`SchemeError.range`).
func registerVectorLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn("vector", 0, nil) { [unowned rt] args in
        try rt.reserve(bytes: HeapCost.bytes(args.count, HeapCost.slot))
        return .vector(SVector(args.array()))
    }
    lib.fn("vector-immutable", 0, nil) { [unowned rt] args in
        try rt.reserve(bytes: HeapCost.bytes(args.count, HeapCost.slot))
        return .vector(SVector(args.array(), mutable: false))
    }
    lib.fn("make-vector", 1, 2) { [unowned rt] args in
        guard case .int(let n) = args[0], n >= 0 else {
            throw SchemeError.contract("make-vector", expected: "valid-vector-length?", given: args[0])
        }
        try rt.charge(n)
        try rt.reserve(bytes: HeapCost.bytes(n, HeapCost.slot))
        return .vector(SVector(Array(repeating: args.optional(1) ?? .int(0), count: n)))
    }
    lib.fn1("vector?") { v in
        if case .vector = v { return .true }
        return .false
    }
    lib.fn1("vector-length") { v in .int(try v.asVector("vector-length").items.count) }
    lib.fn2("vector-ref") { v, i in
        let vec = try v.asVector("vector-ref")
        return vec.items[try vectorIndex(vec, v, i, "vector-ref")]
    }
    lib.fn3("vector-set!") { v, i, x in
        let vec = try mutableVector(v, "vector-set!")
        vec.items[try vectorIndex(vec, v, i, "vector-set!")] = x
        return .void
    }
    lib.fn("vector->list", 1, 3) { [unowned rt] args in
        let vec = try args[0].asVector("vector->list")
        let r = try vectorRange(vec, args, from: 1, "vector->list")
        try rt.chargeAllocation(pairs: r.count)
        return Value.list(vec.items[r])
    }
    lib.fn1("list->vector") { [unowned rt] list in
        let items = try rt.properList(list, "list->vector")
        try rt.reserve(bytes: HeapCost.bytes(items.count, HeapCost.slot))
        return .vector(SVector(items))
    }
    lib.fn1("vector->immutable-vector") { v in
        let vec = try v.asVector("vector->immutable-vector")
        return vec.isMutable ? .vector(SVector(vec.items, mutable: false)) : v
    }
    lib.fn2("vector-fill!") { [unowned rt] v, x in
        let vec = try mutableVector(v, "vector-fill!")
        try rt.charge(vec.items.count)
        for i in vec.items.indices { vec.items[i] = x }
        return .void
    }
    lib.fn("vector-copy", 1, 3) { [unowned rt] args in
        let vec = try args[0].asVector("vector-copy")
        let r = try vectorRange(vec, args, from: 1, "vector-copy")
        try rt.charge(r.count)
        try rt.reserve(bytes: HeapCost.bytes(r.count, HeapCost.slot))
        return .vector(SVector(Array(vec.items[r])))
    }
    lib.fn("vector-copy!", 3, 5) { [unowned rt] args in
        let dest = try mutableVector(args[0], "vector-copy!")
        let src = try args[2].asVector("vector-copy!")
        guard case .int(let at) = args[1], at >= 0, at <= dest.items.count else {
            if case .int(let at) = args[1], at >= 0 {
                throw SchemeError.startOutOfRange("vector-copy!", start: at, count: dest.items.count, of: args[0])
            }
            throw SchemeError.contract("vector-copy!", expected: "exact-nonnegative-integer?", given: args[1])
        }
        let r = try vectorRange(src, args, from: 3, "vector-copy!")
        guard dest.items.count - at >= r.count else {
            throw SchemeError.notEnoughRoom("vector-copy!", room: dest.items.count - at, needed: r.count)
        }
        try rt.charge(r.count)
        let slice = Array(src.items[r])  // copied first: source and target may be the same vector
        dest.items.replaceSubrange(at..<(at + r.count), with: slice)
        return .void
    }
    lib.fn("vector-append", 0, nil) { [unowned rt] args in
        let all = args.array()
        var items: [Value] = []
        var total = 0
        for (i, v) in all.enumerated() {
            guard case .vector(let vec) = v else {
                throw SchemeError.contract("vector-append", expected: "vector?", given: v, argument: i, of: all)
            }
            total += vec.items.count
        }
        try rt.charge(total)
        try rt.reserve(bytes: HeapCost.bytes(total, HeapCost.slot))
        items.reserveCapacity(total)
        for case .vector(let vec) in all { items += vec.items }
        return .vector(SVector(items))
    }
    for (name, kind) in [("vector-member", HashKind.equal), ("vector-memv", .eqv), ("vector-memq", .eq)] {
        lib.fn2(name) { [unowned rt] x, v in
            guard case .vector(let vec) = v else {
                throw SchemeError.contract(name, expected: "vector?", given: v, argument: 1, of: [x, v])
            }
            for (i, y) in vec.items.enumerated() where Equality.matches(x, y, kind) {
                try rt.charge(i + 1)
                return .int(i)
            }
            try rt.charge(vec.items.count)
            return .false
        }
    }
}

/// A vector that may be changed, else Racket's `(and/c vector? (not/c immutable?))` error.
private func mutableVector(_ v: Value, _ who: String) throws -> SVector {
    guard case .vector(let vec) = v, vec.isMutable else {
        throw SchemeError.contract(who, expected: "(and/c vector? (not/c immutable?))", given: v)
    }
    return vec
}

/// A valid index into `vec`, with Racket's three distinct errors (not an index, empty vector,
/// out of range).
private func vectorIndex(_ vec: SVector, _ v: Value, _ i: Value, _ who: String) throws -> Int {
    switch i {
    case .int(let k) where k >= 0:
        if k < vec.items.count { return k }
    case .object(let b as BigNum) where b.value.signum() > 0:
        break
    default:
        throw SchemeError.contract(who, expected: "exact-nonnegative-integer?", given: i, argument: 1, of: [v, i])
    }
    if vec.items.isEmpty { throw SchemeError.indexIntoEmpty(who, index: i, vector: v) }
    throw SchemeError.range(who, index: i, valid: "[0, \(vec.items.count - 1)]", for: v)
}

/// The `[start, end)` range given by optional arguments `from` and `from + 1` (default: all).
private func vectorRange(_ vec: SVector, _ args: Arguments, from: Int, _ who: String) throws -> Range<Int> {
    let n = vec.items.count
    func index(_ v: Value) throws -> Int {
        guard case .int(let k) = v, k >= 0 else {
            throw SchemeError.contract(who, expected: "exact-nonnegative-integer?", given: v)
        }
        return k
    }
    let start = try args.optional(from).map(index) ?? 0
    guard start <= n else { throw SchemeError.startOutOfRange(who, start: start, count: n, of: .vector(vec)) }
    let end = try args.optional(from + 1).map(index) ?? n
    guard end <= n else { throw SchemeError.endOutOfRange(who, start: start, end: end, count: n, of: .vector(vec)) }
    guard end >= start else { throw SchemeError.endBeforeStart(who, start: start, end: end, count: n, of: .vector(vec)) }
    return start..<end
}
