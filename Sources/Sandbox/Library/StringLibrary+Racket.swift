/// racket/string: `string-join`, `string-split`, `string-trim`, `string-replace`,
/// `string-contains?`, `string-prefix?`, `string-suffix?`, `string-normalize-spaces`,
/// `non-empty-string?`. Separators are literal strings (Racket also takes regexps; we have none).
func registerRacketString(_ lib: LibraryBuilder) {
    let rt = lib.runtime

    lib.fnKw("string-join", 1, 2, keywords: ["before-first", "before-last", "after-last"]) { args, kw in
        let who = "string-join"
        let list = try ListWalk.list(args[0], who: who, expected: "(listof string?)")
        var parts: [MString] = []
        parts.reserveCapacity(list.count)
        for v in list {
            guard case .string(let s) = v else {
                throw SchemeError.contract(who, expected: "(listof string?)", given: args[0])
            }
            parts.append(s)
        }
        let sep = try args.optional(1).map { try $0.asString(who).scalars } ?? [" "]
        let beforeFirst = try StringArgs.string(kw, "before-first", who) ?? []
        let beforeLast = try StringArgs.string(kw, "before-last", who) ?? sep
        let afterLast = try StringArgs.string(kw, "after-last", who) ?? []
        let total = parts.reduce(0) { $0 &+ $1.count &+ sep.count } &+ beforeFirst.count &+ afterLast.count &+ beforeLast.count
        try rt.reserveString(total)
        var out: [Unicode.Scalar] = beforeFirst
        out.reserveCapacity(total)
        for (i, p) in parts.enumerated() {
            if i > 0 { out.append(contentsOf: i == parts.count - 1 ? beforeLast : sep) }
            out.append(contentsOf: p.scalars)
        }
        out.append(contentsOf: afterLast)
        return .string(MString(out))
    }

    lib.fnKw("string-split", 1, 2, keywords: ["trim?", "repeat?"]) { args, kw in
        let s = try args[0].asString("string-split").scalars
        let sep = try Separator(args.optional(1), "string-split")
        let pieces = TextSearch.split(s, by: sep, trim: StringArgs.flag(kw, "trim?", default: true),
                                      repeated: StringArgs.flag(kw, "repeat?", default: false))
        try rt.reserveString(s.count)
        return .list(pieces.map { .string(MString($0)) })
    }

    lib.fnKw("string-trim", 1, 2, keywords: ["left?", "right?", "repeat?"]) { args, kw in
        let s = try args[0].asString("string-trim").scalars
        let sep = try Separator(args.optional(1), "string-trim")
        let r = TextSearch.trimmedRange(s, by: sep, left: StringArgs.flag(kw, "left?", default: true),
                                        right: StringArgs.flag(kw, "right?", default: true),
                                        repeated: StringArgs.flag(kw, "repeat?", default: false))
        try rt.reserveString(r.count)
        return .string(MString(Array(s[r])))
    }

    lib.fnKw("string-normalize-spaces", 1, 3, keywords: ["trim?", "repeat?"]) { args, kw in
        let who = "string-normalize-spaces"
        let s = try args[0].asString(who).scalars
        let sep = try Separator(args.optional(1), who)
        let space = try args.optional(2).map { try $0.asString(who).scalars } ?? [" "]
        let pieces = TextSearch.split(s, by: sep, trim: StringArgs.flag(kw, "trim?", default: true),
                                      repeated: StringArgs.flag(kw, "repeat?", default: false))
        try rt.reserveString(s.count &+ pieces.count &* space.count)
        var out: [Unicode.Scalar] = []
        for (i, p) in pieces.enumerated() {
            if i > 0 { out.append(contentsOf: space) }
            out.append(contentsOf: p)
        }
        return .string(MString(out))
    }

    lib.fnKw("string-replace", 3, 3, keywords: ["all?"]) { args, kw in
        let who = "string-replace"
        let s = try args[0].asString(who).scalars
        let from = try args[1].asString(who).scalars
        let to = try args[2].asString(who).scalars
        let all = StringArgs.flag(kw, "all?", default: true)
        let out = try TextSearch.replace(s, from, with: to, all: all, reserve: rt.reserveString)
        return .string(MString(out))
    }

    lib.fn2("string-contains?") { s, part in
        let hay = try s.asString("string-contains?").scalars
        let needle = try part.asString("string-contains?").scalars
        if hay.count >= 4096 { try rt.charge(hay.count >> 10) }
        return .bool(TextSearch.find(needle, in: hay, from: 0) != nil)
    }
    lib.fn2("string-prefix?") { s, prefix in
        let str = try s.asString("string-prefix?").scalars
        let p = try prefix.asString("string-prefix?").scalars
        return .bool(str.starts(with: p))
    }
    lib.fn2("string-suffix?") { s, suffix in
        let str = try s.asString("string-suffix?").scalars
        let p = try suffix.asString("string-suffix?").scalars
        return .bool(p.count <= str.count && str[(str.count - p.count)...].elementsEqual(p))
    }
    lib.fn1("non-empty-string?") { v in
        if case .string(let s) = v { return .bool(s.count > 0) }
        return .false
    }
}

/// What `string-split` and `string-trim` cut at: runs of ASCII whitespace (the default, Racket's
/// `\s+`) or a literal string.
enum Separator {
    case whitespace
    case text([Unicode.Scalar])

    init(_ v: Value?, _ who: String) throws {
        guard let v else {
            self = .whitespace
            return
        }
        guard case .string(let s) = v else {
            throw SchemeError.contract(who, expected: "(or/c string? regexp?)", given: v)
        }
        self = .text(s.scalars)
    }

    /// Racket's `\s`: space, tab, newline, vertical tab, form feed, return.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || (c.value >= 9 && c.value <= 13)
    }

    /// Length of the separator starting at `i` (not reaching past `end`), 0 if none.
    func match(_ s: [Unicode.Scalar], at i: Int, end: Int) -> Int {
        switch self {
        case .whitespace:
            return i < end && Separator.isSpace(s[i]) ? 1 : 0
        case .text(let t):
            guard !t.isEmpty, i + t.count <= end else { return 0 }
            for k in 0..<t.count where s[i + k] != t[k] { return 0 }
            return t.count
        }
    }

    /// Length of the separator ending at `end` (not starting before `start`), 0 if none.
    func matchEnding(_ s: [Unicode.Scalar], at end: Int, start: Int) -> Int {
        switch self {
        case .whitespace:
            return end > start && Separator.isSpace(s[end - 1]) ? 1 : 0
        case .text(let t):
            guard !t.isEmpty, end - t.count >= start else { return 0 }
            return match(s, at: end - t.count, end: end)
        }
    }

    /// Whitespace always matches whole runs.
    var repeats: Bool {
        if case .whitespace = self { return true }
        return false
    }
}

/// Searching, splitting and replacing inside code-point arrays.
enum TextSearch {
    /// Index of the first occurrence of `needle` at or after `from`; `from` itself for an empty needle.
    static func find(_ needle: [Unicode.Scalar], in hay: [Unicode.Scalar], from: Int) -> Int? {
        guard let first = needle.first else { return from <= hay.count ? from : nil }
        guard needle.count <= hay.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The part of `s` left after removing separators at either end: one each, or whole runs
    /// with `repeat` (`(string-trim "aaa" "a")` → `"a"`, as in Racket).
    static func trimmedRange(_ s: [Unicode.Scalar], by sep: Separator, left: Bool, right: Bool, repeated: Bool) -> Range<Int> {
        let runs = repeated || sep.repeats
        var start = 0
        var end = s.count
        if left {
            while true {
                let m = sep.match(s, at: start, end: end)
                if m == 0 { break }
                start += m
                if !runs { break }
            }
        }
        if right {
            while true {
                let m = sep.matchEnding(s, at: end, start: start)
                if m == 0 { break }
                end -= m
                if !runs { break }
            }
        }
        return start..<end
    }

    /// `string-split`: trims first (by default), then cuts at every separator, or every run of
    /// separators with `repeat`. An empty separator cuts between all characters, with empty
    /// strings at both ends, as Racket's regexp split does.
    static func split(_ s: [Unicode.Scalar], by sep: Separator, trim: Bool, repeated: Bool) -> [[Unicode.Scalar]] {
        if case .text(let t) = sep, t.isEmpty {
            return s.isEmpty ? [] : [[]] + s.map { [$0] } + [[]]
        }
        let r = trim ? trimmedRange(s, by: sep, left: true, right: true, repeated: repeated) : 0..<s.count
        if r.isEmpty { return [] }
        let runs = repeated || sep.repeats
        var pieces: [[Unicode.Scalar]] = []
        var pieceStart = r.lowerBound
        var i = r.lowerBound
        while i < r.upperBound {
            var m = sep.match(s, at: i, end: r.upperBound)
            if m == 0 {
                i += 1
                continue
            }
            pieces.append(Array(s[pieceStart..<i]))
            i += m
            while runs {
                m = sep.match(s, at: i, end: r.upperBound)
                if m == 0 { break }
                i += m
            }
            pieceStart = i
        }
        pieces.append(Array(s[pieceStart..<r.upperBound]))
        return pieces
    }

    /// `string-replace`: every (or the first) occurrence of `from` replaced by `to`. An empty
    /// `from` matches before every character and at the end (`"abc"` → `"-a-b-c-"`).
    /// `reserve` is told the exact result length before the result is built.
    static func replace(_ s: [Unicode.Scalar], _ from: [Unicode.Scalar], with to: [Unicode.Scalar], all: Bool,
                        reserve: (Int) throws -> Void) rethrows -> [Unicode.Scalar] {
        if from.isEmpty {
            guard all else {
                try reserve(s.count &+ to.count)
                return to + s
            }
            try reserve(s.count &+ (s.count &+ 1) &* to.count)
            var out = to
            for c in s {
                out.append(c)
                out.append(contentsOf: to)
            }
            return out
        }
        var matches: [Int] = []
        var i = 0
        while let j = find(from, in: s, from: i) {
            matches.append(j)
            i = j + from.count
            if !all { break }
        }
        try reserve(s.count &+ matches.count &* (to.count &- from.count))
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        i = 0
        for j in matches {
            out.append(contentsOf: s[i..<j])
            out.append(contentsOf: to)
            i = j + from.count
        }
        out.append(contentsOf: s[i...])
        return out
    }
}
