import Foundation
import Sandbox
import Simulator

/// A candidate's simulated figures: what every number in a plan comes from.
struct CandidateEstimate {
    /// Monte Carlo runs behind the figures.
    var runs: Int
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
}

/// Simulates candidates on data of the profile's shape (the one place the planner calls the
/// simulation library, so switching to the async report API is a local change).
struct CandidateSimulator {
    /// Items simulated at most; above it, figures are scaled by items / maxItems (an assumption
    /// the plan states).
    static let maxItems = 2_000

    let registry: ModelRegistry
    let profile: TaskProfile
    let seed: UInt64
    let runs: Int
    /// The `context` every candidate sees: the real data, or synthesised at the profile's shape.
    let context: String
    /// Full-scale items per simulated item (1 unless the data is larger than `maxItems`).
    let scale: Double
    /// The screening run's smaller sample of the same shape (at most `screeningItems` items), and
    /// its scale to full size: screening only orders candidates; the ones a plan shows first are
    /// simulated at full scale.
    let screeningContext: String
    let screeningScale: Double
    static let screeningItems = 50

    init(registry: ModelRegistry, profile: TaskProfile, realContext: String?, seed: UInt64, runs: Int) {
        self.registry = registry
        self.profile = profile
        self.seed = seed
        self.runs = max(1, runs)
        if let realContext, !realContext.isEmpty {
            context = realContext
            scale = 1
            let items = ContextItems.split(realContext)
            let sample = PilotRunner.sample(items, count: Self.screeningItems)
            screeningContext = sample.count == items.count ? realContext : PilotRunner.context(sample)
            screeningScale = Double(max(items.count, 1)) / Double(max(sample.count, 1))
        } else {
            let simulated = min(profile.items, Self.maxItems)
            context = SyntheticData.items(simulated, chars: profile.charsPerItem, seed: seed)
            scale = Double(profile.items) / Double(simulated)
            let screened = min(profile.items, Self.screeningItems)
            screeningContext = SyntheticData.items(screened, chars: profile.charsPerItem, seed: seed)
            screeningScale = Double(profile.items) / Double(screened)
        }
    }

    func options(runs: Int, screening: Bool = false) -> SimulationOptions {
        var options = SimulationOptions()
        options.catalog = registry.catalog
        options.behaviors = registry.behaviors
        options.seed = seed
        options.runs = runs
        options.context = screening ? screeningContext : context
        return options
    }

    /// The candidate simulated `runs` times (default: the planner's runs), seeds `seed`, `seed+1`, ….
    func estimate(_ candidate: Candidate, runs: Int? = nil, screening: Bool = false,
                  cancellation: SimulationCancellation? = nil) throws -> CandidateEstimate {
        let n = runs ?? self.runs
        let scale = screening ? screeningScale : self.scale
        let report: SimulationReport
        do {
            report = try Simulation.simulateSynchronously(program: candidate.code, sourceName: candidate.pattern.name + ".scm",
                                                          options: options(runs: n, screening: screening), cancellation: cancellation)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PlannerError("cannot simulate \(candidate.name): \(error)")
        }
        // Only a finished run delivered its outputs (the template contract).
        let outputs = report.runs.map { $0.status == .finished ? $0.outputs : 0 }
        let failed = report.runs.filter { $0.status == .error }
        var worst = outputs.min() ?? 0
        if candidate.pattern.outputs != .single { worst = Int((Double(worst) * scale).rounded()) }
        func scaled(_ d: Distribution) -> Distribution {
            guard scale != 1 else { return d }
            var s = d
            s.p5 *= scale; s.p50 *= scale; s.p95 *= scale; s.mean *= scale; s.sd *= scale
            return s
        }
        return CandidateEstimate(runs: screening ? 0 : n, cost: scaled(report.cost), latency: scaled(report.latency),
                                 calls: report.calls.p50 * scale, inputTokens: report.inputTokens.p50 * scale,
                                 outputTokens: report.outputTokens.p50 * scale, outputs: worst,
                                 failedRuns: failed.count, firstError: failed.first?.error,
                                 warnings: report.warnings.filter { $0.code != .strategyFailed }.map(\.message),
                                 rateLimitDominant: report.warnings.contains { $0.code == .rateLimitDominant })
    }
}
