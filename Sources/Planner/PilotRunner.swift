import Foundation
import Sandbox
import Simulator

/// Pilot runs (the seed's advice "test strategies on a 10–20% sample before scaling"): the top
/// candidates run for real on a sample of the data, their calls calibrate the models' latency
/// and reply lengths, and the plan is simulated again at full scale with what was learnt.
enum PilotRunner {
    struct Outcome {
        var runs: [PilotReport.Run]
        var records: [CallRecord]
        var cost: Double
        var items: Int
    }

    /// `count` items spread evenly over `items` (first, …, last; deterministic).
    static func sample(_ items: [String], count: Int) -> [String] {
        guard count < items.count else { return items }
        guard count > 1 else { return [items[items.count / 2]] }
        return (0..<count).map { items[$0 * (items.count - 1) / (count - 1)] }
    }

    /// The sample as `context`: a JSON array (so items that hold blank lines stay whole).
    static func context(_ items: [String]) -> String {
        JSONValue.array(items.map(JSONValue.string)).serialized()
    }

    /// Runs `options` (the plan's top strategies) on the sample, one fresh session each.
    static func run(_ options: [StrategyOption], sample: [String], settings: PilotSettings,
                    cancelled: CancellationFlag) throws -> Outcome {
        var outcome = Outcome(runs: [], records: [], cost: 0, items: sample.count)
        let context = context(sample)
        for option in options.prefix(settings.candidates) {
            try cancelled.check()
            let gateway: ModelGateway
            do { gateway = try settings.makeGateway() } catch { throw PlannerError("pilot: cannot reach a provider: \(error)") }
            let session = SandboxSession(storePath: ":memory:", gateway: gateway)
            _ = session.loadContext(context)
            let start = Date()
            let result = session.eval(option.codeTemplate, sourceName: option.strategyName)
            let elapsed = Date().timeIntervalSince(start)
            let records = session.callRecords
            let cost = records.reduce(0) { $0 + ($1.cost ?? 0) }
            outcome.records += records
            outcome.cost += cost
            let outputs = outputCount(result)
            let zero = Percentiles(p5: 0, p50: 0, p95: 0)
            outcome.runs.append(PilotReport.Run(strategyName: option.strategyName, items: sample.count, status: result.status.rawValue,
                                                error: result.error?.messageWithPosition, calls: records.count,
                                                costUSD: Format.dollars(cost), elapsedS: Format.secs(elapsed), outputs: outputs,
                                                costBefore: option.costUSD, costAfter: zero,
                                                latencyBefore: option.latencyS, latencyAfter: zero))
        }
        return outcome
    }

    /// Outputs of a real evaluation, counted as the simulator counts them (the template contract).
    static func outputCount(_ result: EvalResult) -> Int {
        guard result.status == .finished else { return 0 }
        return SimulatedRun.outputs(of: result.value, json: result.value.flatMap { try? JSONValue.fromScheme($0) })
    }

    /// The registry with each model the pilot's calls fit replaced by its fit.
    static func calibrate(_ registry: ModelRegistry, records: [CallRecord]) -> (ModelRegistry, [String]) {
        var calibrated = registry
        let fits = Calibration.fit(records, prior: registry.behaviors)
        var behaviors = registry.behaviors
        for fit in fits { behaviors.set(fit.behavior, for: fit.model) }
        calibrated.behaviors = behaviors
        return (calibrated, fits.map(\.model))
    }
}
