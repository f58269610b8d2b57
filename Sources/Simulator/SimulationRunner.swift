import Foundation
import Sandbox

/// One simulated execution of a strategy: the real runtime, a `MockProvider` and a `VirtualClock`.
public struct SimulatedRun: Sendable {
    public var seed: UInt64
    public var status: EvalResult.Status
    /// `finish`'s value, rendered.
    public var result: String
    public var error: String?
    /// The failure's code (budget failures are `.budgetExceeded`), nil unless status is `.error`.
    public var errorCode: SchemeError.Code?
    /// `finish`'s value as JSON when it is a jsexpr (nil otherwise, or when the run failed).
    public var value: JSONValue?
    /// How many outputs the strategy returned (the template contract): the length of the finish
    /// list, or of its `items` when it is a hash with `items`; 1 for any other value; 0 when
    /// the run failed or returned nothing.
    public var outputs: Int
    /// Every call, with virtual start/end times.
    public var records: [CallRecord]
    /// Virtual seconds from the program's start to its end.
    public var latency: Double
    public var rateLimitWait: Double
    public var unknownModels: Set<String>
    public var fixtureHits: [Int]
    /// The file changes the strategy's Python code would have made (kept in a discarded scratch
    /// copy: a simulation changes nothing outside itself).
    public var pythonChanges: [PythonFileChange] = []
    /// Attempts retried after injected failures, summed over calls (their latency is in the records').
    public var retries: Int = 0

    public var inputTokens: Int { records.reduce(0) { $0 + $1.promptTokens } }
    public var outputTokens: Int { records.reduce(0) { $0 + $1.completionTokens } }
    public var cost: Double { records.reduce(0) { $0 + ($1.cost ?? 0) } }

    /// The template contract's count of outputs in a finish value (see `outputs`).
    public static func outputs(of value: Value?, json: JSONValue?) -> Int {
        guard let value else { return 0 }
        if case .void = value { return 0 }
        switch json {
        case .array(let items)?: return items.count
        case .object?:
            if case .array(let items)? = json?["items"] { return items.count }
            return 1
        case .some: return 1
        case nil: return value.listToArray()?.count ?? 1
        }
    }
}

public enum SimulationRunner {
    /// One run in the simulated world (`World.simulated`): the runtime as a real run has it, on
    /// virtual time, with the mock provider.
    public static func run(program: String, sourceName: String, options: SimulationOptions, seed: UInt64) -> SimulatedRun {
        let (world, provider) = World.simulated(options: options, seed: seed)
        // The default model is given, so the environment (read in full on each access) is not needed.
        let settings = ModelSettings(defaultModel: options.defaultModel, maxInFlight: options.maxInFlight, environment: [:])
        let gateway = world.makeGateway(settings: settings)
        let session = SandboxSession(limits: options.limits, seed: seed, storePath: ":memory:", gateway: gateway,
                                     pythonReach: .copyOnWrite)
        if let context = options.context { _ = session.loadContext(context) }
        let result = session.eval(program, sourceName: sourceName)
        let end = world.clock.now()
        let records = session.callRecords
        let finished = result.status == .error ? nil : result.value
        let json = finished.flatMap { try? JSONValue.fromScheme($0) }
        var run = SimulatedRun(seed: seed, status: result.status, result: result.result,
                               error: result.error.map { $0.messageWithPosition }, errorCode: result.error?.code,
                               value: json, outputs: SimulatedRun.outputs(of: finished, json: json), records: records,
                               latency: end, rateLimitWait: session.rateLimitWaitSeconds,
                               unknownModels: provider.unknownModels, fixtureHits: provider.fixtureHits,
                               pythonChanges: session.pythonChanges)
        run.retries = records.reduce(0) { $0 + ($1.retries ?? 0) }
        return run
    }
}
