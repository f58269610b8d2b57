import Foundation
import Sandbox
import Simulator

/// The planner: turns a task description into ranked strategies whose code runs and whose every
/// estimate comes from simulating that code on data of the task's shape (docs/planner.md).
///
///     let plan = try await Planner.plan(PlanRequest(taskDescription: "Classify 500 support tickets",
///                                                   constraints: "under $1", priority: "cost"))
///     print(plan.recommended?.codeTemplate ?? plan.infeasibleReason ?? "")
///
/// Offline and deterministic: no model is called (unless `options.pilot` or `options.llm` ask
/// for it), and the same request and options give the same plan, byte for byte.
public enum Planner {
    /// Ranked, simulated strategies for `request` (the original `plan_strategy`).
    ///
    /// - Throws: `PlannerError` for a request that cannot be planned (an unknown priority, an
    ///   empty task, no patterns, no model left), `CancellationError` when the task is cancelled.
    public static func plan(_ request: PlanRequest, options: PlanOptions = PlanOptions()) async throws -> StrategyPlan {
        try await runCancellable { flag in try PlanBuilder(request: request, options: options, cancelled: flag).build(incorporated: nil) }
    }

    /// Whether `request` says enough to plan well, and what to ask when it does not.
    public static func clarify(_ request: PlanRequest, options: PlanOptions = PlanOptions()) async throws -> ClarifyResult {
        try await runCancellable { flag in try Clarifier.clarify(request, options: options, cancelled: flag) }
    }

    /// `clarifications` (free text or `key: value` lines) folded into `request`, then planned;
    /// `_meta.clarifications_incorporated` lists what changed.
    public static func finalize(_ request: PlanRequest, clarifications: String, options: PlanOptions = PlanOptions()) async throws -> StrategyPlan {
        let (updated, changes) = try Clarifications.apply(clarifications, to: request)
        return try await runCancellable { flag in
            try PlanBuilder(request: updated, options: options, cancelled: flag).build(incorporated: changes)
        }
    }

    /// Runs CPU-bound planning off the caller's executor; cancelling the caller's task stops it
    /// between simulations.
    static func runCancellable<T: Sendable>(_ work: @escaping @Sendable (CancellationFlag) throws -> T) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await Task.detached { try work(flag) }.value
        } onCancel: {
            flag.cancel()
        }
    }
}

/// Set from any thread when the caller's task is cancelled.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func cancel() { lock.lock(); value = true; lock.unlock() }
    var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func check() throws { if isCancelled { throw CancellationError() } }
}

/// One planning: profile, candidates, simulations, ranking, assembly.
struct PlanBuilder {
    /// Where the embedded prices come from (docs/data-sources.md).
    static let priceSnapshot = "litellm 1.109.1 model_prices_and_context_window, downloaded 2026-11-21"

    let request: PlanRequest
    let options: PlanOptions
    let cancelled: CancellationFlag

    func registry() throws -> ModelRegistry {
        switch options.registry {
        case .loaded(let r)?: return r
        case .file(let path)?: return try load(path)
        case nil: return try load(nil)
        }
        func load(_ path: String?) throws -> ModelRegistry {
            do { return try ModelRegistry.load(path: path) } catch { throw PlannerError("\(error)") }
        }
    }

    /// The profile, the pool and the simulated, ranked candidates (shared by plan and clarify).
    func simulate() throws -> (TaskProfiler.Result, [ScoredCandidate], PatternLibrary) {
        guard options.runs > 0 else { throw PlannerError("runs must be at least 1, not \(options.runs)") }
        let registry = try registry()
        let pool = ModelPool(registry: registry)
        let profiled = try TaskProfiler.profile(request, models: pool)
        let library = try options.library ?? PatternLibrary.load()
        guard !library.patterns.isEmpty else {
            throw PlannerError("the pattern library is empty" + (library.problems.isEmpty ? "" : ": " + library.problems.joined(separator: "; ")))
        }
        let candidates = try CandidateGenerator.candidates(library: library, profile: profiled.profile,
                                                           task: request.taskDescription, pool: pool)
        let simulator = CandidateSimulator(registry: registry, profile: profiled.profile, realContext: request.context,
                                           seed: options.seed, runs: options.runs)
        var scored: [ScoredCandidate] = []
        for (i, c) in candidates.enumerated() {
            try cancelled.check()
            options.progress?(PlanProgress(done: i, total: candidates.count, current: c.name))
            scored.append(score(c, simulator.estimate(c), profile: profiled.profile, pool: pool))
        }
        options.progress?(PlanProgress(done: candidates.count, total: candidates.count, current: ""))
        return (profiled, scored, library)
    }

    func score(_ c: Candidate, _ e: CandidateEstimate, profile: TaskProfile, pool: ModelPool) -> ScoredCandidate {
        let coverage = Ranking.coverage(c, e, profile: profile)
        return ScoredCandidate(candidate: c, estimate: e, quality: Ranking.quality(c, pool: pool), coverage: coverage,
                               violations: Ranking.violations(c, e, coverage: coverage, profile: profile))
    }

    func build(incorporated: [String]?) throws -> StrategyPlan {
        var (profiled, scored, library) = try simulate()
        Ranking.markParetoFront(&scored)
        let ranked = Ranking.sorted(scored, priority: profiled.profile.priority)
        var assumptions = profiled.assumptions
        if profiled.profile.items > CandidateSimulator.maxItems && request.context == nil {
            assumptions.append("simulated on \(CandidateSimulator.maxItems) \(profiled.profile.itemNoun)s; figures scaled by \(profiled.profile.items)/\(CandidateSimulator.maxItems)")
        }
        let task = request.taskDescription
        let meta = PlanMeta(planner: "rlm-plan simulation", taskAnalyzed: task.count > 100 ? String(task.prefix(100)) + "..." : task,
                            profile: profiled.profile, assumptions: assumptions, seed: options.seed,
                            runsPerCandidate: options.runs, priceSnapshot: Self.priceSnapshot,
                            candidatesConsidered: ranked.count, patternProblems: library.problems,
                            clarificationsIncorporated: incorporated, planningCostUSD: 0)
        return PlanAssembler.assemble(ranked: ranked, profile: profiled.profile, meta: meta)
    }
}
