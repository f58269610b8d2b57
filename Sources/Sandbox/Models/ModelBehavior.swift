import Foundation

/// How a model behaves in time and length, for the mock provider: latency (time to first token
/// growing with the prompt, then a generation rate) and typical reply length, each with a spread,
/// plus the account's rate limits. Data, not code: the embedded table below is overridden by a
/// user file (`--models FILE` / `RLM_MODELS`) and by calibration from real runs.
public struct ModelBehavior: Codable, Sendable, Equatable {
    /// Seconds to the first token for an empty prompt.
    public var ttftSeconds: Double
    /// Extra seconds to the first token per 1,000 prompt tokens.
    public var ttftSecondsPerKiloToken: Double
    /// Generation speed once the reply starts.
    public var outputTokensPerSecond: Double
    /// Log-normal sigma of the latency (0.25 ≈ ±25% typical variation).
    public var latencySpread: Double
    /// Median reply length in tokens for an open-ended instruction.
    public var replyTokens: Double
    /// Log-normal sigma of the reply length.
    public var replySpread: Double
    /// The account's limits for this model (nil = unlimited): the selected tier's, unless set.
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    /// Published limits per usage tier (`tier-1` … `tier-5`).
    public var tiers: [String: TierLimits]?
    /// Fraction of attempts that fail transiently (429/5xx) and are retried; nil = none. From the
    /// user's models file or calibration (real runs' retries); `simulate --error-rate` overrides.
    public var errorRate: Double?

    public init(ttftSeconds: Double = 0.5, ttftSecondsPerKiloToken: Double = 0.08, outputTokensPerSecond: Double = 60,
                latencySpread: Double = 0.25, replyTokens: Double = 220, replySpread: Double = 0.45,
                requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.ttftSeconds = ttftSeconds
        self.ttftSecondsPerKiloToken = ttftSecondsPerKiloToken
        self.outputTokensPerSecond = outputTokensPerSecond
        self.latencySpread = latencySpread
        self.replyTokens = replyTokens
        self.replySpread = replySpread
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case ttftSeconds = "ttft_s"
        case ttftSecondsPerKiloToken = "ttft_s_per_1k_input"
        case outputTokensPerSecond = "output_tokens_per_s"
        case latencySpread = "latency_spread"
        case replyTokens = "reply_tokens"
        case replySpread = "reply_spread"
        case requestsPerMinute = "rpm"
        case tokensPerMinute = "tpm"
        case tiers
        case errorRate = "error_rate"
    }
}

/// One usage tier's limits for a model.
public struct TierLimits: Codable, Sendable, Equatable {
    public var rpm: Int?
    public var tpm: Int?
}

/// The behaviour table: embedded defaults (public figures of 2025–2026 for tier-1 accounts;
/// rounded, meant as priors that calibration replaces), aliases, and overrides.
public struct ModelBehaviorTable: Sendable {
    public private(set) var behaviors: [String: ModelBehavior]
    public private(set) var aliases: [String: String]
    /// Used for a model the table does not know (reported as a warning).
    public var fallback = ModelBehavior()

    public init(behaviors: [String: ModelBehavior], aliases: [String: String]) {
        self.behaviors = behaviors
        self.aliases = aliases
    }

    /// The embedded table (`ModelBehaviorData`). No tier is selected: rate limits come from
    /// `RateLimitResolver` (explicit, observed, then the account's tier), not from a tier
    /// assumed for every server.
    public static let embedded: ModelBehaviorTable = {
        var table = ModelBehaviorTable(behaviors: [:], aliases: [:])
        do {
            try table.merge(json: Data(ModelBehaviorData.json.utf8), source: "the embedded behaviour table")
        } catch {
            preconditionFailure("embedded behaviour table: \(error)")
        }
        return table
    }()

    /// The tiers some model lists, sorted.
    public var tierNames: [String] { Set(behaviors.values.flatMap { $0.tiers?.keys.map { $0 } ?? [] }).sorted() }

    /// Applies `tier`'s rate limits to every model that lists it (models without it keep theirs).
    public mutating func selectTier(_ tier: String) {
        for (name, var b) in behaviors {
            guard let limits = b.tiers?[tier] else { continue }
            b.requestsPerMinute = limits.rpm
            b.tokensPerMinute = limits.tpm
            behaviors[name] = b
        }
    }

    /// The behaviour of `model`: exact name, then an alias, then a dated or prefixed variant's base.
    public func behavior(_ model: String) -> ModelBehavior? {
        if let b = behaviors[model] { return b }
        if let target = aliases[model], let b = behaviors[target] { return b }
        // The catalog's lookup order, plus `-latest` aliases (the catalog lists those itself).
        let names = ModelCatalog.lookupNames(model)
        let undatedLatest = names.filter { $0.hasSuffix("-latest") }.map { String($0.dropLast("-latest".count)) }
        for name in names.dropFirst() + undatedLatest { if let b = behaviors[name] { return b } }
        return nil
    }

    public func resolve(_ model: String) -> String { aliases[model] ?? model }

    public mutating func set(_ behavior: ModelBehavior, for model: String) { behaviors[model] = behavior }
    public mutating func setAlias(_ alias: String, to model: String) { aliases[alias] = model }

    /// Merges a user file: `{"models": {name: {fields…}}, "aliases": {alias: model}}`, fields as
    /// in `ModelBehavior.CodingKeys`; a field given replaces the embedded value.
    public mutating func merge(json: Data, source: String) throws {
        struct File: Decodable {
            var models: [String: PartialBehavior]?
            var aliases: [String: String]?
        }
        struct PartialBehavior: Decodable {
            var ttft_s: Double?, ttft_s_per_1k_input: Double?, output_tokens_per_s: Double?
            var latency_spread: Double?, reply_tokens: Double?, reply_spread: Double?
            var rpm: Int?, tpm: Int?
            var tiers: [String: TierLimits]?
            var error_rate: Double?
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw ModelCatalogError("\(source): not a model behaviour file: \(error)")
        }
        for (name, p) in file.models ?? [:] {
            var b = behavior(name) ?? fallback
            if let v = p.ttft_s { b.ttftSeconds = v }
            if let v = p.ttft_s_per_1k_input { b.ttftSecondsPerKiloToken = v }
            if let v = p.output_tokens_per_s { b.outputTokensPerSecond = v }
            if let v = p.latency_spread { b.latencySpread = v }
            if let v = p.reply_tokens { b.replyTokens = v }
            if let v = p.reply_spread { b.replySpread = v }
            if let v = p.rpm { b.requestsPerMinute = v }
            if let v = p.tpm { b.tokensPerMinute = v }
            if let v = p.tiers { b.tiers = (b.tiers ?? [:]).merging(v) { _, new in new } }
            if let v = p.error_rate {
                guard v >= 0, v <= 1 else { throw ModelCatalogError("\(source): \(name): error_rate must be from 0 to 1, not \(v)") }
                b.errorRate = v
            }
            behaviors[name] = b
        }
        for (alias, target) in file.aliases ?? [:] { aliases[alias] = target }
    }
}

