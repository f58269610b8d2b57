import OrderedCollections

/// First-class sequences for `for` clauses that are not one of the syntactic fast paths
/// (`[x some-list]`, `[x (in-range n)]` stored in a variable, …): a position-based protocol
/// the loop drives with `%seq-start`, `%seq-more?`, `%seq-value`, `%seq-next`.
final class RangeSequence: SchemeObject, @unchecked Sendable {
    let start: Value, end: Value?, step: Value
    let inclusive: Bool
    init(start: Value, end: Value?, step: Value, inclusive: Bool = false) {
        self.start = start
        self.end = end
        self.step = step
        self.inclusive = inclusive
    }
    override var typeName: String { "sequence" }
}

/// Several sequences walked in step (`in-parallel`); each element is their values together.
final class ParallelSequence: SchemeObject, @unchecked Sendable {
    let sequences: [Value]
    init(_ sequences: [Value]) { self.sequences = sequences }
    override var typeName: String { "sequence" }
}

final class HashSequence: SchemeObject, @unchecked Sendable {
    enum Part { case pairs, keys, values }
    let entries: [(Value, Value)]
    let part: Part
    init(_ h: HashTable, part: Part) {
        entries = h.storage.map { ($0.key.value, $0.value) }
        self.part = part
    }
    override var typeName: String { "sequence" }
}

func registerSequenceLibrary(_ lib: LibraryBuilder) {
    lib.fn("in-range", 1, 3) { args in
        if args.count == 1 { return .object(RangeSequence(start: .int(0), end: args[0], step: .int(1))) }
        return .object(RangeSequence(start: args[0], end: args[1], step: args.optional(2) ?? .int(1)))
    }
    lib.fn("in-inclusive-range", 2, 3) { args in
        .object(RangeSequence(start: args[0], end: args[1], step: args.optional(2) ?? .int(1), inclusive: true))
    }
    lib.fn1("in-value") { v in Value.list(v) }
    lib.fn1("in-hash-pairs") { v in
        Value.list(try v.asHash("in-hash-pairs").storage.map { .pair(Pair($0.key.value, $0.value)) })
    }
    lib.fn("in-parallel", 1, nil) { args in
        for i in 0..<args.count { try checkSequence(args[i], name: "in-parallel") }
        return .object(ParallelSequence(args.array()))
    }
    lib.fn("in-naturals", 0, 1) { args in .object(RangeSequence(start: args.optional(0) ?? .int(0), end: nil, step: .int(1))) }
    lib.fn1("in-list") { v in
        if v.listToArray() == nil { throw SchemeError.contract("in-list", expected: "list?", given: v) }
        return v
    }
    lib.fn1("in-vector") { v in _ = try v.asVector("in-vector"); return v }
    lib.fn1("in-string") { v in _ = try v.asString("in-string"); return v }
    lib.fn1("in-hash") { v in .object(HashSequence(try v.asHash("in-hash"), part: .pairs)) }
    lib.fn1("in-hash-keys") { v in .object(HashSequence(try v.asHash("in-hash-keys"), part: .keys)) }
    lib.fn1("in-hash-values") { v in .object(HashSequence(try v.asHash("in-hash-values"), part: .values)) }

    lib.fn2("%seq-start") { s, name in
        try checkSequence(s, name: "for", variable: name)
        return seqStart(s)
    }
    lib.fn2("%seq-more?") { s, st in try seqMore(s, st) }
    lib.fn2("%seq-value") { s, st in try seqValue(s, st) }
    lib.fn2("%seq-next") { s, st in try seqNext(s, st) }
}

/// Racket's sequences: lists, vectors, strings, hashes, exact non-negative integers, and the
/// `in-…` sequence objects.
func checkSequence(_ s: Value, name: String, variable: Value? = nil) throws {
    switch s {
    case .pair, .null, .vector, .string, .hash: return
    case .int(let n) where n >= 0: return
    case .object(let o) where o is RangeSequence || o is HashSequence || o is ParallelSequence: return
    default:
        if let variable {
            throw SchemeError(.contract, "for: expected a sequence for \(Printer.display(variable)), got something else: \(Printer.print(s, limit: 200))")
        }
        throw SchemeError.contract(name, expected: "sequence?", given: s)
    }
}

private func seqStart(_ s: Value) -> Value {
    switch s {
    case .pair, .null: return s
    case .object(let r as RangeSequence): return r.start
    case .object(let p as ParallelSequence): return Value.list(p.sequences.map(seqStart))
    default: return .int(0)
    }
}

private func seqMore(_ s: Value, _ st: Value) throws -> Value {
        switch s {
        case .pair, .null: if case .pair = st { return .true } else { return .false }
        case .vector(let v): return .bool(try st.asIndex("for") < v.items.count)
        case .string(let str): return .bool(try st.asIndex("for") < str.count)
        case .hash(let h): return .bool(try st.asIndex("for") < h.count)
        case .object(let r as RangeSequence):
            guard let end = r.end else { return .true }
            guard let c = try Arithmetic.compare(st, end, who: "in-range") else { return .false }
            let positive = (try Arithmetic.compare(r.step, .int(0), who: "in-range") ?? 1) >= 0
            if r.inclusive { return .bool(positive ? c <= 0 : c >= 0) }
            return .bool(positive ? c < 0 : c > 0)
        case .object(let p as ParallelSequence):
            let states = st.listToArray() ?? []
            for (q, qs) in zip(p.sequences, states) where try seqMore(q, qs).isFalse { return .false }
            return .true
        case .object(let h as HashSequence): return .bool(try st.asIndex("for") < h.entries.count)
        case .int(let n): return .bool(try st.asIndex("for") < n)
        default:
            throw SchemeError.contract("for", expected: "sequence?", given: s)
        }
}

private func seqValue(_ s: Value, _ st: Value) throws -> Value {
        switch s {
        case .pair, .null: return try st.asPair("for").car
        case .vector(let v): return v.items[try st.asIndex("for")]
        case .string(let str): return .char(str.scalars[try st.asIndex("for")])
        case .hash(let h):
            let e = h.storage.elements[try st.asIndex("for")]
            return .object(MultipleValues([e.key.value, e.value]))
        case .object(let h as HashSequence):
            let e = h.entries[try st.asIndex("for")]
            switch h.part {
            case .pairs: return .object(MultipleValues([e.0, e.1]))
            case .keys: return e.0
            case .values: return e.1
            }
        case .object(let p as ParallelSequence):
            let states = st.listToArray() ?? []
            return .object(MultipleValues(try zip(p.sequences, states).map { try seqValue($0.0, $0.1) }))
        default: return st
        }
}

private func seqNext(_ s: Value, _ st: Value) throws -> Value {
        switch s {
        case .pair, .null: return try st.asPair("for").cdr
        case .object(let r as RangeSequence): return try Arithmetic.add(st, r.step)
        case .object(let p as ParallelSequence):
            let states = st.listToArray() ?? []
            return Value.list(try zip(p.sequences, states).map { try seqNext($0.0, $0.1) })
        default: return try Arithmetic.add(st, .int(1))
        }
}
