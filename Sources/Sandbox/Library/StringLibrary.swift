/// The string library: racket/base strings plus racket/string, racket/format and `format`
/// (reference §2.10). Strings are arrays of code points, so lengths and indices count code
/// points (`(string-length "🎉é")` → 2, reference §4.9).
func registerStringLibrary(_ lib: LibraryBuilder) {
    registerStringBasics(lib)
    registerStringComparisons(lib)
    registerStringCase(lib)
    registerRacketString(lib)
    registerSymbolPrimitives(lib)
    registerFormat(lib)
    registerTildeFormatters(lib)
}

/// Construction, access and mutation: `string-append`, `substring`, `make-string`, `string-set!`, …
private func registerStringBasics(_ lib: LibraryBuilder) {
    let rt = lib.runtime

    lib.fn1("string?") { v in
        if case .string = v { return .true }
        return .false
    }
    lib.fn1("string-length") { v in .int(try v.asString("string-length").count) }
    lib.fn2("string-ref") { s, i in
        let str = try s.asString("string-ref")
        return .char(str.scalars[try StringArgs.elementIndex(i, in: str, "string-ref")])
    }
    lib.fn("substring", 2, 3) { args in
        let s = try args[0].asString("substring")
        let r = try StringArgs.range(args[1], args.optional(2), in: s, "substring")
        try rt.reserveString(r.count)
        return .string(MString(Array(s.scalars[r])))
    }
    lib.fn("string-append", 0, nil) { args in
        let parts = try StringArgs.strings(args, "string-append")
        let total = parts.reduce(0) { $0 &+ $1.count }
        try rt.reserveString(total)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(total)
        for p in parts { out.append(contentsOf: p.scalars) }
        return .string(MString(out))
    }
    lib.fn("string-append*", 1, nil) { args in
        var strings = try StringArgs.strings(args, "string-append*", upTo: args.count - 1)
        let last = args[args.count - 1]
        for v in try ListWalk.list(last, who: "string-append*", expected: "(listof string?)") {
            guard case .string(let s) = v else {
                throw SchemeError.contract("string-append*", expected: "(listof string?)", given: last)
            }
            strings.append(s)
        }
        let total = strings.reduce(0) { $0 &+ $1.count }
        try rt.reserveString(total)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(total)
        for p in strings { out.append(contentsOf: p.scalars) }
        return .string(MString(out))
    }
    lib.fn("make-string", 1, 2) { args in
        guard case .int(let n) = args[0], n >= 0 else {
            throw SchemeError.contract("make-string", expected: "valid-string-length?", given: args[0])
        }
        let fill = try args.optional(1).map { try $0.asChar("make-string") } ?? "\u{0}"
        try rt.reserveString(n)
        return .string(MString(Array(repeating: fill, count: n)))
    }
    lib.fn("string", 0, nil) { args in
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(args.count)
        for i in 0..<args.count { out.append(try args[i].asChar("string")) }
        return .string(MString(out))
    }
    lib.fn1("string-copy") { v in
        let s = try v.asString("string-copy")
        try rt.reserveString(s.count)
        return .string(MString(s.scalars))
    }
    lib.fn3("string-set!") { s, i, c in
        let str = try StringArgs.mutableString(s, "string-set!")
        let index = try StringArgs.elementIndex(i, in: str, "string-set!")
        str.scalars[index] = try c.asChar("string-set!")
        return .void
    }
    lib.fn2("string-fill!") { s, c in
        let str = try StringArgs.mutableString(s, "string-fill!")
        let ch = try c.asChar("string-fill!")
        for i in str.scalars.indices { str.scalars[i] = ch }
        return .void
    }
    lib.fn("string-copy!", 3, 5) { args in
        let dest = try StringArgs.mutableString(args[0], "string-copy!")
        let at = try args[1].asIndex("string-copy!")
        let src = try args[2].asString("string-copy!")
        let r = try StringArgs.range(args.optional(3), args.optional(4), in: src, "string-copy!")
        if at > dest.count {
            throw SchemeError.indexRange("string-copy!", label: "starting index", index: at, valid: "[0, \(dest.count)]", string: dest)
        }
        if at + r.count > dest.count {
            throw SchemeError(.contract, "string-copy!: not enough room in target string\n  target length: \(dest.count)\n  needed length: \(at + r.count)")
        }
        let piece = Array(src.scalars[r])
        dest.scalars.replaceSubrange(at..<at + piece.count, with: piece)
        return .void
    }
    lib.fn("string->list", 1, 3) { args in
        let s = try args[0].asString("string->list")
        let r = try StringArgs.range(args.optional(1), args.optional(2), in: s, "string->list")
        return .list(s.scalars[r].map { .char($0) })
    }
    lib.fn1("list->string") { v in
        let items = try ListWalk.list(v, who: "list->string")
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case .char(let c) = item else {
                throw SchemeError.contract("list->string", expected: "char?", given: item)
            }
            out.append(c)
        }
        return .string(MString(out))
    }
    lib.fn1("string->immutable-string") { v in
        let s = try v.asString("string->immutable-string")
        return s.isMutable ? .string(MString(s.scalars, mutable: false)) : v
    }
    // Generic over every kind that has a mutability flag; boxes are always mutable here.
    lib.fn1("immutable?") { v in
        switch v {
        case .string(let s): return .bool(!s.isMutable)
        case .vector(let vec): return .bool(!vec.isMutable)
        case .hash(let table): return .bool(!table.isMutable)
        default: return .false
        }
    }
}
