import Foundation
import Sandbox

extension World {
    /// The simulated world: `MockProvider` on a `VirtualClock`, under the same retry policy
    /// (`options.retry`, run on the virtual clock) and the same admission as a real run, with
    /// rate limits from `options.rateLimits` completed by the behaviour table (a model's own
    /// `rpm`/`tpm`, its tiers). Each call's jitter is drawn from `seed`, so a seed gives one report.
    public static func simulated(options: SimulationOptions, seed: UInt64) -> (world: World, mock: MockProvider) {
        let clock = VirtualClock()
        let mock = MockProvider(clock: clock, seed: seed, behaviors: options.behaviors, fixtures: options.fixtures,
                                promptTokens: options.promptTokens, errorRate: options.errorRate)
        let provider = RetryingProvider(
            base: mock, policy: options.retry, timers: .clock(clock), target: "the simulated provider",
            unitRandom: { request, retry in
                var random = SeededRandom(seed: seed ^ 0x7177_E12A, key: request.fastKey, occurrence: retry)
                return random.unit()
            })
        let world = World(clock: clock, catalog: options.catalog, rateLimits: options.behaviors.completing(options.rateLimits),
                          promptTokens: options.promptTokens) { provider }
        return (world, mock)
    }
}

extension ModelBehaviorTable {
    /// `resolver` with what this table knows: each model's own `rpm`/`tpm` (set by the user's
    /// models file, or in code) as per-model explicit limits where the resolver has none, the
    /// published tier tables, and aliases.
    public func completing(_ resolver: RateLimitResolver) -> RateLimitResolver {
        var r = resolver
        for (name, b) in behaviors where (b.requestsPerMinute != nil || b.tokensPerMinute != nil) && r.fileLimits[name] == nil {
            r.fileLimits[name] = (b.requestsPerMinute, b.tokensPerMinute)
        }
        let table = self
        r.tierTable = { model, tier in
            guard let limits = table.behavior(model)?.tiers?[tier] else { return nil }
            return (limits.rpm, limits.tpm)
        }
        r.resolveModel = { table.resolve($0) }
        return r
    }
}
