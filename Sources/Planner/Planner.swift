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

/// The planner stops between simulations, and a simulation between runs, when the caller's task
/// is cancelled: one flag for both (the simulation library's).
typealias CancellationFlag = SimulationCancellation

extension SimulationCancellation {
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

    /// The rate limits candidates are paced by (as `rlm-plan simulate` would apply them here).
    func rateLimits(_ registry: ModelRegistry) throws -> RateLimitResolver {
        if let given = options.rateLimits { return registry.behaviors.completing(given) }
        do { return try SimulationOptions.environmentRateLimits(registry: registry) } catch { throw PlannerError("\(error)") }
    }

    /// The profile, the pool and the simulated, ranked candidates (shared by plan and clarify).
    /// `extra` candidates (LLM proposals) are simulated beside the library's.
    func simulate(registry: ModelRegistry, extra: [Candidate] = []) throws -> (TaskProfiler.Result, [ScoredCandidate], PatternLibrary) {
        var skipped: [String] = []
        return try simulate(registry: registry, extra: extra, skipped: &skipped)
    }

    func simulate(registry: ModelRegistry, extra: [Candidate], skipped: inout [String]) throws -> (TaskProfiler.Result, [ScoredCandidate], PatternLibrary) {
        guard options.runs > 0 else { throw PlannerError("runs must be at least 1, not \(options.runs)") }
        let pool = ModelPool(registry: registry)
        let profiled = try TaskProfiler.profile(request, models: pool)
        let library = try options.library ?? PatternLibrary.load()
        guard !library.patterns.isEmpty else {
            throw PlannerError("the pattern library is empty" + (library.problems.isEmpty ? "" : ": " + library.problems.joined(separator: "; ")))
        }
        let candidates = try CandidateGenerator.candidates(library: library, profile: profiled.profile,
                                                           task: request.taskDescription, pool: pool, skipped: &skipped) + extra
        let simulator = CandidateSimulator(registry: registry, rateLimits: try rateLimits(registry), profile: profiled.profile, realContext: request.context,
                                           seed: options.seed)
        let scored = try Screening.run(candidates, simulator: simulator, runs: options.runs, profile: profiled.profile,
                                       progress: options.progress, cancelled: cancelled) { c, e in
            score(c, e, profile: profiled.profile, pool: pool)
        }
        return (profiled, scored, library)
    }

    func score(_ c: Candidate, _ e: CandidateEstimate, profile: TaskProfile, pool: ModelPool) -> ScoredCandidate {
        let coverage = Ranking.coverage(c, e, profile: profile)
        return ScoredCandidate(candidate: c, estimate: e, quality: Ranking.quality(c, pool: pool), coverage: coverage,
                               violations: Ranking.violations(c, e, coverage: coverage, profile: profile))
    }

    func build(incorporated: [String]?) throws -> StrategyPlan {
        let registry = try registry()
        var proposals = LLMComposer.Result()
        if let llm = options.llm {
            let pool = ModelPool(registry: registry)
            let profile = try TaskProfiler.profile(request, models: pool).profile
            proposals = try LLMComposer.propose(request: request, profile: profile, pool: pool, settings: llm,
                                                simulator: CandidateSimulator(registry: registry, rateLimits: try rateLimits(registry), profile: profile, realContext: request.context,
                                                                              seed: options.seed),
                                                cancelled: cancelled)
        }
        var plan = try planOnce(registry: registry, extra: proposals.candidates, incorporated: incorporated)
        plan.meta.llmProposals = options.llm == nil ? nil : proposals.reports
        plan.meta.planningCostUSD = Format.dollars(proposals.cost)
        guard let pilot = options.pilot else { return plan }
        return try withPilot(plan, registry: registry, settings: pilot, extra: proposals.candidates, incorporated: incorporated)
    }

    func planOnce(registry: ModelRegistry, extra: [Candidate], incorporated: [String]?) throws -> StrategyPlan {
        var skipped: [String] = []
        var (profiled, scored, library) = try simulate(registry: registry, extra: extra, skipped: &skipped)
        Ranking.markParetoFront(&scored)
        let ranked = Ranking.sorted(scored, priority: profiled.profile.priority)
        var assumptions = profiled.assumptions
        if let assumed = try rateLimits(registry).assumptionWarning { assumptions.append(assumed) }
        if profiled.profile.items > CandidateSimulator.maxItems && request.context == nil {
            assumptions.append("simulated on \(CandidateSimulator.maxItems) \(profiled.profile.itemNoun)s; figures scaled by \(profiled.profile.items)/\(CandidateSimulator.maxItems)")
        }
        let task = request.taskDescription
        let meta = PlanMeta(planner: "rlm-plan simulation", taskAnalyzed: task.count > 100 ? String(task.prefix(100)) + "..." : task,
                            profile: profiled.profile, assumptions: assumptions, seed: options.seed,
                            runsPerCandidate: options.runs, search: Screening.description(runs: options.runs), priceSnapshot: Self.priceSnapshot,
                            candidatesConsidered: ranked.count, patternProblems: library.problems, patternsSkipped: skipped,
                            clarificationsIncorporated: incorporated, planningCostUSD: 0)
        return PlanAssembler.assemble(ranked: ranked, profile: profiled.profile, meta: meta)
    }

    /// Runs the top strategies on a sample, calibrates, and plans again with what was learnt.
    func withPilot(_ first: StrategyPlan, registry: ModelRegistry, settings: PilotSettings, extra: [Candidate],
                   incorporated: [String]?) throws -> StrategyPlan {
        guard let context = request.context, !context.isEmpty else {
            throw PlannerError("pilot runs need the real data: give the context (--context FILE)")
        }
        guard settings.items > 0 else { throw PlannerError("pilot: the sample needs at least 1 item, not \(settings.items)") }
        let top = ([first.recommended].compactMap { $0 } + first.alternatives).filter(\.feasible)
        guard !top.isEmpty else { return first }
        options.progress?(PlanProgress(done: 0, total: min(top.count, settings.candidates), current: "pilot"))
        let sample = PilotRunner.sample(ContextItems.split(context), count: settings.items)
        let outcome = try PilotRunner.run(top, sample: sample, settings: settings, cancelled: cancelled)
        let (calibrated, models) = PilotRunner.calibrate(registry, records: outcome.records)
        var plan = try planOnce(registry: calibrated, extra: extra, incorporated: incorporated)
        var runs = outcome.runs
        for i in runs.indices {
            guard let row = plan.candidates.first(where: { $0.strategyName == runs[i].strategyName }) else { continue }
            runs[i].costAfter = row.costUSD
            runs[i].latencyAfter = row.latencyS
        }
        plan.pilot = PilotReport(items: outcome.items, costUSD: Format.dollars(outcome.cost), calibratedModels: models, runs: runs)
        plan.meta.llmProposals = first.meta.llmProposals
        plan.meta.planningCostUSD = Format.dollars(first.meta.planningCostUSD + outcome.cost)
        if models.isEmpty {
            plan.meta.assumptions.append("the pilot's calls were too few to calibrate any model (\(Calibration.minimumCalls) per model needed); estimates use the priors")
        }
        return plan
    }
}
