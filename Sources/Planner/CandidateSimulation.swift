import Foundation
import Sandbox
import Simulator

/// A candidate's simulated figures: what every number in a plan comes from.
struct CandidateEstimate {
    /// What the figures rest on.
    enum Basis: Equatable {
        /// One run on a sample of `items` items of the same shape, figures multiplied by `scale`
        /// (per-item patterns only: their cost, tokens and calls are sums over the items), its
        /// latency by `latencyScale` (rounds of the full run per round of the sample).
        case sample(items: Int, scale: Double, latencyScale: Double)
        /// `runs` runs at full scale (seeds S, S+1, …).
        case full(runs: Int)
    }

    var basis: Basis
    var cost: Distribution
    var latency: Distribution
    var calls: Double
    var inputTokens: Double
    var outputTokens: Double
    /// Outputs of the worst run (what the plan can promise), at full scale.
    var outputs: Int
    /// Runs that ended in an error, and the first error.
    var failedRuns: Int
    var firstError: String?
    var warnings: [String]
    /// Whether calls waited on rate limits longer than half their model time.
    var rateLimitDominant = false

    /// Monte Carlo runs at full scale behind the figures (0: screened on a sample).
    var runs: Int {
        if case .full(let n) = basis { return n }
        return 0
    }

    /// How the figures were obtained, in words (`simulated_on` in a plan).
    func describe(items: Int, noun: String) -> String {
        switch basis {
        case .sample(let n, let scale, let latencyScale):
            return "screened: 1 run on a \(n)-\(noun) sample (window and rate limits shrunk alike), cost, tokens and calls × \(Self.number(scale)), latency × \(Self.number(latencyScale))"
        case .full(let n):
            return "full scale (\(items) \(noun)s), \(n) run\(n == 1 ? "" : "s")"
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
    }
}

/// Simulates candidates on data of the profile's shape (the one place the planner calls the
/// simulation library).
///
/// Two ways, both real simulations of the candidate's code (docs/planner.md, "How a plan is made"):
/// - `screen`: one run. A pattern whose cost grows in proportion to the items (`Pattern.
///   scalesPerItem`) runs on a sample of `sampleItems` items — the first items of the same
///   synthetic data, or items spread evenly over the real context — and its figures are
///   multiplied by items / sample; every other pattern runs once at full scale.
/// - `simulate`: runs at full scale with seeds `seed + first`, `seed + first + 1`, ….
struct CandidateSimulator {
    /// Items simulated at most; above it, figures are scaled by items / maxItems (an assumption
    /// the plan states).
    static let maxItems = 2_000
    /// Items of the screening sample: one concurrency window of the library's patterns (20), so
    /// the sample's schedule is one full round of the full run's.
    static let sampleItems = 10

    let registry: ModelRegistry
    /// The rate limits a real run would meet (the screening sample gets them scaled down).
    let rateLimits: RateLimitResolver
    let profile: TaskProfile
    let seed: UInt64
    /// The `context` every candidate sees at full scale: the real data, or synthesised at the
    /// profile's shape.
    let context: String
    /// Full-scale items per simulated item (1 unless the data is larger than `maxItems`).
    let scale: Double
    /// The screening sample, its size, and its factor to full size.
    let sampleContext: String
    let sampleCount: Int
    let sampleScale: Double

    init(registry: ModelRegistry, rateLimits: RateLimitResolver, profile: TaskProfile, realContext: String?, seed: UInt64) {
        self.registry = registry
        self.rateLimits = rateLimits
        self.profile = profile
        self.seed = seed
        if let realContext, !realContext.isEmpty {
            context = realContext
            scale = 1
            let items = ContextItems.split(realContext)
            let sample = PilotRunner.sample(items, count: Self.sampleItems)
            sampleContext = sample.count == items.count ? realContext : PilotRunner.context(sample)
            sampleCount = sample.count
            sampleScale = Double(max(items.count, 1)) / Double(max(sample.count, 1))
        } else {
            let simulated = min(profile.items, Self.maxItems)
            context = SyntheticData.items(simulated, chars: profile.charsPerItem, seed: seed)
            scale = Double(profile.items) / Double(simulated)
            let sampled = min(profile.items, Self.sampleItems)
            // SyntheticData draws items in order from one seeded stream: these are the first
            // `sampled` items of `context`, so their token counts are shared.
            sampleContext = SyntheticData.items(sampled, chars: profile.charsPerItem, seed: seed)
            sampleCount = sampled
            sampleScale = Double(profile.items) / Double(sampled)
        }
    }

    func options(context: String, seed: UInt64, runs: Int) -> SimulationOptions {
        var options = SimulationOptions()
        options.catalog = registry.catalog
        options.behaviors = registry.behaviors
        options.seed = seed
        options.runs = runs
        options.context = context
        options.rateLimits = rateLimits
        return options
    }

    /// Whether `candidate` is screened on the sample (else once at full scale).
    func screensOnSample(_ candidate: Candidate) -> Bool {
        candidate.pattern.scalesPerItem && sampleScale > 1
    }

    /// One run: on the sample for per-item patterns, else at full scale.
    ///
    /// The sample run is a scaled-down copy of the full run: parameters that are totals for the
    /// whole data (`Pattern.totalParameters`, a dollar budget) and the concurrency `window` shrink
    /// by sample / items (the window to at least 1), and so do the models' rate limits. The sample
    /// then runs about as many rounds as the full run under the same rate-limit pressure, so its
    /// latency needs only the rounding corrected; cost, tokens and calls are multiplied by items /
    /// sample (sums over the items).
    func screen(_ candidate: Candidate, cancellation: SimulationCancellation? = nil) throws -> CandidateEstimate {
        guard screensOnSample(candidate) else { return try simulate(candidate, runs: 1, cancellation: cancellation) }
        let pattern = candidate.pattern
        var values = candidate.values.merging(pattern.sampleScaledParameters(candidate.values, factor: 1 / sampleScale)) { $1 }
        // The share of the full run's concurrency the sample gets (1 when the pattern has no window).
        var concurrencyShare = 1.0
        if let window = pattern.parameter("window"), !window.isString,
           let full = Int(values[window.name] ?? window.defaultValue), full > 0 {
            let shrunk = max(1, Int((Double(full) / sampleScale).rounded()))
            values[window.name] = String(shrunk)
            concurrencyShare = Double(shrunk) / Double(full)
        }
        var options = options(context: sampleContext, seed: seed, runs: 1)
        options.behaviors = Self.rateLimits(of: registry.behaviors, times: concurrencyShare)
        options.rateLimits = rateLimits.scaled(by: concurrencyShare)
        let report = try run(try pattern.instantiate(values), candidate: candidate, options: options, cancellation: cancellation)
        var estimate = estimate(candidate, runs: report.runs, warnings: report.warnings, scale: sampleScale,
                                basis: .sample(items: sampleCount, scale: sampleScale, latencyScale: sampleScale * concurrencyShare))
        // Rounds of the full run per round of the sample: items / sample × window share.
        let latencyScale = sampleScale * concurrencyShare
        estimate.latency = Distribution(report.runs.map { $0.latency * latencyScale })
        return estimate
    }

    /// `table` with every model's requests and tokens per minute multiplied by `factor`.
    static func rateLimits(of table: ModelBehaviorTable, times factor: Double) -> ModelBehaviorTable {
        guard factor != 1 else { return table }
        func scaled(_ x: Int?) -> Int? { x.map { max(1, Int((Double($0) * factor).rounded())) } }
        var out = ModelBehaviorTable(behaviors: table.behaviors.mapValues { b in
            var b = b
            b.requestsPerMinute = scaled(b.requestsPerMinute)
            b.tokensPerMinute = scaled(b.tokensPerMinute)
            b.tiers = b.tiers?.mapValues { t in
                var t = t
                t.rpm = scaled(t.rpm)
                t.tpm = scaled(t.tpm)
                return t
            }
            return b
        }, aliases: table.aliases)
        out.fallback = table.fallback
        return out
    }

    /// `runs` runs at full scale, seeds `seed + first` on; with `previous` (earlier runs of the
    /// same candidate at full scale, seeds `seed` … `seed + first - 1`) the figures cover all.
    func simulate(_ candidate: Candidate, runs: Int, first: Int = 0, previous: FullRuns? = nil,
                  cancellation: SimulationCancellation? = nil) throws -> CandidateEstimate {
        try estimate(candidate, runs: fullRuns(candidate, runs: runs, first: first, previous: previous, cancellation: cancellation))
    }

    /// Runs at full scale and their warnings (kept so that more runs can be added later).
    struct FullRuns {
        var runs: [SimulatedRun]
        var warnings: [SimulationWarning]
    }

    func fullRuns(_ candidate: Candidate, runs: Int, first: Int = 0, previous: FullRuns? = nil,
                  cancellation: SimulationCancellation? = nil) throws -> FullRuns {
        let report = try run(candidate.code, candidate: candidate,
                             options: options(context: context, seed: seed &+ UInt64(first), runs: runs), cancellation: cancellation)
        var warnings = previous?.warnings ?? []
        for w in report.warnings where !warnings.contains(where: { $0.code == w.code && $0.message == w.message }) { warnings.append(w) }
        return FullRuns(runs: (previous?.runs ?? []) + report.runs, warnings: warnings)
    }

    func estimate(_ candidate: Candidate, runs full: FullRuns) -> CandidateEstimate {
        estimate(candidate, runs: full.runs, warnings: full.warnings, scale: scale, basis: .full(runs: full.runs.count))
    }

    private func run(_ code: String, candidate: Candidate, options: SimulationOptions,
                     cancellation: SimulationCancellation?) throws -> SimulationReport {
        do {
            return try Simulation.simulateSynchronously(program: code, sourceName: candidate.pattern.name + ".scm",
                                                        options: options, cancellation: cancellation)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PlannerError("cannot simulate \(candidate.name): \(error)")
        }
    }

    private func estimate(_ candidate: Candidate, runs: [SimulatedRun], warnings: [SimulationWarning], scale: Double,
                          basis: CandidateEstimate.Basis) -> CandidateEstimate {
        // Only a finished run delivered its outputs (the template contract).
        let outputs = runs.map { $0.status == .finished ? $0.outputs : 0 }
        let failed = runs.filter { $0.status == .error }
        var worst = outputs.min() ?? 0
        if candidate.pattern.outputs != .single { worst = Int((Double(worst) * scale).rounded()) }
        func scaled(_ values: [Double]) -> Distribution {
            var d = Distribution(values)
            guard scale != 1 else { return d }
            d.p5 *= scale; d.p50 *= scale; d.p95 *= scale; d.mean *= scale; d.sd *= scale
            return d
        }
        return CandidateEstimate(basis: basis, cost: scaled(runs.map(\.cost)), latency: scaled(runs.map(\.latency)),
                                 calls: Distribution(runs.map { Double($0.records.count) }).p50 * scale,
                                 inputTokens: Distribution(runs.map { Double($0.inputTokens) }).p50 * scale,
                                 outputTokens: Distribution(runs.map { Double($0.outputTokens) }).p50 * scale,
                                 outputs: worst, failedRuns: failed.count, firstError: failed.first?.error,
                                 warnings: warnings.filter { $0.code != .strategyFailed }.map(\.message),
                                 rateLimitDominant: warnings.contains { $0.code == .rateLimitDominant })
    }
}
