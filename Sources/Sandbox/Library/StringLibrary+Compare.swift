/// `string=?`, `string<?` … and their `-ci` forms. Strings compare code point by code point
/// (never by Swift's canonical equivalence, see `MString`); the `-ci` forms compare case-folded
/// text, so `(string-ci=? "Straße" "STRASSE")` is `#t` as in Racket.
func registerStringComparisons(_ lib: LibraryBuilder) {
    let orders: [(String, (Int) -> Bool)] = [
        ("=?", { $0 == 0 }), ("<?", { $0 < 0 }), (">?", { $0 > 0 }),
        ("<=?", { $0 <= 0 }), (">=?", { $0 >= 0 }),
    ]
    for (suffix, holds) in orders {
        for folded in [false, true] {
            let name = (folded ? "string-ci" : "string") + suffix
            lib.fn(name, 1, nil) { args in
                // Two arguments, no case folding: compare in place (the common case in loops).
                if args.count == 2, !folded, case .string(let a) = args[0], case .string(let b) = args[1] {
                    if a === b { return .bool(holds(0)) }
                    return .bool(a.scalars.withUnsafeBufferPointer { x in
                        b.scalars.withUnsafeBufferPointer { y in holds(compareScalars(x, y)) }
                    })
                }
                var strings: [[Unicode.Scalar]] = []
                strings.reserveCapacity(args.count)
                for i in 0..<args.count {
                    let s = try args[i].asString(name).scalars
                    strings.append(folded ? CaseMapping.fold(s) : s)
                }
                for i in 1..<max(1, strings.count) where !holds(compareScalars(strings[i - 1], strings[i])) {
                    return .false
                }
                return .true
            }
        }
    }
}

/// Three-way comparison by code point, over buffers (no copies).
func compareScalars(_ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>) -> Int {
    let n = min(a.count, b.count)
    var i = 0
    while i < n {
        let x = a[i].value, y = b[i].value
        if x != y { return x < y ? -1 : 1 }
        i += 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Three-way comparison by code point: negative, zero or positive.
func compareScalars(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    for (x, y) in zip(a, b) where x != y {
        return x.value < y.value ? -1 : 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
