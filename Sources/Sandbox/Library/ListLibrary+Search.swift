/// Searching lists: `member`/`memq`/`memv`, `assoc`/`assq`/`assv`, `index-of`.
///
/// `member`, `assoc` and `index-of` take an optional equality procedure in Racket; a primitive
/// cannot call it, so the Swift versions are registered as `%member`, `%assoc`, `%index-of` and the
/// prelude defines the public names (using these when no procedure, or `equal?`, is given).
func registerListSearch(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    for (name, kind) in [("%member", HashKind.equal), ("memv", .eqv), ("memq", .eq)] {
        let who = name == "%member" ? "member" : name
        lib.fn2(name) { [unowned rt] v, list in try member(v, list, kind, who, rt) }
    }
    for (name, kind) in [("%assoc", HashKind.equal), ("assv", .eqv), ("assq", .eq)] {
        let who = name == "%assoc" ? "assoc" : name
        lib.fn2(name) { [unowned rt] v, list in try assoc(v, list, kind, who, rt) }
    }
    lib.fn2("%index-of") { [unowned rt] list, v in
        guard let items = list.listToArrayBounded() else {
            throw SchemeError.contract("index-of", expected: "list?", given: list, argument: 0, of: [list, v])
        }
        for (i, x) in items.enumerated() where Equality.equal(x, v) {
            try rt.charge(i + 1)
            return .int(i)
        }
        try rt.charge(items.count)
        return .false
    }
}

extension Equality {
    /// True when `a` and `b` are the same under `kind` (`equal?`, `eqv?` or `eq?`).
    @inline(__always)
    static func matches(_ a: Value, _ b: Value, _ kind: HashKind) -> Bool {
        switch kind {
        case .equal: return equal(a, b)
        case .eqv: return eqv(a, b)
        case .eq: return eq(a, b)
        }
    }
}

/// The first tail of `list` whose car matches `v`, or `#f`. Like Racket, a match before an
/// improper tail is returned; reaching the improper tail (or going round a cycle) is an error.
private func member(_ v: Value, _ list: Value, _ kind: HashKind, _ who: String, _ rt: Runtime) throws -> Value {
    var c = ListCursor(list)
    var previous = list
    while let p = c.next() {
        if Equality.matches(p.car, v, kind) {
            try rt.charge(c.count)
            return previous
        }
        previous = p.cdr
    }
    try rt.charge(c.count)
    guard c.isProper else { throw SchemeError.notProperList(who, list) }
    return .false
}

/// The first element of an association list whose car matches `v`, or `#f`.
private func assoc(_ v: Value, _ list: Value, _ kind: HashKind, _ who: String, _ rt: Runtime) throws -> Value {
    var c = ListCursor(list)
    while let p = c.next() {
        guard case .pair(let entry) = p.car else {
            try rt.charge(c.count)
            throw SchemeError.nonPairInList(who, nonPair: p.car, list: list)
        }
        if Equality.matches(entry.car, v, kind) {
            try rt.charge(c.count)
            return p.car
        }
    }
    try rt.charge(c.count)
    guard c.isProper else { throw SchemeError.notProperListInline(who, list) }
    return .false
}
