import Foundation

/// Everything outside the VM that differs between a real run and a simulation, assembled in one
/// place: the clock, the provider (under the retry policy, on that clock), and admission — the
/// concurrency window (`ModelSettings.maxInFlight`), the per-model RPM/TPM limiter with limits
/// from `RateLimitResolver`, and the token charge rule below. The CLI, the planner and the MCP
/// server ask for a world and then for gateways; they never wire these parts themselves.
///
/// - `World.live(…)`: the OpenAI-compatible HTTP provider on a `WallClock`;
/// - `World.simulated(…)` (in the Simulator module): the mock provider on a `VirtualClock`.
///
/// **Token charge rule** (both worlds): a request counts against a model's TPM as its prompt
/// tokens (the registry's tokenizer, else the estimate) plus `max_tokens`, or, when the call
/// sets none, the model's output limit capped at `ModelSettings.defaultOutputReservation`
/// (4096) — what providers count at admission, before the reply's length is known.
///
/// Retries are not admitted again: a retry is the same request, sent after its backoff.
///
/// ```swift
/// let world = World.live(catalog: registry.catalog, rateLimits: resolver) { try .fromEnvironment() }
/// let session = SandboxSession(gateway: world.makeGateway(settings: ModelSettings()))
/// ```
public final class World: @unchecked Sendable {
    /// Real time or simulated time.
    public let clock: any EventClock
    /// Shared by every gateway of this world (fibers, child sandboxes, sessions).
    public let limiter: ModelRateLimiter
    /// Each model's limits and their source.
    public let rateLimits: RateLimitResolver
    /// Prices and output limits (budgets, dollars).
    public let catalog: ModelCatalog
    /// Prompt tokens of a request, for reservations and the TPM charge.
    public let promptTokens: @Sendable (ModelRequest) -> Int
    /// The provider, built at the first call (so a program that makes none needs no key),
    /// already under the retry policy.
    private let makeProvider: @Sendable () throws -> any Provider
    private let lock = NSLock()
    private var configuredModels = Set<String>()
    /// Told once, at the first call of a model whose limits are assumed rather than known
    /// (`RateLimitResolver.assumptionWarning`); the CLI prints it to stderr.
    public var warn: (@Sendable (String) -> Void)?
    private var warnedAssumption = false

    /// A world from its parts; `provider` makes calls whose retries already run on `clock`
    /// (wrap a single-attempt provider in `RetryingProvider(base:policy:timers: .clock(clock))`).
    public init(clock: any EventClock, catalog: ModelCatalog, rateLimits: RateLimitResolver,
                promptTokens: @escaping @Sendable (ModelRequest) -> Int = TokenEstimate.promptTokens,
                provider: @escaping @Sendable () throws -> any Provider) {
        self.clock = clock
        self.catalog = catalog
        self.rateLimits = rateLimits
        self.promptTokens = promptTokens
        self.makeProvider = provider
        limiter = ModelRateLimiter()
    }

    /// The real world: `OpenAICompatibleProvider` (its retries and timeouts on this world's
    /// `WallClock`), configured by `configuration` at the first call.
    /// - Parameter retryLog: One line before each retry (the `[rlm]` stderr log), key removed.
    public static func live(catalog: ModelCatalog = .embedded, rateLimits: RateLimitResolver,
                            promptTokens: @escaping @Sendable (ModelRequest) -> Int = TokenEstimate.promptTokens,
                            retryLog: (@Sendable (String) -> Void)? = nil,
                            configuration: @escaping @Sendable () throws -> OpenAIConfiguration) -> World {
        let clock = WallClock()
        return World(clock: clock, catalog: catalog, rateLimits: rateLimits, promptTokens: promptTokens) {
            OpenAICompatibleProvider(configuration: try configuration(), retryLog: retryLog, timers: .clock(clock))
        }
    }

    /// A gateway of this world: its clock and provider, and admission through the shared limiter
    /// (each model's limits resolved on first use). Model names resolve through `rateLimits`.
    public func makeGateway(settings: ModelSettings) -> ModelGateway {
        let gateway = ModelGateway(clock: clock, settings: settings, catalog: catalog, provider: makeProvider)
        let counter = promptTokens
        gateway.tokenEstimator = { counter($0) }
        gateway.resolveModel = rateLimits.resolveModel
        gateway.admission = { [self] model, tokens, now in
            configure(model)
            return limiter.admit(model: model, tokens: tokens, now: now)
        }
        gateway.observeRateLimits = { [limiter] snapshot, model, now in limiter.observe(snapshot, model: model, now: now) }
        return gateway
    }

    /// The models admitted so far, with their limits and sources (for reports).
    public var resolvedRateLimits: [(model: String, limits: ResolvedRateLimit)] {
        lock.lock()
        let models = configuredModels.sorted()
        lock.unlock()
        return models.map { ($0, rateLimits.resolve($0)) }
    }

    private func configure(_ model: String) {
        lock.lock()
        let fresh = configuredModels.insert(model).inserted
        lock.unlock()
        guard fresh else { return }
        let resolved = rateLimits.resolve(model)
        limiter.setLimits(resolved.limits, for: model)
        if resolved.source.contains(" assumed for "), let warning = rateLimits.assumptionWarning, let warn {
            lock.lock()
            let first = !warnedAssumption
            warnedAssumption = true
            lock.unlock()
            if first { warn(warning) }
        }
    }
}
