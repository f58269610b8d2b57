import Foundation

/// One model's rate limits and where they come from, as `simulate --json` reports them
/// (`rate_limits: {model: {rpm, tpm, source}}`).
public struct ResolvedRateLimit: Sendable, Equatable, Codable {
    /// Requests per minute; nil = no limit.
    public var rpm: Int?
    /// Tokens per minute; nil = no limit.
    public var tpm: Int?
    /// Where the figures come from: `RLM_RPM/RLM_TPM`, `models file PATH`, `observed …`,
    /// `tier-2` (given with `--tier`/`RLM_TIER`), `tier-1 assumed for api.openai.com`, or `none`.
    public var source: String

    public init(rpm: Int?, tpm: Int?, source: String) {
        self.rpm = rpm
        self.tpm = tpm
        self.source = source
    }

    /// The limiter's form (0 = unlimited).
    public var limits: ModelRateLimiter.Limits {
        ModelRateLimiter.Limits(requestsPerMinute: rpm ?? 0, tokensPerMinute: tpm ?? 0)
    }
}

/// Decides each model's RPM/TPM limits from the same sources in both worlds, first found wins
/// (per figure):
///
/// 1. explicit: `--rpm`/`--tpm` flags or `RLM_RPM`/`RLM_TPM` (every model), then a model's
///    `rpm`/`tpm` in the user's models file;
/// 2. observed: the `x-ratelimit-limit-*` headers real runs received, kept by `rlm-plan calibrate`;
/// 3. the account's usage tier (`--tier`, `RLM_TIER`) from the registry's published tables.
///    Without a tier, tier 1 is *assumed* only for a provider known to enforce tiers (the OpenAI
///    and Anthropic base URLs), with a warning saying so; a loopback or unknown server gets no
///    limits unless told.
///
/// ```swift
/// let resolver = RateLimitResolver(baseURL: "https://api.openai.com/v1", tierTable: registry.tierLimits)
/// resolver.resolve("gpt-4o")   // rpm 500, tpm 30000, source "tier-1 assumed for api.openai.com (…)"
/// ```
public struct RateLimitResolver: Sendable {
    /// Limits for every model given by flags or `RLM_RPM`/`RLM_TPM` (0 or nil: not given), and
    /// how to name them.
    public var explicitRPM: Int?
    public var explicitTPM: Int?
    public var explicitSource = "RLM_RPM/RLM_TPM"
    /// Per-model limits from the user's models file (figures it omits are nil).
    public var fileLimits: [String: (rpm: Int?, tpm: Int?)] = [:]
    public var fileSource = "models file"
    /// Per-model limits real runs observed in `x-ratelimit-limit-*` headers.
    public var observedLimits: [String: (rpm: Int?, tpm: Int?)] = [:]
    public var observedSource = "observed in real runs"
    /// The account tier asked for (`--tier`, `RLM_TIER`), nil when not given.
    public var tier: String?
    /// The provider's base URL (`OPENAI_BASE_URL`), which decides whether a tier is assumed.
    public var baseURL: String
    /// A model's published limits in a tier, nil when the registry has none.
    public var tierTable: @Sendable (_ model: String, _ tier: String) -> (rpm: Int?, tpm: Int?)?
    /// Maps a name as written (an alias) to the model sent.
    public var resolveModel: @Sendable (String) -> String = { $0 }

    /// The tier assumed for a provider known to enforce tiers when none is given.
    public static let assumedTier = "tier-1"

    public init(baseURL: String, tier: String? = nil,
                tierTable: @escaping @Sendable (String, String) -> (rpm: Int?, tpm: Int?)? = { _, _ in nil }) {
        self.baseURL = baseURL
        self.tier = tier.flatMap { $0.isEmpty ? nil : $0 }
        self.tierTable = tierTable
    }

    /// Sets the explicit limits from `RLM_RPM`, `RLM_TPM` (and `RLM_TIER` when no tier is set).
    /// - Throws: `ProviderError` (`.configuration`) naming the variable for a value that is not a
    ///   non-negative integer.
    public mutating func readEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws {
        func limit(_ name: String) throws -> Int? {
            guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw ProviderError(.configuration, message: "\(name) must be a non-negative integer, got '\(text)'")
            }
            return value == 0 ? nil : value
        }
        if explicitRPM == nil { explicitRPM = try limit("RLM_RPM") }
        if explicitTPM == nil { explicitTPM = try limit("RLM_TPM") }
        if tier == nil, let t = env["RLM_TIER"]?.trimmingCharacters(in: .whitespaces), !t.isEmpty { tier = t }
    }

    /// These limits with every figure multiplied by `factor` (at least 1 where there was one):
    /// a scaled-down copy of a job (the planner's screening sample) meets the same rate-limit
    /// pressure as the whole job.
    public func scaled(by factor: Double) -> RateLimitResolver {
        guard factor != 1 else { return self }
        @Sendable func s(_ x: Int?) -> Int? { x.map { max(1, Int((Double($0) * factor).rounded())) } }
        var r = self
        r.explicitRPM = s(explicitRPM)
        r.explicitTPM = s(explicitTPM)
        r.fileLimits = fileLimits.mapValues { (s($0.rpm), s($0.tpm)) }
        r.observedLimits = observedLimits.mapValues { (s($0.rpm), s($0.tpm)) }
        let table = tierTable
        r.tierTable = { model, tier in table(model, tier).map { (s($0.rpm), s($0.tpm)) } }
        return r
    }

    /// The host of a provider that enforces usage tiers, nil for any other (loopback, unknown).
    public var tierEnforcingHost: String? {
        guard let host = URL(string: baseURL)?.host?.lowercased() else { return nil }
        return ["api.openai.com", "api.anthropic.com"].contains(host) ? host : nil
    }

    /// The warning to show when a tier is assumed rather than given, nil when none is.
    public var assumptionWarning: String? {
        guard tier == nil, let host = tierEnforcingHost else { return nil }
        return "rate limits: assuming usage tier \(Self.assumedTier) for \(host); set --tier or RLM_TIER to your account's tier"
    }

    /// `model`'s limits and their source.
    public func resolve(_ written: String) -> ResolvedRateLimit {
        let model = resolveModel(written)
        var rpm: (Int, String)?
        var tpm: (Int, String)?
        func offer(_ r: Int?, _ t: Int?, _ source: String) {
            if rpm == nil, let r, r > 0 { rpm = (r, source) }
            if tpm == nil, let t, t > 0 { tpm = (t, source) }
        }
        offer(explicitRPM, explicitTPM, explicitSource)
        if let f = fileLimits[model] ?? fileLimits[written] { offer(f.rpm, f.tpm, fileSource) }
        if let o = observedLimits[model] ?? observedLimits[written] { offer(o.rpm, o.tpm, observedSource) }
        if let tier {
            if let t = tierTable(model, tier) { offer(t.rpm, t.tpm, tier) }
        } else if let host = tierEnforcingHost, let t = tierTable(model, Self.assumedTier) {
            offer(t.rpm, t.tpm, "\(Self.assumedTier) assumed for \(host)")
        }
        let source: String
        switch (rpm?.1, tpm?.1) {
        case (nil, nil): source = "none"
        case (let a?, let b?) where a == b: source = a
        case (let a?, let b?): source = "\(a) (rpm), \(b) (tpm)"
        case (let a?, nil), (nil, let a?): source = a
        }
        return ResolvedRateLimit(rpm: rpm?.0, tpm: tpm?.0, source: source)
    }
}
