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

/// Three-way comparison by code point: negative, zero or positive.
func compareScalars(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    for (x, y) in zip(a, b) where x != y {
        return x.value < y.value ? -1 : 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
