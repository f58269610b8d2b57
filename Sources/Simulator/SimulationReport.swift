import Foundation
import Sandbox

/// What a simulation predicts, the report a user (or a host: the planner, the MCP server) reads
/// before paying: totals with their spread over the runs, usage per model and per call site, the
/// schedule's shape, the rate limits assumed, the outputs the strategy returned, and typed warnings.
///
/// `Codable`: `simulate --json` prints exactly this encoding (snake_case keys, documented in
/// docs/simulation-report.md), and decoding that JSON gives the same report back, without the
/// per-run call records (`runs`), which stay in memory only.
public struct SimulationReport: Sendable {
    /// The first run's seed; run k used `seed + k`.
    public var seed: UInt64
    /// How many runs were simulated (`runs` holds them, when not decoded from JSON).
    public var runCount: Int
    /// How the first run ended: `finished`, `ok` (no `finish`) or `error`.
    public var status: String
    /// One run that finished: `finish`'s value rendered with display semantics.
    public var result: String?
    /// One run that finished with a jsexpr: that value as JSON.
    public var value: JSONValue?
    /// One run that failed: its error with position.
    public var error: String?
    public var calls: Distribution
    public var inputTokens: Distribution
    public var outputTokens: Distribution
    /// Whether every prompt's tokens were counted exactly (a known tokenizer) rather than estimated.
    public var tokenCountsExact: Bool
    public var cost: Distribution
    /// Virtual seconds from the program's start to its end.
    public var latency: Distribution
    /// Seconds calls were held back by rate limits, summed over calls.
    public var rateLimitWait: Distribution
    /// Attempts retried after transient failures (injected with `errorRate`), per run; their
    /// latency is in `latency`.
    public var retries: Distribution
    /// How many outputs the strategy returned (see `SimulatedRun.outputs`); 0 for a failed run.
    public var outputs: Distribution
    /// Of the first run.
    public var schedule: ScheduleShape
    /// Per model, sorted by name (means over runs).
    public var byModel: [ModelUsage]
    /// Per call site, in source-line order (means over runs).
    public var byCallSite: [CallSiteUsage]
    /// The limits assumed for each model the strategy called, sorted by name.
    public var rateLimits: [RateLimitAssumption]
    public var warnings: [SimulationWarning]
    /// Every run with its call records, in seed order; empty in a report decoded from JSON.
    public var runs: [SimulatedRun]
}

/// One model's usage, averaged over the runs.
public struct ModelUsage: Sendable, Equatable, Codable {
    public var model: String
    public var calls: Double
    public var inputTokens: Double
    public var outputTokens: Double
    /// Dollars; nil when the registry has no price for the model.
    public var costUSD: Double?

    private enum CodingKeys: String, CodingKey {
        case model, calls, inputTokens = "input_tokens", outputTokens = "output_tokens", costUSD = "cost_usd"
    }
}

/// One call site's usage (an `llm-query` in the source), averaged over the runs.
public struct CallSiteUsage: Sendable, Equatable, Codable {
    /// `file:line` (`?` for the line when unknown).
    public var site: String
    /// The source name and line, when known.
    public var source: String?
    public var line: Int?
    /// The models the site called, sorted.
    public var models: [String]
    public var calls: Double
    public var inputTokens: Double
    public var outputTokens: Double
    /// Dollars; nil when a model the site called has no price.
    public var costUSD: Double?

    private enum CodingKeys: String, CodingKey {
        case site, source, line, models, calls, inputTokens = "input_tokens", outputTokens = "output_tokens", costUSD = "cost_usd"
    }
}

/// The rate limits the simulation applied to one model, and where they came from.
public struct RateLimitAssumption: Sendable, Equatable, Codable {
    public var model: String
    /// Requests per minute; nil = unlimited.
    public var rpm: Int?
    /// Tokens per minute; nil = unlimited.
    public var tpm: Int?
    /// Where the figures come from: a usage tier (`tier-1` …) or `none`.
    public var source: String
}

extension SimulationReport {
    init(runs: [SimulatedRun], options: SimulationOptions, sourceName: String) {
        self.runs = runs
        seed = options.seed
        runCount = runs.count
        let first = runs.first
        status = first?.status.rawValue ?? "ok"
        let single = runs.count == 1 ? first : nil
        result = single?.status == .finished ? single?.result : nil
        value = single?.status == .finished ? single?.value : nil
        error = single?.error
        calls = Distribution(runs.map { Double($0.records.count) })
        inputTokens = Distribution(runs.map { Double($0.inputTokens) })
        outputTokens = Distribution(runs.map { Double($0.outputTokens) })
        cost = Distribution(runs.map(\.cost))
        latency = Distribution(runs.map(\.latency))
        rateLimitWait = Distribution(runs.map(\.rateLimitWait))
        retries = Distribution(runs.map { Double($0.retries) })
        outputs = Distribution(runs.map { Double($0.outputs) })
        schedule = ScheduleShape(first?.records ?? [])
        tokenCountsExact = runs.allSatisfy { $0.records.allSatisfy { options.tokenCountsExact($0.model) } }
        byModel = Self.usageByModel(runs)
        byCallSite = Self.usageByCallSite(runs, sourceName: sourceName)
        rateLimits = byModel.map { options.rateLimitAssumption(for: $0.model) }
        warnings = SimulationWarning.all(runs: runs, options: options, byModel: byModel, sourceName: sourceName)
    }

    /// Sums of one group of records; means are taken once at the end, so a figure that is the
    /// same in every run comes out exact (no float noise from adding 1/n shares).
    private struct Totals {
        var calls = 0, input = 0, output = 0
        var cost = 0.0
        var priced = true
        var models = Set<String>()

        mutating func add(_ r: CallRecord) {
            calls += 1
            input += r.promptTokens
            output += r.completionTokens
            models.insert(r.model)
            // A call that failed (its retries exhausted) or was cancelled billed nothing: $0,
            // not an unknown price.
            if let c = r.cost { cost += c } else if r.status != "error" && r.status != "cancelled" { priced = false }
        }
    }

    private static func usageByModel(_ runs: [SimulatedRun]) -> [ModelUsage] {
        var totals: [String: Totals] = [:]
        for run in runs { for r in run.records { totals[r.model, default: Totals()].add(r) } }
        let n = Double(max(runs.count, 1))
        return totals.keys.sorted().compactMap { model in
            guard let t = totals[model] else { return nil }
            return ModelUsage(model: model, calls: Double(t.calls) / n, inputTokens: Double(t.input) / n,
                              outputTokens: Double(t.output) / n, costUSD: t.priced ? t.cost / n : nil)
        }
    }

    private static func usageByCallSite(_ runs: [SimulatedRun], sourceName: String) -> [CallSiteUsage] {
        var totals: [String: Totals] = [:]
        var positions: [String: (source: String, line: Int?)] = [:]
        for run in runs {
            for r in run.records {
                let source = r.siteSource ?? sourceName
                let site = "\(source):\(r.siteLine.map(String.init) ?? "?")"
                totals[site, default: Totals()].add(r)
                positions[site] = (source, r.siteLine)
            }
        }
        let n = Double(max(runs.count, 1))
        let order = totals.keys.sorted { a, b in
            let la = positions[a]?.line ?? Int.max, lb = positions[b]?.line ?? Int.max
            return la != lb ? la < lb : a < b
        }
        return order.compactMap { site in
            guard let t = totals[site] else { return nil }
            return CallSiteUsage(site: site, source: positions[site]?.source, line: positions[site]?.line, models: t.models.sorted(),
                                 calls: Double(t.calls) / n, inputTokens: Double(t.input) / n, outputTokens: Double(t.output) / n,
                                 costUSD: t.priced ? t.cost / n : nil)
        }
    }
}
