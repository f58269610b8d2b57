/// racket/format's `~a`, `~s`, `~v` and `~e`: render any number of values, join them with
/// `#:separator`, then cut to `#:max-width` and pad to `#:min-width` (checked against Racket 8.7:
/// `(~a "ab" #:min-width 7 #:pad-string "123")` → `"ab23123"`).
func registerTildeFormatters(_ lib: LibraryBuilder) {
    let keywords = ["separator", "width", "max-width", "min-width", "limit-marker", "limit-prefix?",
                    "align", "pad-string", "left-pad-string", "right-pad-string"]
    let forms: [(String, Printer.Mode, String)] = [
        ("~a", .display, ""), ("~s", .write, " "), ("~v", .print, " "), ("~e", .print, " "),
    ]
    for (name, mode, separator) in forms {
        lib.fnKw(name, 0, nil, keywords: keywords) { args, kw in
            let options = try TildeOptions(kw, who: name, separator: separator)
            var text: [Unicode.Scalar] = []
            for i in 0..<args.count {
                if i > 0 { text.append(contentsOf: options.separator) }
                let v = args[i]
                if case .string(let s) = v, mode == .display {
                    text.append(contentsOf: s.scalars)
                } else {
                    text.append(contentsOf: Printer.render(v, mode: mode, maxDepth: 10_000).text.unicodeScalars)
                }
            }
            try lib.runtime.reserveString(max(text.count, options.minWidth))
            return .string(MString(try options.apply(to: text)))
        }
    }
}

/// The width options shared by the `~a` family.
struct TildeOptions {
    enum Align { case left, center, right }

    var separator: [Unicode.Scalar]
    var maxWidth = Int.max
    var minWidth = 0
    var limitMarker: [Unicode.Scalar] = []
    var limitPrefix = false
    var align = Align.left
    var leftPad: [Unicode.Scalar] = [" "]
    var rightPad: [Unicode.Scalar] = [" "]
    let who: String

    init(_ kw: KeywordArguments, who: String, separator: String) throws {
        self.who = who
        self.separator = Array(separator.unicodeScalars)
        if let s = try StringArgs.string(kw, "separator", who) { self.separator = s }
        if let w = kw[Symbol.intern("width")], w.isTrue {
            let n = try TildeOptions.natural(w, "width", who)
            maxWidth = n
            minWidth = n
        }
        if let w = kw[Symbol.intern("max-width")] {
            if case .double(let d) = w, d == .infinity { maxWidth = .max } else {
                maxWidth = try TildeOptions.natural(w, "(or/c natural? +inf.0)", who)
            }
        }
        if let w = kw[Symbol.intern("min-width")] { minWidth = try TildeOptions.natural(w, "natural?", who) }
        if let m = try StringArgs.string(kw, "limit-marker", who) { limitMarker = m }
        limitPrefix = StringArgs.flag(kw, "limit-prefix?", default: false)
        if let a = kw[Symbol.intern("align")] {
            switch a {
            case .symbol(let s) where s.name == "left": align = .left
            case .symbol(let s) where s.name == "center": align = .center
            case .symbol(let s) where s.name == "right": align = .right
            default: throw SchemeError.contract(who, expected: "(or/c 'left 'right 'center)", given: a)
            }
        }
        if let p = try TildeOptions.padString(kw, "pad-string", who) {
            leftPad = p
            rightPad = p
        }
        if let p = try TildeOptions.padString(kw, "left-pad-string", who) { leftPad = p }
        if let p = try TildeOptions.padString(kw, "right-pad-string", who) { rightPad = p }
    }

    private static func natural(_ v: Value, _ expected: String, _ who: String) throws -> Int {
        if case .int(let n) = v, n >= 0 { return n }
        throw SchemeError.contract(who, expected: expected == "width" ? "(or/c natural? #f)" : expected, given: v)
    }

    private static func padString(_ kw: KeywordArguments, _ name: String, _ who: String) throws -> [Unicode.Scalar]? {
        guard let v = kw[Symbol.intern(name)] else { return nil }
        guard case .string(let s) = v, s.count > 0 else {
            throw SchemeError.contract(who, expected: "non-empty-string?", given: v)
        }
        return s.scalars
    }

    /// Cuts to `maxWidth` (keeping the limit marker) and pads to `minWidth`.
    func apply(to text: [Unicode.Scalar]) throws -> [Unicode.Scalar] {
        var s = text
        if s.count > maxWidth {
            if limitMarker.count > maxWidth {
                throw SchemeError(.contract, "\(who): limit-marker string longer than limit (\(maxWidth)): \(Printer.write(.string(MString(limitMarker))))")
            }
            let keep = maxWidth - limitMarker.count
            s = limitPrefix ? limitMarker + s.suffix(keep) : Array(s.prefix(keep)) + limitMarker
        }
        guard s.count < minWidth else { return s }
        let missing = minWidth - s.count
        let (left, right): (Int, Int)
        switch align {
        case .left: (left, right) = (0, missing)
        case .right: (left, right) = (missing, 0)
        case .center: (left, right) = (missing / 2, missing - missing / 2)
        }
        return TildeOptions.leftPadding(left, leftPad) + s + TildeOptions.rightPadding(right, rightPad)
    }

    /// Whole copies of the pad string, then the start of one: `"123"` to 5 → `"12312"`.
    static func leftPadding(_ n: Int, _ pad: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for _ in 0..<(n / pad.count) { out.append(contentsOf: pad) }
        out.append(contentsOf: pad.prefix(n % pad.count))
        return out
    }

    /// The end of one copy, then whole copies: `"123"` to 5 → `"23123"`.
    static func rightPadding(_ n: Int, _ pad: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = Array(pad.suffix(n % pad.count))
        for _ in 0..<(n / pad.count) { out.append(contentsOf: pad) }
        return out
    }
}
