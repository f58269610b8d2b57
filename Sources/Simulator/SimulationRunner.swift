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
    /// `finish`'s value as JSON when it is a jsexpr (nil otherwise, or when the run failed): what
    /// the planner counts outputs from (the template contract).
    public var finishJSON: JSONValue? = nil

    public var inputTokens: Int { records.reduce(0) { $0 + $1.promptTokens } }
    public var outputTokens: Int { records.reduce(0) { $0 + $1.completionTokens } }
    public var cost: Double { records.reduce(0) { $0 + ($1.cost ?? 0) } }
}

public enum SimulationRunner {
    public static func run(program: String, sourceName: String, options: SimulationOptions, seed: UInt64) -> SimulatedRun {
        let clock = VirtualClock()
        let provider = MockProvider(clock: clock, seed: seed, behaviors: options.behaviors, fixtures: options.fixtures,
                                    promptTokens: options.promptTokens)
        let settings = ModelSettings(defaultModel: options.defaultModel, maxInFlight: options.maxInFlight)
        let gateway = ModelGateway(clock: clock, settings: settings, catalog: options.catalog) { provider }
        let counter = options.promptTokens
        gateway.tokenEstimator = { counter($0) }
        let behaviors = options.behaviors
        gateway.resolveModel = { behaviors.resolve($0) }
        let limiter = ModelRateLimiter()
        var configured = Set<String>()
        gateway.admission = { model, tokens, now in
            if !configured.contains(model) {
                configured.insert(model)
                if let b = behaviors.behavior(model) {
                    limiter.setLimits(.init(requestsPerMinute: b.requestsPerMinute ?? 0, tokensPerMinute: b.tokensPerMinute ?? 0), for: model)
                }
            }
            return limiter.admit(model: model, tokens: tokens, now: now)
        }
        let session = SandboxSession(limits: options.limits, seed: seed, storePath: ":memory:", gateway: gateway)
        if let context = options.context { _ = session.loadContext(context) }
        let result = session.eval(program, sourceName: sourceName)
        let end = clock.now()
        var run = SimulatedRun(seed: seed, status: result.status, result: result.result,
                               error: result.error.map { $0.messageWithPosition }, records: session.callRecords,
                               latency: end, rateLimitWait: session.rateLimitWaitSeconds,
                               unknownModels: provider.unknownModels, fixtureHits: provider.fixtureHits)
        if result.status == .finished, let value = result.value { run.finishJSON = try? JSONValue.fromScheme(value) }
        return run
    }
}
