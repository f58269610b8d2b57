import Foundation
import Sandbox

/// What to simulate and how.
public struct SimulationOptions: Sendable {
    /// First seed; run k uses `seed + k`.
    public var seed: UInt64 = 1
    public var runs: Int = 1
    /// The model for `#:model ""` (the real run's `--model`).
    public var defaultModel: String = "gpt-4o"
    /// Calls in flight at once (the real run's `--max-concurrent`).
    public var maxInFlight: Int = 64
    /// `context` for the program: the real data, or synthesised (see `SyntheticData`).
    public var context: String?
    public var fixtures = FixtureSet()
    public var behaviors = ModelBehaviorTable.embedded
    public var catalog = ModelCatalog.embedded
    /// Prompt token counter; the default is the gateway's estimate until a tokenizer is set.
    public var promptTokens: @Sendable (ModelRequest) -> Int = { TokenCounting.estimate($0) }
    /// Whether `promptTokens` is exact for every model (else the report says "estimated").
    public var tokenCountsExact: @Sendable (String) -> Bool = { _ in false }
    public var limits = Limits()

    public init() {}
}

/// Prompt-token counting for simulation.
public enum TokenCounting {
    /// The estimate the runtime uses for reservations without a tokenizer.
    public static func estimate(_ request: ModelRequest) -> Int {
        var total = 3
        for m in request.messages { total += 4 + (m.content.unicodeScalars.count + 3) / 4 }
        return total
    }
}

/// Context data of a given shape when the real data is not at hand: `items` paragraphs of about
/// `chars` characters of plain English-like text, separated by blank lines.
public enum SyntheticData {
    public static func items(_ count: Int, chars: Int, seed: UInt64) -> String {
        var random = SeededRandom(seed: seed ^ 0x5EED)
        var paragraphs: [String] = []
        paragraphs.reserveCapacity(count)
        for i in 0..<count {
            var text = "Item \(i + 1):"
            while text.count < chars {
                text += " " + ReplySynthesizer.vocabulary[Int(random.next() % UInt64(ReplySynthesizer.vocabulary.count))]
            }
            paragraphs.append(String(text.prefix(max(chars, 1))))
        }
        return paragraphs.joined(separator: "\n\n")
    }
}
