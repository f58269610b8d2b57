import Foundation

/// The data's shape read from words: "~5KB per paper, 1MB total", "500 Python files",
/// "200 rows of CSV", "one 900KB document". Each figure is nil when the words don't say it.
struct DataDescription: Equatable {
    var count: Int?
    var noun: String?
    /// Characters per item.
    var perItemChars: Int?
    /// Characters in all.
    var totalChars: Int?

    /// Nouns that name items, singular, with the size assumed when the words give none (chars).
    static let nouns: [(noun: String, chars: Int)] = [
        ("paper", 20_000), ("article", 8_000), ("abstract", 1_500), ("document", 10_000), ("doc", 10_000),
        ("file", 4_000), ("module", 6_000), ("function", 1_500), ("class", 3_000), ("repository", 400_000),
        ("row", 200), ("record", 300), ("entry", 300), ("line", 80), ("log line", 160),
        ("email", 2_000), ("message", 600), ("comment", 400), ("post", 1_500), ("review", 800), ("tweet", 280),
        ("ticket", 1_500), ("transcript", 20_000), ("chapter", 30_000), ("page", 3_000), ("section", 8_000),
        ("question", 300), ("product", 800), ("contract", 30_000), ("report", 15_000), ("note", 1_000),
        ("chunk", 4_000), ("item", 2_000), ("book", 400_000), ("website", 50_000), ("webpage", 8_000),
    ]

    static let numberWords: [String: Int] = [
        "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty": 20, "fifty": 50, "hundred": 100, "thousand": 1000,
        "dozen": 12,
    ]

    /// Parses `text` (either the data characteristics or the task description).
    static func parse(_ text: String) -> DataDescription {
        var d = DataDescription()
        let lower = text.lowercased()
        let words = tokens(lower)
        // Sizes: a number with a unit; "per X"/"each" after it make it per item, "total" makes it all.
        for i in words.indices {
            guard let (value, unitIndex) = number(words, at: i), let chars = size(value, unit: words[safe: unitIndex]) else { continue }
            let after = words[min(unitIndex + 1, words.count)..<min(unitIndex + 4, words.count)]
            let before = words[max(i - 3, 0)..<i]
            let perItem = after.contains("per") || after.contains("each") || after.contains("/") || before.contains("each")
            let total = after.contains("total") || before.contains("total") || after.contains("overall") || after.contains("altogether")
            if perItem { d.perItemChars = d.perItemChars ?? chars } else if total { d.totalChars = d.totalChars ?? chars } else {
                // "one 900KB document": a size before a noun is that item's size.
                if let noun = nounAt(words, unitIndex + 1) ?? nounAt(words, unitIndex + 2) {
                    d.perItemChars = d.perItemChars ?? chars
                    d.noun = d.noun ?? noun
                    if let previous = words[safe: i - 1], let n = numberWords[previous] { d.count = d.count ?? n }
                } else {
                    d.totalChars = d.totalChars ?? chars
                }
            }
        }
        // Counts: a number, up to three words, then an item noun ("500 Python files", "200 rows of CSV").
        for i in words.indices {
            guard let (value, next) = number(words, at: i), size(value, unit: words[safe: next]) == nil || words[safe: next] == nil else { continue }
            for k in next..<min(next + 4, words.count) {
                if let noun = nounAt(words, k) {
                    if d.count == nil {
                        d.count = Int(value)
                        d.noun = noun
                    }
                    break
                }
                if number(words, at: k) != nil { break }
            }
            if d.count != nil { break }
        }
        return d
    }

    /// Words and numbers, with `$`, `~`, `/` kept as their own tokens and `5kb` split into `5`, `kb`.
    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var kindOfCurrent = 0  // 1 digits, 2 letters
        func flush() { if !current.isEmpty { out.append(current) }; current = ""; kindOfCurrent = 0 }
        for ch in text {
            if ch.isNumber || (ch == "." && kindOfCurrent == 1) || (ch == "," && kindOfCurrent == 1) {
                if kindOfCurrent == 2 { flush() }
                kindOfCurrent = 1
                current.append(ch)
            } else if ch.isLetter || ch == "-" && kindOfCurrent == 2 {
                if kindOfCurrent == 1 { flush() }
                kindOfCurrent = 2
                current.append(ch)
            } else {
                flush()
                if "$/~".contains(ch) { out.append(String(ch)) }
            }
        }
        flush()
        return out.map { $0.hasSuffix(".") || $0.hasSuffix(",") ? String($0.dropLast()) : $0 }
    }

    /// The number at `i` (digits with `,` separators, or a number word) and the index after it.
    static func number(_ words: [String], at i: Int) -> (Double, Int)? {
        guard let w = words[safe: i] else { return nil }
        if let v = Double(w.replacingOccurrences(of: ",", with: "")) {
            // "2 thousand", "1.5 million"
            if let m = words[safe: i + 1], let scale = ["thousand": 1e3, "million": 1e6, "k": 1e3][m], words[safe: i + 2].map(isNoun) ?? false {
                return (v * scale, i + 2)
            }
            return (v, i + 1)
        }
        if let v = numberWords[w], w != "a" && w != "an" || nounAt(words, i + 1) != nil || (words[safe: i + 1].map { size(1, unit: $0) != nil } ?? false) {
            return (Double(v), i + 1)
        }
        return nil
    }

    /// Characters for `value` of `unit`, nil when the word is not a size unit.
    static func size(_ value: Double, unit: String?) -> Int? {
        guard let unit else { return nil }
        let factor: Double
        switch unit {
        case "b", "byte", "bytes", "char", "chars", "characters", "character": factor = 1
        case "k", "kb", "kib", "kbyte", "kbytes", "kilobytes": factor = 1_000
        case "mb", "mib", "megabytes", "megabyte", "m": factor = 1_000_000
        case "gb", "gib", "gigabytes": factor = 1_000_000_000
        case "token", "tokens", "tok": factor = 4
        case "ktokens", "ktok": factor = 4_000
        case "word", "words": factor = 6
        default: return nil
        }
        return Int(value * factor)
    }

    static func isNoun(_ word: String) -> Bool { singular(word).map { s in nouns.contains { $0.noun == s } } ?? false }

    /// The item noun at `i` (singular), nil when the word is not one.
    static func nounAt(_ words: [String], _ i: Int) -> String? {
        guard let w = words[safe: i], let s = singular(w), nouns.contains(where: { $0.noun == s }) else { return nil }
        return s
    }

    static func singular(_ w: String) -> String? {
        if nouns.contains(where: { $0.noun == w }) { return w }
        for (suffix, replacement) in [("ies", "y"), ("es", ""), ("s", "")] where w.hasSuffix(suffix) {
            let stem = String(w.dropLast(suffix.count)) + replacement
            if nouns.contains(where: { $0.noun == stem }) { return stem }
        }
        return nil
    }

    static func assumedChars(noun: String?) -> Int {
        nouns.first { $0.noun == noun }?.chars ?? 2_000
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
