/// Removing elements: `remove`/`remq`/`remv`, `remove*`/`remq*`/`remv*`, `remove-duplicates`.
///
/// As in `ListLibrary+Search.swift`, the forms Racket lets take an equality procedure are
/// registered as `%remove`, `%remove*` and `%remove-duplicates`; the prelude wraps them.
func registerListRemoval(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    for (name, kind) in [("%remove", HashKind.equal), ("remv", .eqv), ("remq", .eq)] {
        let who = name == "%remove" ? "remove" : name
        lib.fn2(name) { [unowned rt] v, list in try removeFirst(v, list, kind, who, rt) }
    }
    for (name, kind) in [("%remove*", HashKind.equal), ("remv*", .eqv), ("remq*", .eq)] {
        let who = name == "%remove*" ? "remove*" : name
        lib.fn2(name) { [unowned rt] drop, list in try removeAll(drop, list, kind, who, rt) }
    }
    lib.fn("%remove-duplicates", 1, 2) { [unowned rt] args in
        let kind = try equalityKind(args.optional(1) ?? .sym("equal"), "remove-duplicates")
        return try removeDuplicates(args[0], kind, rt)
    }
}

/// The hash kind a prelude wrapper names with `'equal`, `'eqv` or `'eq`.
func equalityKind(_ v: Value, _ who: String) throws -> HashKind {
    if case .symbol(let s) = v {
        switch s.name {
        case "equal": return .equal
        case "eqv": return .eqv
        case "eq": return .eq
        default: break
        }
    }
    throw SchemeError.contract(who, expected: "(or/c 'equal 'eqv 'eq)", given: v)
}

/// `list` without its first element matching `v`; the part after it is shared, and `list`
/// itself is returned when nothing matches.
private func removeFirst(_ v: Value, _ list: Value, _ kind: HashKind, _ who: String, _ rt: Runtime) throws -> Value {
    let items = try rt.properList(list, who)
    guard let hit = items.firstIndex(where: { Equality.matches($0, v, kind) }) else { return list }
    try rt.chargeAllocation(pairs: hit)
    var rest = list
    for _ in 0...hit { if case .pair(let p) = rest { rest = p.cdr } }
    return Value.list(items[..<hit], tail: rest)
}

/// `list` without every element that matches one in `drop`. Uses a hash set of `drop` (built
/// with the same equality), so it is O(n + m) rather than Racket's O(n·m).
private func removeAll(_ drop: Value, _ list: Value, _ kind: HashKind, _ who: String, _ rt: Runtime) throws -> Value {
    let unwanted = try rt.properList(drop, who)
    let items = try rt.properList(list, who)
    let set = Set(unwanted.map { HashKey($0, kind: kind) })
    try rt.chargeAllocation(pairs: items.count)
    var b = ListBuilder()
    for x in items where !set.contains(HashKey(x, kind: kind)) { b.append(x) }
    return b.finish()
}

/// The first occurrence of each element, in order, in O(n) with a hash set.
private func removeDuplicates(_ list: Value, _ kind: HashKind, _ rt: Runtime) throws -> Value {
    let items = try rt.properList(list, "remove-duplicates")
    try rt.chargeAllocation(pairs: items.count)
    var seen = Set<HashKey>(minimumCapacity: items.count)
    var b = ListBuilder()
    for x in items where seen.insert(HashKey(x, kind: kind)).inserted { b.append(x) }
    return b.finish()
}
