/// Case conversion with Unicode's full mappings, as Racket does: `(string-upcase "straße")` →
/// `"STRASSE"`, and a final capital sigma lower-cases to `ς` (Swift's `lowercased()` does not).
enum CaseMapping {
    static func upcase(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        for c in s {
            if c.isASCII { out.append(c.value >= 97 && c.value <= 122 ? Unicode.Scalar(UInt8(truncatingIfNeeded: c.value - 32)) : c) } else {
                out.append(contentsOf: c.properties.uppercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    static func downcase(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        for (i, c) in s.enumerated() {
            if c.isASCII {
                out.append(c.value >= 65 && c.value <= 90 ? Unicode.Scalar(UInt8(truncatingIfNeeded: c.value + 32)) : c)
            } else if c == "\u{03A3}" && isFinalSigma(s, at: i) {
                out.append("\u{03C2}")
            } else {
                out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    /// Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorable
    /// characters) and none after.
    private static func isFinalSigma(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count && s[k].properties.isCaseIgnorable { k += 1 }
        return k >= s.count || !s[k].properties.isCased
    }

    /// Title case: in each word the first cased letter goes to title case and the rest to lower
    /// case (`"don't STOP x1y 3rd"` → `"Don't Stop X1y 3Rd"`, as Racket does).
    ///
    /// Words approximate Unicode word boundaries: runs of letters, marks, digits and `_`, joined
    /// across a single `'`, `.`, `:`, `’` or `·` that has word characters on both sides.
    static func titlecase(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var seenCased = false
        for (i, c) in s.enumerated() {
            let inWord = isWordCharacter(c) || (i > 0 && i + 1 < s.count && isWordJoiner(c)
                                                && isWordCharacter(s[i - 1]) && isWordCharacter(s[i + 1]))
            if !inWord { seenCased = false }
            let p = c.properties
            guard p.isCased else {
                out.append(c)
                continue
            }
            if seenCased {
                if c == "\u{03A3}" && isFinalSigma(s, at: i) { out.append("\u{03C2}") } else {
                    out.append(contentsOf: p.lowercaseMapping.unicodeScalars)
                }
            } else {
                out.append(contentsOf: p.titlecaseMapping.unicodeScalars)
            }
            seenCased = true
        }
        return out
    }

    private static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    private static func isWordJoiner(_ c: Unicode.Scalar) -> Bool {
        c == "'" || c == "." || c == ":" || c == "\u{2019}" || c == "\u{00B7}"
    }

    /// Full case folding, approximated as lower(upper(s)): `ß` → `ss`, `ς` → `σ`.
    static func fold(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        if s.allSatisfy({ $0.isASCII }) { return downcase(s) }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        for c in s {
            for u in c.properties.uppercaseMapping.unicodeScalars {
                out.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    /// Simple (one-to-one) mappings for characters: a mapping that would produce several
    /// characters leaves the character unchanged (`(char-upcase #\ß)` → `#\ß`).
    static func simple(_ mapped: String, _ c: Unicode.Scalar) -> Unicode.Scalar {
        let scalars = mapped.unicodeScalars
        return scalars.count == 1 ? scalars[scalars.startIndex] : c
    }
}

func registerStringCase(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    let conversions: [(String, ([Unicode.Scalar]) -> [Unicode.Scalar])] = [
        ("string-upcase", CaseMapping.upcase), ("string-downcase", CaseMapping.downcase),
        ("string-titlecase", CaseMapping.titlecase), ("string-foldcase", CaseMapping.fold),
    ]
    for (name, convert) in conversions {
        lib.fn1(name) { v in
            let s = try v.asString(name)
            try rt.reserveString(s.count)
            return .string(MString(convert(s.scalars)))
        }
    }
}
