import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// How model calls are made: provider (OpenAI-compatible HTTP, configured by `OPENAI_BASE_URL`,
/// `OPENAI_API_KEY` or `.env`), default model, concurrency window, response cache.
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

    mutating func validate() throws {
        if maxConcurrent <= 0 { throw ValidationError("--max-concurrent must be a positive whole number, not \(maxConcurrent).") }
        if let model, model.isEmpty { throw ValidationError("--model must not be empty.") }
    }

    /// The gateway for a session: the HTTP provider is built at the first call, so a program that
    /// makes none needs no key; the rate limiter is shared by every fiber and child sandbox.
    func makeGateway(journal: String? = nil, replay: Bool = false, runID: String? = nil) throws -> ModelGateway {
        var settings = ModelSettings(defaultModel: model, maxInFlight: maxConcurrent, cacheResponses: cache,
                                     journal: journal, replayJournal: replay)
        settings.runID = runID
        let limiter = try ModelRateLimiter.fromEnvironment()
        // The registry gives prices (budgets, dollars) and aliases (`fast` → a model).
        let registry = try ModelRegistry.load(path: nil)
        let catalog = registry.catalog
        let behaviors = registry.behaviors
        let gateway = ModelGateway(clock: WallClock(), settings: settings, catalog: catalog) {
            let configuration = try OpenAIConfiguration.fromEnvironment()
            return OpenAICompatibleProvider(configuration: configuration, retryLog: { line in
                StandardStreams.writeError("[rlm] \(line)\n")
            })
        }
        gateway.resolveModel = { behaviors.resolve($0) }
        // Reservations count the prompt exactly where the model's tokenizer is known.
        gateway.tokenEstimator = { TokenCounting.count($0) }
        gateway.admission = { model, tokens, now in limiter.admit(model: model, tokens: tokens, now: now) }
        gateway.observeRateLimits = { snapshot, model, now in limiter.observe(snapshot, model: model, now: now) }
        return gateway
    }
}
