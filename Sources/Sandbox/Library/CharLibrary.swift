/// Characters: predicates, comparisons and case mappings over Unicode code points, with
/// Racket's definitions (`char-numeric?` is any character with a numeric value, so `#\½` counts;
/// `char-upcase` uses one-to-one mappings, so `(char-upcase #\ß)` is `#\ß`).
func registerCharLibrary(_ lib: LibraryBuilder) {
    lib.fn1("char?") { v in
        if case .char = v { return .true }
        return .false
    }
    lib.fn1("char->integer") { v in .int(Int(try v.asChar("char->integer").value)) }
    lib.fn1("integer->char") { v in
        guard case .int(let i) = v, let scalar = UInt32(exactly: i).flatMap(Unicode.Scalar.init) else {
            throw SchemeError.contract("integer->char", expected: "valid-unicode-scalar-value?", given: v)
        }
        return .char(scalar)
    }

    let orders: [(String, (UInt32, UInt32) -> Bool)] = [
        ("=?", { $0 == $1 }), ("<?", { $0 < $1 }), (">?", { $0 > $1 }),
        ("<=?", { $0 <= $1 }), (">=?", { $0 >= $1 }),
    ]
    for (suffix, holds) in orders {
        for folded in [false, true] {
            let name = (folded ? "char-ci" : "char") + suffix
            lib.fn(name, 1, nil) { args in
                var previous: UInt32 = 0
                var result = true
                for i in 0..<args.count {
                    var c = try args[i].asChar(name)
                    if folded { c = CharProperties.foldcase(c) }
                    if i > 0 && !holds(previous, c.value) { result = false }
                    previous = c.value
                }
                return .bool(result)
            }
        }
    }

    let mappings: [(String, (Unicode.Scalar) -> Unicode.Scalar)] = [
        ("char-upcase", { CaseMapping.simple($0.properties.uppercaseMapping, $0) }),
        ("char-downcase", { CaseMapping.simple($0.properties.lowercaseMapping, $0) }),
        ("char-titlecase", { CaseMapping.simple($0.properties.titlecaseMapping, $0) }),
        ("char-foldcase", CharProperties.foldcase),
    ]
    for (name, map) in mappings {
        lib.fn1(name) { v in .char(map(try v.asChar(name))) }
    }

    let predicates: [(String, (Unicode.Scalar) -> Bool)] = [
        ("char-alphabetic?", { $0.properties.isAlphabetic }),
        ("char-numeric?", { $0.properties.numericType != nil }),
        ("char-whitespace?", { $0.properties.isWhitespace }),
        ("char-upper-case?", { $0.properties.isUppercase }),
        ("char-lower-case?", { $0.properties.isLowercase }),
        ("char-title-case?", { $0.properties.generalCategory == .titlecaseLetter }),
        ("char-graphic?", Printer.isGraphic),
        ("char-blank?", { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }),
        ("char-iso-control?", { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }),
        ("char-punctuation?", CharProperties.isPunctuation),
        ("char-symbolic?", CharProperties.isSymbolic),
    ]
    for (name, test) in predicates {
        lib.fn1(name) { v in .bool(test(try v.asChar(name))) }
    }
}

/// Unicode properties Racket exposes that Swift spells differently.
enum CharProperties {
    /// Simple case folding, approximated as lower(upper(c)) when both are one character.
    static func foldcase(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let upper = CaseMapping.simple(c.properties.uppercaseMapping, c)
        return CaseMapping.simple(upper.properties.lowercaseMapping, upper)
    }

    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func isSymbolic(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return true
        default: return false
        }
    }
}
