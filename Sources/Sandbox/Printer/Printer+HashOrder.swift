import BigInt

/// The order in which a hash table's entries print (reference §4.7): sorted by key when every
/// key is of one orderable kind, otherwise insertion order.
extension Printer {
    /// Key kinds that sort: numbers ascending; strings, symbols and keywords by code point; chars.
    private enum KeyKind {
        case number, string, symbol, keyword, char
    }

    static func orderedEntries(_ table: HashTable) -> [(key: Value, value: Value)] {
        var entries = table.storage.map { (key: $0.key.value, value: $0.value) }
        guard entries.count > 1, let kind = keyKind(entries[0].key),
              entries.allSatisfy({ keyKind($0.key) == kind }) else { return entries }
        switch kind {
        case .number:
            entries.sort { numberPrecedes($0.key, $1.key) }
        case .string:
            entries.sort { a, b in
                guard case .string(let x) = a.key, case .string(let y) = b.key else { return false }
                return x.scalars.lexicographicallyPrecedes(y.scalars) { $0.value < $1.value }
            }
        case .symbol, .keyword:
            entries.sort { a, b in
                guard let x = symbolName(a.key), let y = symbolName(b.key) else { return false }
                return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) { $0.value < $1.value }
            }
        case .char:
            entries.sort { a, b in
                guard case .char(let x) = a.key, case .char(let y) = b.key else { return false }
                return x.value < y.value
            }
        }
        return entries
    }

    private static func keyKind(_ v: Value) -> KeyKind? {
        switch v {
        case .int, .double: return .number
        case .object(let o) where o is BigNum || o is Ratnum: return .number
        case .string: return .string
        case .symbol: return .symbol
        case .keyword: return .keyword
        case .char: return .char
        default: return nil
        }
    }

    private static func symbolName(_ v: Value) -> String? {
        switch v {
        case .symbol(let s), .keyword(let s): return s.name
        default: return nil
        }
    }

    /// A strict weak order on real numbers: exact integers compare exactly, everything else as
    /// doubles, NaN last.
    static func numberPrecedes(_ a: Value, _ b: Value) -> Bool {
        if let x = a.exactInteger, let y = b.exactInteger { return x < y }
        let x = approximate(a), y = approximate(b)
        if x.isNaN { return false }
        if y.isNaN { return true }
        return x < y
    }

    private static func approximate(_ v: Value) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .object(let b as BigNum): return Double(b.value)
        case .object(let r as Ratnum): return Double(r.numerator) / Double(r.denominator)
        default: return .nan
        }
    }
}
