import Foundation
import Sandbox

/// Limits read from words: "under $2", "budget 5 dollars", "within 5 minutes", "in 30 s",
/// "only gpt-4o-mini", "no gpt-4o". What it cannot read is returned, so the planner can say so.
struct Constraints: Equatable {
    var maxCostUSD: Double?
    var maxLatencySeconds: Double?
    var allowedModels: [String]?
    var excludedModels: [String] = []
    /// Clauses (comma/semicolon/"and"-separated) that named no limit the planner knows.
    var unread: [String] = []

    /// `knownModel` says whether a word is a model name (the registry decides).
    static func parse(_ text: String, knownModel: (String) -> Bool) -> Constraints {
        var c = Constraints()
        let clauses = text.lowercased()
            .replacingOccurrences(of: " and ", with: ",")
            .split(whereSeparator: { ",;\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for clause in clauses {
            var understood = false
            if let dollars = money(clause) {
                c.maxCostUSD = min(c.maxCostUSD ?? .infinity, dollars)
                understood = true
            }
            if let seconds = duration(clause) {
                c.maxLatencySeconds = min(c.maxLatencySeconds ?? .infinity, seconds)
                understood = true
            }
            let words = clause.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == ":" }).map(String.init)
            let models = words.filter(knownModel)
            if !models.isEmpty {
                let negative = ["no", "not", "avoid", "without", "never", "exclude", "except", "don't", "dont"].contains { words.contains($0) }
                if negative {
                    c.excludedModels += models
                } else {
                    c.allowedModels = (c.allowedModels ?? []) + models
                }
                understood = true
            }
            if !understood { c.unread.append(clause) }
        }
        c.excludedModels = Array(Set(c.excludedModels)).sorted()
        if let allowed = c.allowedModels { c.allowedModels = Array(Set(allowed)).sorted() }
        return c
    }

    /// "$2", "$1.50", "2 dollars", "2 usd", "2$".
    static func money(_ clause: String) -> Double? {
        let patterns = [#"\$\s*([0-9]+(?:\.[0-9]+)?)"#, #"([0-9]+(?:\.[0-9]+)?)\s*(?:\$|usd\b|dollars?\b)"#]
        for p in patterns {
            if let m = firstMatch(p, in: clause), let v = Double(m) { return v }
        }
        return nil
    }

    /// "5 minutes", "30s", "2 hours", "90 sec".
    static func duration(_ clause: String) -> Double? {
        let units: [(String, Double)] = [("hours?|hrs?|h", 3600), ("minutes?|mins?|m", 60), ("seconds?|secs?|s", 1)]
        for (unit, factor) in units {
            if let m = firstMatch(#"([0-9]+(?:\.[0-9]+)?)\s*(?:"# + unit + #")\b"#, in: clause), let v = Double(m) { return v * factor }
        }
        return nil
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
