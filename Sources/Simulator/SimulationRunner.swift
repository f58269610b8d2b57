import Foundation
import Sandbox

/// One simulated execution of a strategy: the real runtime, a `MockProvider` and a `VirtualClock`.
public struct SimulatedRun: Sendable {
    public var seed: UInt64
    public var status: EvalResult.Status
    /// `finish`'s value, rendered.
    public var result: String
    public var error: String?
    /// Every call, with virtual start/end times.
    public var records: [CallRecord]
    /// Virtual seconds from the program's start to its end.
    public var latency: Double
    public var rateLimitWait: Double
    public var unknownModels: Set<String>
    public var fixtureHits: [Int]
    /// Attempts retried after injected failures, summed over calls (their latency is in the records').
    public var retries: Int = 0
    /// The rate limits each model of the run was admitted under, and their source.
    public var rateLimits: [String: ResolvedRateLimit] = [:]

    public var inputTokens: Int { records.reduce(0) { $0 + $1.promptTokens } }
    public var outputTokens: Int { records.reduce(0) { $0 + $1.completionTokens } }
    public var cost: Double { records.reduce(0) { $0 + ($1.cost ?? 0) } }
}

public enum SimulationRunner {
    /// One run in the simulated world (`World.simulated`): the runtime as a real run has it, on
    /// virtual time, with the mock provider.
    public static func run(program: String, sourceName: String, options: SimulationOptions, seed: UInt64) -> SimulatedRun {
        let (world, provider) = World.simulated(options: options, seed: seed)
        let settings = ModelSettings(defaultModel: options.defaultModel, maxInFlight: options.maxInFlight)
        let gateway = world.makeGateway(settings: settings)
        let session = SandboxSession(limits: options.limits, seed: seed, storePath: ":memory:", gateway: gateway)
        if let context = options.context { _ = session.loadContext(context) }
        let result = session.eval(program, sourceName: sourceName)
        let end = world.clock.now()
        let records = session.callRecords
        var run = SimulatedRun(seed: seed, status: result.status, result: result.result,
                               error: result.error.map { $0.messageWithPosition }, records: records,
                               latency: end, rateLimitWait: session.rateLimitWaitSeconds,
                               unknownModels: provider.unknownModels, fixtureHits: provider.fixtureHits)
        run.retries = records.reduce(0) { $0 + ($1.retries ?? 0) }
        run.rateLimits = Dictionary(world.resolvedRateLimits.map { ($0.model, $0.limits) }, uniquingKeysWith: { a, _ in a })
        return run
    }
}
