import Foundation
import Sandbox

/// User-supplied replies (`--fixtures FILE`) that steer branches depending on reply content:
///
///     [{"instruction": "critique", "model": "gpt-4o-mini", "texts": ["weak", "APPROVED"]},
///      {"instruction": "rate confidence", "text": "confidence: low", "probability": 0.2},
///      {"data": "Paper 3", "tokens": 900}]
///
/// A call matches the first entry whose `instruction` / `data` substrings (case-insensitive) and
/// `model` all match. The entry gives the reply text (`text`, or one of `texts` drawn uniformly),
/// or only its length (`tokens`); `probability` makes it apply to that share of matching calls.
public struct FixtureSet: Sendable {
    public struct Entry: Codable, Sendable {
        public var instruction: String?
        public var data: String?
        public var model: String?
        public var text: String?
        public var texts: [String]?
        public var tokens: Int?
        public var probability: Double?

        public init(instruction: String? = nil, data: String? = nil, model: String? = nil, text: String? = nil,
                    texts: [String]? = nil, tokens: Int? = nil, probability: Double? = nil) {
            self.instruction = instruction
            self.data = data
            self.model = model
            self.text = text
            self.texts = texts
            self.tokens = tokens
            self.probability = probability
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public static func load(path: String) throws -> FixtureSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimulationError("cannot read the fixtures file \(path)")
        }
        do {
            return FixtureSet(entries: try JSONDecoder().decode([Entry].self, from: data))
        } catch {
            throw SimulationError("\(path): not a fixtures file (a JSON array of {instruction, data, model, text | texts | tokens, probability}): \(error)")
        }
    }

    /// The index of the entry matching `request`, if any.
    func match(_ request: ModelRequest, random: inout SeededRandom) -> Int? {
        let instruction = request.messages.first { $0.role == "system" }?.content.lowercased() ?? ""
        let data = request.messages.last { $0.role == "user" }?.content.lowercased() ?? ""
        for (i, e) in entries.enumerated() {
            if let s = e.instruction, !instruction.contains(s.lowercased()) { continue }
            if let s = e.data, !data.contains(s.lowercased()) { continue }
            if let m = e.model, m != request.model { continue }
            if let p = e.probability, random.unit() >= p { continue }
            return i
        }
        return nil
    }
}
