import Foundation
import Sandbox

/// Decides how long a simulated reply is and writes text of about that many tokens.
///
/// Length: the model's median reply length with log-normal spread, shifted by cues in the
/// instruction ("one word", "yes or no", "in N words", "JSON", "list"), capped by `#:max-tokens`.
/// Text: common English words that are one token each in OpenAI's encodings, so a reply of n
/// words counts about n tokens when a later prompt includes it; JSON mode gives a JSON object
/// with the keys the instruction names.
enum ReplySynthesizer {
    /// The program a simulated sub-model writes for `#:recursive #t`: one call over its data.
    static let recursiveProgram = """
        ```scheme
        (finish (syntax-e (llm-query #:instruction "Complete the task for this data." #:data context)))
        ```
        """

    static func replyTokens(_ request: ModelRequest, behavior: ModelBehavior, random: inout SeededRandom) -> Int {
        let instruction = request.messages.first { $0.role == "system" }?.content ?? ""
        var median = behavior.replyTokens
        var sigma = behavior.replySpread
        switch cues.cue(instruction) {
        case .words(let words):
            median = Double(words) * 1.3
            sigma = 0.15
        case .oneWord:
            median = 2
            sigma = 0.3
        case .json:
            median = min(median, 90)
        case .oneSentence where !request.jsonMode:
            median = 28
            sigma = 0.25
        case .oneSentence, .none:
            if request.jsonMode { median = min(median, 90) }
        }
        var n = Int(random.logNormal(median: median, sigma: sigma).rounded())
        n = max(1, n)
        if let cap = request.maxTokens { n = min(n, cap) }
        return n
    }

    /// What an instruction says about the reply's length, by instruction (a fan-out sends the
    /// same one a hundred times; reading it each time was 8% of a simulation, perf).
    private static let cues = ReplyCueMemo()

    enum Cue: Sendable {
        case words(Int), oneWord, json, oneSentence, none

        init(instruction: String) {
            let instruction = instruction.lowercased()
            if let words = ReplySynthesizer.wordTarget(instruction) { self = .words(words) }
            else if instruction.contains("one word") || instruction.contains("single word") || instruction.contains("yes or no") { self = .oneWord }
            else if instruction.contains("json") { self = .json }
            else if instruction.contains("one sentence") { self = .oneSentence }
            else { self = .none }
        }
    }

    /// "in 50 words", "under 100 words", "at most 20 words".
    static func wordTarget(_ instruction: String) -> Int? {
        let words = instruction.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        for (i, w) in words.enumerated() where w.hasPrefix("word") && i > 0 {
            if let n = Int(words[i - 1]), n > 0, n < 100_000 { return n }
        }
        return nil
    }

    static let vocabulary = ["the", "data", "result", "model", "analysis", "report", "value", "system", "process",
                             "study", "point", "change", "level", "group", "case", "part", "number", "field",
                             "method", "effect", "rate", "time", "area", "term", "form", "test", "high", "low",
                             "new", "key", "main", "clear", "strong", "small", "large", "early", "final", "common"]

    static let vocabularyBytes: [[UInt8]] = vocabulary.map { Array($0.utf8) }

    static func text(tokens: Int, random: inout SeededRandom) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens * 6 + 2)
        // Each vocabulary word is one token (capitalised too) and the final period another, so a
        // reply of n tokens is n - 1 words: its text, sent on to another call, weighs what a real one does.
        for i in 0..<max(tokens - 1, 1) {
            let w = vocabularyBytes[Int(random.next() % UInt64(vocabularyBytes.count))]
            if i == 0 {
                bytes.append(w[0] &- 32)  // capitalised (the vocabulary is lower-case ASCII)
                bytes.append(contentsOf: w[1...])
            } else {
                bytes.append(32)
                bytes.append(contentsOf: w)
            }
        }
        bytes.append(46)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A JSON object whose keys are those the instruction names (`keys: a, b`, quoted names),
    /// else `answer` and `confidence`; values fit the key's name and the token target.
    static func json(tokens: Int, instruction: String, random: inout SeededRandom) -> String {
        var keys = jsonKeys(instruction)
        if keys.isEmpty { keys = ["answer", "confidence"] }
        let textKeys = keys.filter { !isNumeric($0) && !isBoolean($0) }
        let perText = max(1, (tokens - keys.count * 4) / max(textKeys.count, 1))
        var parts: [String] = []
        for k in keys {
            let value: String
            if isNumeric(k) { value = String(format: "%.2f", 0.5 + 0.5 * random.unit()) }
            else if isBoolean(k) { value = random.unit() < 0.5 ? "true" : "false" }
            else { value = "\"" + text(tokens: perText, random: &random).replacingOccurrences(of: "\"", with: "") + "\"" }
            parts.append("\"\(k)\": \(value)")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func jsonKeys(_ instruction: String) -> [String] {
        var keys: [String] = []
        // Quoted names: "score", 'label'.
        var i = instruction.startIndex
        while i < instruction.endIndex {
            let c = instruction[i]
            if c == "\"" || c == "'" {
                if let end = instruction[instruction.index(after: i)...].firstIndex(of: c) {
                    let name = String(instruction[instruction.index(after: i)..<end])
                    if !name.isEmpty, name.count <= 40, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { keys.append(name) }
                    i = instruction.index(after: end)
                    continue
                }
            }
            i = instruction.index(after: i)
        }
        if keys.isEmpty, let r = instruction.range(of: "keys:", options: .caseInsensitive) {
            let rest = instruction[r.upperBound...].prefix { $0 != "." && $0 != "\n" }
            keys = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_") }
                .filter { !$0.isEmpty && $0.count <= 40 }
        }
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }

    static func isNumeric(_ k: String) -> Bool {
        let l = k.lowercased()
        return ["score", "confidence", "probability", "rating", "count", "uncertainty"].contains { l.contains($0) }
    }

    static func isBoolean(_ k: String) -> Bool {
        let l = k.lowercased()
        return l.hasPrefix("is_") || l.hasPrefix("has_") || l == "approved" || l == "valid"
    }
}

/// A bounded, thread-safe memo of instructions' length cues.
final class ReplyCueMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var cues: [String: ReplySynthesizer.Cue] = [:]

    func cue(_ instruction: String) -> ReplySynthesizer.Cue {
        lock.lock()
        if let c = cues[instruction] { lock.unlock(); return c }
        lock.unlock()
        let c = ReplySynthesizer.Cue(instruction: instruction)
        lock.lock()
        if cues.count >= 10_000 { cues.removeAll(keepingCapacity: true) }
        cues[instruction] = c
        lock.unlock()
        return c
    }
}
