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
    /// `context` for the program: the real data. When nil, `dataShape` (if any) is synthesised.
    public var context: String?
    /// Without `context`: synthesise data of this shape as `context` (the CLI's `--items`).
    public var dataShape: DataShape?
    /// The account's usage tier whose rate limits apply (`tier-1` … `tier-5`); nil = the table's
    /// own limits (tier 1 in the embedded table).
    public var tier: String?
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

    /// Options for simulating what `rlm-plan run` would do here: the default model
    /// (`model`, else `$RLM_SUB_MODEL`, else gpt-4o) and the model registry with calibration
    /// and the user's models file (`modelsFile`, else `$RLM_MODELS`) applied.
    ///
    /// - Throws: `SimulationError` naming the models file that cannot be read or decoded.
    public static func standard(model: String? = nil, modelsFile: String? = nil) throws -> SimulationOptions {
        var options = SimulationOptions()
        options.defaultModel = ModelSettings(defaultModel: model).defaultModel
        let registry = try ModelRegistry.load(path: modelsFile)
        options.catalog = registry.catalog
        options.behaviors = registry.behaviors
        // As a real run here would have them: the retry policy and the rate limits that apply to
        // OPENAI_BASE_URL (explicit RLM_RPM/RLM_TPM, observed, RLM_TIER or a tier assumed only for
        // a provider known to enforce tiers).
        let configuration = (try? OpenAIConfiguration.fromEnvironment()) ?? OpenAIConfiguration()
        options.retry = RetryPolicy(configuration)
        let limits = try environmentRateLimits(registry: registry)
        options.rateLimits = limits
        if let tier = limits.tier { options.tier = tier }
        return options
    }

    /// The rate limits a real run here would meet, from `registry`: those of `OPENAI_BASE_URL`'s
    /// provider (explicit `RLM_RPM`/`RLM_TPM`, the models file, observed, `RLM_TIER`, or a tier
    /// assumed only for a provider known to enforce tiers). The planner paces candidates by them.
    ///
    /// - Throws: `SimulationError` naming a variable whose value is not a limit.
    public static func environmentRateLimits(registry: ModelRegistry) throws -> RateLimitResolver {
        let configuration = (try? OpenAIConfiguration.fromEnvironment()) ?? OpenAIConfiguration()
        var limits = registry.rateLimitResolver(baseURL: configuration.baseURL, tier: nil)
        do { try limits.readEnvironment() } catch { throw SimulationError("\(error)") }
        return limits
    }

    /// Data of a given shape, synthesised per seed (`SyntheticData`).
    public enum DataShape: Sendable, Equatable {
        /// `count` paragraphs of about `chars` characters each, separated by blank lines.
        case items(count: Int, chars: Int)
        /// `count` paragraphs of exactly `tokens` tokens each (o200k_base), separated by blank lines.
        case itemTokens(count: Int, tokens: Int)
    }

    /// Says what is wrong with these options, if anything (every `simulate` checks first).
    ///
    /// - Throws: `SimulationError` naming the option and the value.
    public func validate() throws {
        if runs <= 0 { throw SimulationError("runs must be a positive whole number, not \(runs)") }
        if maxInFlight <= 0 { throw SimulationError("maxInFlight (--max-concurrent) must be a positive whole number, not \(maxInFlight)") }
        if context != nil, dataShape != nil { throw SimulationError("give either context (the real data) or a data shape (--items), not both") }
        switch dataShape {
        case .items(let count, let chars)?:
            if count <= 0 { throw SimulationError("items must be a positive whole number, not \(count)") }
            if chars <= 0 { throw SimulationError("item characters must be a positive whole number, not \(chars)") }
        case .itemTokens(let count, let tokens)?:
            if count <= 0 { throw SimulationError("items must be a positive whole number, not \(count)") }
            if tokens <= 0 { throw SimulationError("item tokens must be a positive whole number, not \(tokens)") }
        case nil:
            break
        }
        if let tier, !behaviors.tierNames.contains(tier) {
            throw SimulationError("unknown tier \(tier); known: \(behaviors.tierNames.joined(separator: ", "))")
        }
    }

    /// These options as the runs use them: the tier applied and the data synthesised (once,
    /// with `seed`, so every run sees the same data).
    func resolved() throws -> SimulationOptions {
        try validate()
        var options = self
        if let tier { options.rateLimits.tier = tier }
        switch dataShape {
        case .items(let count, let chars)?:
            options.context = SyntheticData.items(count, chars: chars, seed: seed)
        case .itemTokens(let count, let tokens)?:
            options.context = try SyntheticData.items(count, tokens: tokens, seed: seed).joined(separator: "\n\n")
        case nil:
            break
        }
        options.dataShape = nil
        return options
    }

    /// The rate limits the runs apply to `model`, and their source.
    func rateLimitAssumption(for model: String) -> RateLimitAssumption {
        // The same resolution the simulated world admits calls under (`World.simulated`).
        let r = behaviors.completing(rateLimits).resolve(model)
        return RateLimitAssumption(model: model, rpm: r.rpm, tpm: r.tpm, source: r.source)
    }
}

/// Context data of a given shape when the real data is not at hand: `items` paragraphs of about
/// `chars` characters of plain English-like text, separated by blank lines.
public enum SyntheticData {
    /// The last shapes made: hosts simulate many candidates over the same data shape.
    private static let recent = RecentSyntheticData()

    public static func items(_ count: Int, chars: Int, seed: UInt64) -> String {
        let key = "\(count)x\(chars)c@\(seed)"
        if let text = recent.get(key) { return text }
        let text = makeItems(count, chars: chars, seed: seed)
        recent.put(key, text)
        return text
    }

    private static func makeItems(_ count: Int, chars: Int, seed: UInt64) -> String {
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

/// The few synthetic data sets made last, by shape (a handful: each may be megabytes).
final class RecentSyntheticData: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(key: String, text: String)] = []
    private let capacity = 4

    func get(_ key: String) -> String? { lock.lock(); defer { lock.unlock() }; return entries.first { $0.key == key }?.text }
    func put(_ key: String, _ text: String) {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll { $0.key == key }
        entries.insert((key, text), at: 0)
        if entries.count > capacity { entries.removeLast() }
    }
}
