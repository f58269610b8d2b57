import ArgumentParser
import Foundation
import Sandbox

/// How model calls are made: provider (OpenAI-compatible HTTP, configured by `OPENAI_BASE_URL`,
/// `OPENAI_API_KEY` or `.env`), default model, concurrency window, rate limits, response cache.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"),
            help: ArgumentHelp("Model for calls whose #:model is \"\" (default: $RLM_SUB_MODEL, else gpt-4o).", valueName: "M"))
    var model: String?

    @Option(name: .customLong("max-concurrent"),
            help: ArgumentHelp("Model calls in flight at once across the whole run.", valueName: "N"))
    var maxConcurrent: Int = 64

    @Flag(name: .customLong("cache"),
          help: "Serve deterministic calls (temperature 0 or unset) from the store's response cache and fill it.")
    var cache = false

    @Option(name: .customLong("store"),
            help: ArgumentHelp("The workspace database (default: $RLM_STORE, else .rlm/state.sqlite).", valueName: "FILE"))
    var store: String?

    @Option(name: .customLong("models"),
            help: ArgumentHelp("Models file: prices, limits, latency, rate limits, aliases (default: $RLM_MODELS, else $RLM_MODELS_FILE).", valueName: "FILE"))
    var models: String?

    @Option(name: .customLong("tier"),
            help: ArgumentHelp("The account's usage tier for rate limits (tier-1 … tier-5; default: $RLM_TIER).", valueName: "T"))
    var tier: String?

    @Option(name: .customLong("rpm"), help: ArgumentHelp("Requests per minute for every model (default: $RLM_RPM).", valueName: "N"))
    var rpm: Int?

    @Option(name: .customLong("tpm"), help: ArgumentHelp("Tokens per minute for every model (default: $RLM_TPM).", valueName: "N"))
    var tpm: Int?

    mutating func validate() throws {
        if maxConcurrent <= 0 { throw ValidationError("--max-concurrent must be a positive whole number, not \(maxConcurrent).") }
        if let model, model.isEmpty { throw ValidationError("--model must not be empty.") }
        try WorldSetup.validate(rpm: rpm, tpm: tpm)
    }

    /// The gateway for a session, from the live world (`World.live`): the HTTP provider is built
    /// at the first call, so a program that makes none needs no key; retries run on the world's
    /// clock; the rate limiter is shared by every fiber and child sandbox.
    func makeGateway(journal: String? = nil, replay: Bool = false, runID: String? = nil) throws -> ModelGateway {
        var settings = ModelSettings(defaultModel: model, maxInFlight: maxConcurrent, cacheResponses: cache,
                                     journal: journal, replayJournal: replay)
        settings.runID = runID
        let registry = try WorldSetup.registry(models: models)
        let baseURL = (try? OpenAIConfiguration.fromEnvironment())?.baseURL ?? OpenAIConfiguration.defaultBaseURL
        let rateLimits = try WorldSetup.rateLimits(registry: registry, baseURL: baseURL, tier: tier, rpm: rpm, tpm: tpm)
        let world = World.live(catalog: registry.catalog, rateLimits: rateLimits, promptTokens: { TokenCounting.count($0) },
                               retryLog: { line in StandardStreams.writeError("[rlm] \(line)\n") },
                               configuration: { try OpenAIConfiguration.fromEnvironment() })
        world.warn = { StandardStreams.writeError("[rlm] \($0)\n") }
        return world.makeGateway(settings: settings)
    }
}

/// What `run`, `simulate` and `models` share to set up a world: the registry and rate limits.
enum WorldSetup {
    static func validate(rpm: Int?, tpm: Int?) throws {
        if let rpm, rpm < 0 { throw ValidationError("--rpm must be a whole number ≥ 0, not \(rpm).") }
        if let tpm, tpm < 0 { throw ValidationError("--tpm must be a whole number ≥ 0, not \(tpm).") }
    }

    /// The registry: embedded, calibration, then the models file (`--models`, `RLM_MODELS`, `RLM_MODELS_FILE`).
    static func registry(models: String?) throws -> ModelRegistry {
        do { return try ModelRegistry.load(path: models) } catch { throw ValidationError("\(error)") }
    }

    /// Rate limits in the documented order: flags, then `RLM_RPM`/`RLM_TPM`, the models file,
    /// observed limits, the tier (`--tier`, else `RLM_TIER`, else assumed only for OpenAI/Anthropic).
    static func rateLimits(registry: ModelRegistry, baseURL: String, tier: String?, rpm: Int?, tpm: Int?,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RateLimitResolver {
        var resolver = registry.rateLimitResolver(baseURL: baseURL, tier: tier)
        if let tier, !registry.behaviors.tierNames.contains(tier) {
            throw ValidationError("Unknown --tier \(tier); known: \(registry.behaviors.tierNames.joined(separator: ", "))")
        }
        if rpm != nil || tpm != nil {
            resolver.explicitRPM = rpm.flatMap { $0 > 0 ? $0 : nil }
            resolver.explicitTPM = tpm.flatMap { $0 > 0 ? $0 : nil }
            resolver.explicitSource = "--rpm/--tpm"
        }
        do { try resolver.readEnvironment(environment) } catch { throw ValidationError("\(error)") }
        if let t = resolver.tier, !registry.behaviors.tierNames.contains(t) {
            throw ValidationError("Unknown RLM_TIER \(t); known: \(registry.behaviors.tierNames.joined(separator: ", "))")
        }
        return resolver
    }
}
