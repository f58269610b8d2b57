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
    /// Prompt tokens: exact (BPE, OpenAI's chat framing) for models with a known tokenizer, an
    /// estimate for the others.
    public var promptTokens: @Sendable (ModelRequest) -> Int = { TokenCounting.count($0) }
    /// Whether `promptTokens` is exact for a model (else the report says "estimated").
    public var tokenCountsExact: @Sendable (String) -> Bool = { ChatTokenCounter.encoding(forModel: $0) != nil }
    public var limits = Limits()
    /// The retry policy (as a real run's: `RLM_MAX_RETRIES`, backoff, timeouts, Retry-After cap).
    public var retry = RetryPolicy()
    /// When set, every model's attempts fail transiently at this rate (`simulate --error-rate`).
    public var errorRate: Double?
    /// Where rate limits come from (explicit, observed, tier); the behaviour table completes it.
    /// Default: no server known, so no tier is assumed.
    public var rateLimits = RateLimitResolver(baseURL: "")

    public init() {}
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
            var length = text.utf8.count
            while length < chars {
                let word = ReplySynthesizer.vocabulary[Int(random.next() % UInt64(ReplySynthesizer.vocabulary.count))]
                text += " " + word
                length += 1 + word.utf8.count
            }
            // ASCII only, so bytes are characters.
            paragraphs.append(String(text.utf8.prefix(max(chars, 1))) ?? text)
        }
        return paragraphs.joined(separator: "\n\n")
    }

    /// `count` items of exactly `tokens` tokens each in `o200k_base` (words of one token each,
    /// trimmed or extended until the count is exact).
    public static func items(_ count: Int, tokens: Int, seed: UInt64) throws -> [String] {
        let tokenizer = try BPETokenizer.shared(.o200kBase)
        var random = SeededRandom(seed: seed ^ 0x70C3)
        var out: [String] = []
        out.reserveCapacity(count)
        let vocabulary = ReplySynthesizer.vocabulary
        for i in 0..<count {
            var words = ["Item", "\(i + 1)"]
            while words.count < tokens + 2 { words.append(vocabulary[Int(random.next() % UInt64(vocabulary.count))]) }
            var text = words.joined(separator: " ")
            var n = tokenizer.count(text)
            while n > tokens, words.count > 1 { words.removeLast(); text = words.joined(separator: " "); n = tokenizer.count(text) }
            while n < tokens { words.append("the"); text = words.joined(separator: " "); n = tokenizer.count(text) }
            out.append(text)
        }
        return out
    }
}
