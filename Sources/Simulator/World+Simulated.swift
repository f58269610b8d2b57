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
