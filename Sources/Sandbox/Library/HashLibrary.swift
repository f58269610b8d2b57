import OrderedCollections

/// The first-order hash-table primitives of `racket/base`.
///
/// Tables keep insertion order (`HashTable`), so `hash-keys` and `hash->list` are reproducible
/// (Racket's order is unspecified). `hash-ref` with a failure thunk, `hash-ref!`, `hash-update!`,
/// `hash-update`, `hash-map` and `hash-for-each` call procedures and are Scheme code in
/// `PreludeLists`; the Swift lookup they share is `%hash-ref`.
///
/// Functional updates (`hash-set`, `hash-remove`) copy the table: O(n) each where Racket's
/// persistent tables take O(log n). They charge fuel per entry copied, so a loop that grows an
/// immutable table runs out of fuel rather than hanging.
func registerHashLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.define("%none", .object(NoValue.shared))
    for (name, kind) in [("make-hash", HashKind.equal), ("make-hasheqv", .eqv), ("make-hasheq", .eq)] {
        lib.fn(name, 0, 1) { [unowned rt] args in
            let table = HashTable(kind: kind, mutable: true)
            if let assocs = args.optional(0) {
                let entries = try rt.properList(assocs, name, expected: "(listof pair?)")
                try rt.reserve(bytes: HeapCost.bytes(entries.count, 2 * HeapCost.slot))
                for entry in entries {
                    guard case .pair(let p) = entry else {
                        throw SchemeError.contract(name, expected: "(listof pair?)", given: assocs)
                    }
                    table.set(p.car, p.cdr)
                }
            }
            return .hash(table)
        }
    }
    for (name, kind) in [("hash", HashKind.equal), ("hasheqv", .eqv), ("hasheq", .eq)] {
        lib.fn(name, 0, nil) { [unowned rt] args in
            if args.count % 2 == 1 { throw SchemeError.keyWithoutValue(name, key: args[args.count - 1]) }
            try rt.charge(args.count / 2)
            let table = HashTable(kind: kind, mutable: false)
            for i in stride(from: 0, to: args.count, by: 2) { table.set(args[i], args[i + 1]) }
            return .hash(table)
        }
    }
    /// `(%hash-ref h k [fail [who]])`: the value, else `fail` — except that a procedure `fail`
    /// yields `%none` (the prelude then calls it) and a missing `fail` raises Racket's error.
    lib.fn("%hash-ref", 2, 4) { args in
        let who = args.optional(3).flatMap { v -> String? in
            if case .symbol(let s) = v { return s.name }
            return nil
        } ?? "hash-ref"
        let table = try hashArg(args[0], who, args: args.array())
        if let v = table.get(args[1]) { return v }
        guard let fail = args.optional(2), !isNoValue(fail) else {
            throw SchemeError.noValueForKey(who, key: args[1], inline: who != "hash-ref")
        }
        return fail.isProcedure ? .object(NoValue.shared) : fail
    }
    /// `(%hash-update-ref h k updater fail who)`: `hash-update!`'s (mutable table) and
    /// `hash-update`'s (immutable) checks and lookup in one call, answering as `%hash-ref`.
    lib.fn("%hash-update-ref", 5, 5) { args in
        guard case .symbol(let whoSymbol) = args[4] else { throw SchemeError.contract("%hash-update-ref", expected: "symbol?", given: args[4]) }
        let who = whoSymbol.name
        let table = who == "hash-update!"
            ? try mutableHash(args[0], who, args: [args[0]])
            : try immutableHash(args[0], who, args: [args[0]])
        guard args[2].isProcedure else { throw SchemeError.contract(who, expected: "procedure?", given: args[2]) }
        if let v = table.get(args[1]) { return v }
        let fail = args[3]
        if isNoValue(fail) { throw SchemeError.noValueForKey(who, key: args[1], inline: true) }
        return fail.isProcedure ? .object(NoValue.shared) : fail
    }
    /// `(%check-hash who h [mode])`: a table (`'mutable` / `'immutable`: of that kind), for the
    /// prelude's hash procedures, which report errors under their own names.
    lib.fn("%check-hash", 2, 3) { args in
        guard case .symbol(let who) = args[0] else { throw SchemeError.contract("%check-hash", expected: "symbol?", given: args[0]) }
        let mode = args.optional(2).flatMap { v -> String? in
            if case .symbol(let s) = v { return s.name }
            return nil
        }
        switch mode {
        case "mutable": _ = try mutableHash(args[1], who.name, args: [args[1]])
        case "immutable": _ = try immutableHash(args[1], who.name, args: [args[1]])
        default: _ = try hashArg(args[1], who.name, args: [args[1]])
        }
        return .void
    }
    lib.fn2("hash-has-key?") { h, k in
        .bool(try hashArg(h, "hash-has-key?", args: [h, k]).get(k) != nil)
    }
    lib.fn3("hash-set!") { h, k, v in
        try mutableHash(h, "hash-set!", args: [h, k, v]).set(k, v)
        return .void
    }
    lib.fn("hash-set*!", 1, nil) { [unowned rt] args in
        let table = try mutableHash(args[0], "hash-set*!", args: args.array())
        if args.count % 2 == 0 { throw SchemeError.keyWithoutValue("hash-set*!", key: args[args.count - 1]) }
        try rt.charge(args.count / 2)
        for i in stride(from: 1, to: args.count, by: 2) { table.set(args[i], args[i + 1]) }
        return .void
    }
    lib.fn2("hash-remove!") { h, k in
        try mutableHash(h, "hash-remove!", args: [h, k]).remove(k)
        return .void
    }
    lib.fn1("hash-clear!") { h in
        try mutableHash(h, "hash-clear!", args: [h]).storage.removeAll()
        return .void
    }
    lib.fn3("hash-set") { [unowned rt] h, k, v in
        let copy = try functionalCopy(h, "hash-set", args: [h, k, v], rt)
        copy.set(k, v)
        return .hash(copy)
    }
    lib.fn("hash-set*", 1, nil) { [unowned rt] args in
        let copy = try functionalCopy(args[0], "hash-set*", args: args.array(), rt)
        if args.count % 2 == 0 { throw SchemeError.keyWithoutValue("hash-set*", key: args[args.count - 1]) }
        try rt.charge(args.count / 2)
        for i in stride(from: 1, to: args.count, by: 2) { copy.set(args[i], args[i + 1]) }
        return .hash(copy)
    }
    lib.fn2("hash-remove") { [unowned rt] h, k in
        let table = try immutableHash(h, "hash-remove", args: [h, k])
        guard table.get(k) != nil else { return h }  // nothing to remove: share the table
        let copy = try functionalCopy(h, "hash-remove", args: [h, k], rt)
        copy.remove(k)
        return .hash(copy)
    }
    lib.fn1("hash-clear") { h in
        let table = try hashArg(h, "hash-clear", args: [h])
        return .hash(HashTable(kind: table.kind, mutable: table.isMutable))
    }
    lib.fn1("hash-copy") { [unowned rt] h in
        let table = try hashArg(h, "hash-copy", args: [h])
        try rt.charge(table.count)
        try rt.reserve(bytes: HeapCost.bytes(table.count, 2 * HeapCost.slot))
        return .hash(table.copy(mutable: true))
    }
    registerHashQueries(lib)
}

/// Reading a table whole: counts, predicates, keys, values, association lists.
private func registerHashQueries(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn1("hash-count") { h in .int(try hashArg(h, "hash-count", args: [h]).count) }
    lib.fn1("hash-empty?") { h in .bool(try hashArg(h, "hash-empty?", args: [h]).count == 0) }
    lib.fn1("hash?") { v in
        if case .hash = v { return .true }
        return .false
    }
    for (name, kind) in [("hash-equal?", HashKind.equal), ("hash-eqv?", .eqv), ("hash-eq?", .eq)] {
        lib.fn1(name) { h in .bool(try hashArg(h, name, args: [h]).kind == kind) }
    }
    // Without `try-order?` tables give insertion order; with it, keys sorted as the printer sorts them.
    func entries(_ table: HashTable, _ args: Arguments) -> [(key: Value, value: Value)] {
        if let tryOrder = args.optional(1), tryOrder.isTrue { return Printer.orderedEntries(table) }
        return table.storage.map { (key: $0.key.value, value: $0.value) }
    }
    lib.fn("hash-keys", 1, 2) { [unowned rt] args in
        let table = try hashArg(args[0], "hash-keys", args: [args[0]])
        try rt.chargeAllocation(pairs: table.count)
        return Value.list(entries(table, args).map(\.key))
    }
    lib.fn("hash-values", 1, 2) { [unowned rt] args in
        let table = try hashArg(args[0], "hash-values", args: [args[0]])
        try rt.chargeAllocation(pairs: table.count)
        return Value.list(entries(table, args).map(\.value))
    }
    lib.fn("hash->list", 1, 2) { [unowned rt] args in
        let table = try hashArg(args[0], "hash->list", args: [args[0]])
        try rt.chargeAllocation(pairs: 2 * table.count)
        return Value.list(entries(table, args).map { .pair(Pair($0.key, $0.value)) })
    }
}

/// The marker `%hash-ref` returns when the caller must call its failure procedure, and the
/// default of the prelude's optional failure arguments ("no failure result given").
final class NoValue: SchemeObject, @unchecked Sendable {
    static let shared = NoValue()
    override var typeName: String { "none" }
}

private func isNoValue(_ v: Value) -> Bool {
    if case .object(let o) = v, o === NoValue.shared { return true }
    return false
}

/// Any table, else `who: contract violation expected: hash?` (with the argument position when
/// `who` takes several arguments, as Racket reports it).
private func hashArg(_ h: Value, _ who: String, args: @autoclosure () -> [Value]) throws -> HashTable {
    if case .hash(let t) = h { return t }
    throw SchemeError.contract(who, expected: "hash?", given: h, argument: 0, of: args())
}

private func mutableHash(_ h: Value, _ who: String, args: @autoclosure () -> [Value]) throws -> HashTable {
    if case .hash(let t) = h, t.isMutable { return t }
    throw SchemeError.contract(who, expected: "(and/c hash? (not/c immutable?))", given: h, argument: 0, of: args())
}

private func immutableHash(_ h: Value, _ who: String, args: @autoclosure () -> [Value]) throws -> HashTable {
    if case .hash(let t) = h, !t.isMutable { return t }
    throw SchemeError.contract(who, expected: "(and/c hash? immutable?)", given: h, argument: 0, of: args())
}

/// A private copy of an immutable table for a functional update, charged per entry.
private func functionalCopy(_ h: Value, _ who: String, args: @autoclosure () -> [Value], _ rt: Runtime) throws -> HashTable {
    let table = try immutableHash(h, who, args: args())
    try rt.charge(table.count)
    try rt.reserve(bytes: HeapCost.bytes(table.count + 1, 2 * HeapCost.slot))
    return table.copy()
}
