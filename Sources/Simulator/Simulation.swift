import Foundation
import Sandbox

/// Monte Carlo over `SimulationRunner`: `runs` executions with seeds `seed`, `seed+1`, …, and
/// the report a user reads before paying.
public enum Simulation {
    public static func simulate(program: String, sourceName: String, options: SimulationOptions) -> SimulationReport {
        // Runs are independent (each has its own session, clock and seed), so they use every
        // core; results are kept by run index, so the report does not depend on which finished first.
        let count = max(options.runs, 1)
        let slots = RunSlots(count)
        let workers = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < count {
                slots.set(k, SimulationRunner.run(program: program, sourceName: sourceName, options: options,
                                                  seed: options.seed &+ UInt64(k)))
                k += workers
            }
        }
        return SimulationReport(runs: slots.values, options: options, sourceName: sourceName)
    }
}

/// Usage of one model or one call site (means over runs).
public struct UsageSummary: Sendable, Equatable {
    public var calls: Double = 0
    public var inputTokens: Double = 0
    public var outputTokens: Double = 0
    public var cost: Double = 0
    public var priced = true
}

public struct SimulationReport: Sendable {
    public var seed: UInt64
    public var runs: [SimulatedRun]
    public var calls: Distribution
    public var inputTokens: Distribution
    public var outputTokens: Distribution
    public var cost: Distribution
    public var latency: Distribution
    public var byModel: [(model: String, usage: UsageSummary)]
    public var byCallSite: [(site: String, usage: UsageSummary)]
    public var warnings: [String]
    /// Of the first run.
    public var schedule: ScheduleShape
    public var rateLimitWait: Distribution
    public var tokenCountsExact: Bool
    /// Retried attempts per run (injected failures; their latency is in `latency`).
    public var retries: Distribution
    /// Each model's rate limits and their source (`simulate --json`'s `rate_limits`).
    public var rateLimits: [String: ResolvedRateLimit]

    init(runs: [SimulatedRun], options: SimulationOptions, sourceName: String) {
        self.runs = runs
        seed = options.seed
        calls = Distribution(runs.map { Double($0.records.count) })
        inputTokens = Distribution(runs.map { Double($0.inputTokens) })
        outputTokens = Distribution(runs.map { Double($0.outputTokens) })
        cost = Distribution(runs.map(\.cost))
        latency = Distribution(runs.map(\.latency))
        rateLimitWait = Distribution(runs.map(\.rateLimitWait))
        retries = Distribution(runs.map { Double($0.retries) })
        rateLimits = runs.reduce(into: [:]) { all, run in all.merge(run.rateLimits) { a, _ in a } }
        schedule = ScheduleShape(runs.first?.records ?? [])
        let n = Double(max(runs.count, 1))
        var models: [String: UsageSummary] = [:]
        var sites: [String: UsageSummary] = [:]
        var exact = true
        for run in runs {
            for r in run.records {
                let site = "\(r.siteSource ?? sourceName):\(r.siteLine.map(String.init) ?? "?")"
                for key in [r.model] { models[key, default: UsageSummary()].add(r, weight: 1 / n) }
                sites[site, default: UsageSummary()].add(r, weight: 1 / n)
                if !options.tokenCountsExact(r.model) { exact = false }
            }
        }
        tokenCountsExact = exact
        byModel = models.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        byCallSite = sites.sorted { Self.siteOrder($0.key, $1.key) }.map { ($0.key, $0.value) }
        warnings = Self.warnings(runs: runs, options: options, byModel: byModel)
    }

    static func siteOrder(_ a: String, _ b: String) -> Bool {
        let la = Int(a.split(separator: ":").last ?? "") ?? Int.max, lb = Int(b.split(separator: ":").last ?? "") ?? Int.max
        return la != lb ? la < lb : a < b
    }

    static func warnings(runs: [SimulatedRun], options: SimulationOptions, byModel: [(model: String, usage: UsageSummary)]) -> [String] {
        var out: [String] = []
        // Context windows.
        var seen = Set<String>()
        for run in runs {
            for r in run.records {
                guard let window = options.catalog.info(r.model)?.maxInputTokens, r.promptTokens > window else { continue }
                let site = "\(r.siteSource ?? "program"):\(r.siteLine.map(String.init) ?? "?")"
                if seen.insert(site + r.model).inserted {
                    out.append("context window: the call at \(site) sends \(r.promptTokens) prompt tokens to \(r.model), whose window is \(window) tokens")
                }
            }
        }
        // Failed runs (budgets first: the user set them to be warned).
        var failures: [String: Int] = [:]
        for run in runs where run.status == .error { failures[run.error ?? "error", default: 0] += 1 }
        for (message, count) in failures.sorted(by: { $0.key < $1.key }) {
            let share = "\(count) of \(runs.count) run\(runs.count == 1 ? "" : "s")"
            if message.contains("budget exceeded") {
                out.append("budget: the strategy would exceed its budget (\(share)): \(message)")
            } else {
                out.append("error: the strategy fails (\(share)): \(message)")
            }
        }
        // Rate limits.
        let waits = runs.map(\.rateLimitWait).reduce(0, +) / Double(max(runs.count, 1))
        let latency = runs.map(\.latency).reduce(0, +) / Double(max(runs.count, 1))
        let callCount = runs.map { Double($0.records.count) }.reduce(0, +) / Double(max(runs.count, 1))
        if callCount > 0, latency > 0 {
            let callSeconds = runs.flatMap(\.records).reduce(0) { $0 + ($1.endedAt - $1.startedAt) } / Double(max(runs.count, 1))
            if waits > callSeconds * 0.5 {
                out.append(String(format: "rate limits: calls spend %.1f s in all waiting for rate-limit capacity against %.1f s of model time; raise the account's limits (rpm/tpm) or lower the concurrency", waits, callSeconds))
            }
        }
        if let assumed = options.rateLimits.assumptionWarning { out.append(assumed) }
        // Unknown models and prices.
        let unknown = runs.reduce(into: Set<String>()) { $0.formUnion($1.unknownModels) }
        for m in unknown.sorted() {
            out.append("unknown model: \(m) has no latency profile (defaults used); check the name or add it with --models")
        }
        for (model, _) in byModel where options.catalog.cost(model: model, promptTokens: 1, completionTokens: 1) == nil {
            out.append("unknown price: \(model) has no price in the registry; its dollars are not counted")
        }
        // Fixtures never used.
        for (i, entry) in options.fixtures.entries.enumerated() {
            let hits = runs.reduce(0) { $0 + ($1.fixtureHits.indices.contains(i) ? $1.fixtureHits[i] : 0) }
            if hits == 0 {
                let what = [entry.instruction.map { "instruction \"\($0)\"" }, entry.data.map { "data \"\($0)\"" }, entry.model.map { "model \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                out.append("fixture \(i + 1) (\(what.isEmpty ? "matches everything" : what)) never matched a call: the branch it steers was never taken")
            }
        }
        return out
    }
}

extension UsageSummary {
    mutating func add(_ r: CallRecord, weight: Double) {
        calls += weight
        inputTokens += Double(r.promptTokens) * weight
        outputTokens += Double(r.completionTokens) * weight
        if let c = r.cost { cost += c * weight } else { priced = false }
    }
}

/// Results of runs made on several threads, by index.
final class RunSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [SimulatedRun?]
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ run: SimulatedRun) { lock.lock(); slots[i] = run; lock.unlock() }
    var values: [SimulatedRun] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
