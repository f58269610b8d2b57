/// Shared checks and error factories for the string, char and IO libraries.
extension SchemeError {
    /// Racket's range error for one named index: `substring: ending index is out of range …`.
    static func indexRange(_ who: String, label: String, index: Int, valid: String, string: MString) -> SchemeError {
        SchemeError(.contract, "\(who): \(label) is out of range\n  \(label): \(index)\n  valid range: \(valid)\n  string: \(Printer.write(.string(string), limit: 200))")
    }

    /// `string-ref: index is out of range for empty string`.
    static func indexIntoEmpty(_ who: String, index: Int, string: MString) -> SchemeError {
        SchemeError(.contract, "\(who): index is out of range for empty string\n  index: \(index)\n  string: \(Printer.write(.string(string), limit: 200))")
    }

    /// `substring: ending index is smaller than starting index`.
    static func indexOrder(_ who: String, start: Int, end: Int, count: Int, string: MString) -> SchemeError {
        SchemeError(.contract, "\(who): ending index is smaller than starting index\n  ending index: \(end)\n  starting index: \(start)\n  valid range: [0, \(count)]\n  string: \(Printer.write(.string(string), limit: 200))")
    }
}

/// Argument helpers for string primitives.
enum StringArgs {
    /// The string argument `v`, required mutable (`string-set!`, `string-fill!`).
    static func mutableString(_ v: Value, _ who: String) throws -> MString {
        if case .string(let s) = v, s.isMutable { return s }
        throw SchemeError.contract(who, expected: "mutable-string?", given: v)
    }

    /// One index into `s` that must name an existing character (`string-ref`, `string-set!`).
    static func elementIndex(_ v: Value, in s: MString, _ who: String) throws -> Int {
        let i = try v.asIndex(who)
        if s.count == 0 { throw SchemeError.indexIntoEmpty(who, index: i, string: s) }
        if i >= s.count {
            throw SchemeError.range(who, index: v, valid: "[0, \(s.count - 1)]", for: .string(s))
        }
        return i
    }

    /// Optional `start` / `end` arguments delimiting a range of `s` (`substring`, `string->list`).
    static func range(_ startArg: Value?, _ endArg: Value?, in s: MString, _ who: String) throws -> Range<Int> {
        let n = s.count
        let start = try startArg.map { try $0.asIndex(who) } ?? 0
        if start > n {
            throw SchemeError.indexRange(who, label: "starting index", index: start, valid: "[0, \(n)]", string: s)
        }
        let end = try endArg.map { try $0.asIndex(who) } ?? n
        if end > n {
            throw SchemeError.indexRange(who, label: "ending index", index: end, valid: "[0, \(n)]", string: s)
        }
        if end < start { throw SchemeError.indexOrder(who, start: start, end: end, count: n, string: s) }
        return start..<end
    }

    /// The arguments before `end` (default: all) as strings (variadic primitives such as `string-append`).
    static func strings(_ args: Arguments, _ who: String, upTo end: Int? = nil) throws -> [MString] {
        let end = end ?? args.count
        var out: [MString] = []
        out.reserveCapacity(end)
        for i in 0..<max(0, end) { out.append(try args[i].asString(who)) }
        return out
    }

    /// A boolean keyword argument (any value counts, as in Racket: only `#f` is false).
    static func flag(_ kw: KeywordArguments, _ name: String, default value: Bool) -> Bool {
        // Calls without keywords are the common case: skip interning (a lock and a string hash).
        if kw.isEmpty { return value }
        return kw[Symbol.intern(name)].map { $0.isTrue } ?? value
    }

    /// A string keyword argument.
    static func string(_ kw: KeywordArguments, _ name: String, _ who: String) throws -> [Unicode.Scalar]? {
        guard !kw.isEmpty, let v = kw[Symbol.intern(name)] else { return nil }
        return try v.asString(who).scalars
    }
}

extension Runtime {
    /// Accounts for building a string of `count` code points: memory (4 bytes each) and, for
    /// long strings, fuel, so a loop that doubles a string is stopped by a limit, not the OS.
    func reserveString(_ count: Int) throws {
        // Clamped so that the limit arithmetic in `checkMemory` cannot overflow.
        try reserve(bytes: count > 1 << 60 ? 1 << 62 : count * 4)
        if count >= 4096 { try charge(count >> 10) }
    }
}
