import Foundation
import Simulator

/// The planner's search: screen every candidate cheaply, then simulate at full scale only what a
/// plan will show, until what it shows rests on full-scale figures (docs/planner.md, "How a plan
/// is made"). Deterministic: every step works on a fixed list in a fixed order and keeps results
/// by candidate index, whatever thread finishes first; which candidates get more runs depends
/// only on figures already computed.
///
/// 1. Screen: one run each (`CandidateSimulator.screen`), all candidates spread over the cores.
/// 2. Rank, and pick what the plan shows with full-scale figures (`PlanAssembler.shown`: the
///    recommendation and the alternatives, or the cheapest plan when nothing is feasible).
/// 3. A shown candidate that was only screened gets one run at full scale (seed S); a shown
///    recommendation or alternative with one full run gets the rest of its Monte Carlo runs
///    (seeds S+1 … S+runs−1). The cheapest plan keeps one full-scale run; creative options keep
///    their screening figures (shown as experiments, `simulated_on` says so).
///    Back to 2 until nothing shown needs more. A candidate that a full-scale run shows to be
///    infeasible or outranked drops out of what is shown before its Monte Carlo runs are spent:
///    that is how hopeless candidates stop early.
enum Screening {
    /// Rounds of step 2–3 at most (each upgrades at least one candidate; in practice 2–4 suffice).
    static let maxRounds = 12

    /// The search in words (`_meta.search`).
    static func description(runs: Int) -> String {
        "every candidate simulated once: patterns whose cost grows with the items on a sample of \(CandidateSimulator.sampleItems) items "
            + "(figures scaled to the full size), the others at full scale; what the plan shows then at full scale, until it rests only on "
            + "full-scale runs: \(runs) Monte Carlo run\(runs == 1 ? "" : "s") for the recommendation and the alternatives, "
            + "one run for the cheapest plan; creative options keep their screening figures (simulated_on says which figures are which)"
    }

    static func run(_ candidates: [Candidate], simulator: CandidateSimulator, runs: Int, profile: TaskProfile,
                    progress: (@Sendable (PlanProgress) -> Void)?, cancelled: CancellationFlag,
                    score: (Candidate, CandidateEstimate) -> ScoredCandidate) throws -> [ScoredCandidate] {
        let total = candidates.count
        let screened = try parallel(candidates.indices.map { $0 }, label: { candidates[$0].name }, progress: progress,
                                    total: total, cancelled: cancelled) { i in
            try simulator.screen(candidates[i], cancellation: cancelled)
        }
        var scored = zip(candidates, screened).map { score($0, $1) }
        var full: [Int: CandidateSimulator.FullRuns] = [:]
        for _ in 0..<maxRounds {
            var ranked = scored
            Ranking.markParetoFront(&ranked)
            ranked = Ranking.sorted(ranked, priority: profile.priority)
            let shown = PlanAssembler.shown(ranked: ranked)
            let index = Dictionary(uniqueKeysWithValues: scored.indices.map { (scored[$0].candidate.name, $0) })
            // First a full-scale run for what was only screened; Monte Carlo only once nothing
            // shown is left on screening figures, so no runs go to a candidate about to drop out.
            let needFirst = shown.all.compactMap { index[$0] }.filter { full[$0] == nil }
            let needRest = shown.monteCarlo.compactMap { index[$0] }.filter { (full[$0]?.runs.count ?? 0) < runs }
            let (batch, more) = needFirst.isEmpty ? (needRest, runs - 1) : (needFirst, 1)
            guard !batch.isEmpty else { break }
            let previous = full
            let results = try parallel(batch, label: { candidates[$0].name }, progress: progress, total: total,
                                       cancelled: cancelled) { i in
                try simulator.fullRuns(candidates[i], runs: more, first: previous[i]?.runs.count ?? 0, previous: previous[i],
                                       cancellation: cancelled)
            }
            for (i, r) in zip(batch, results) {
                full[i] = r
                scored[i] = score(candidates[i], simulator.estimate(candidates[i], runs: r))
            }
        }
        progress?(PlanProgress(done: total, total: total, current: ""))
        return scored
    }

    /// `work` for each of `indices`, on every core; results in the order of `indices`.
    /// Cancellation is checked between items.
    static func parallel<T>(_ indices: [Int], label: @Sendable (Int) -> String, progress: (@Sendable (PlanProgress) -> Void)?,
                            total: Int, cancelled: CancellationFlag, _ work: @Sendable (Int) throws -> T) throws -> [T] {
        let slots = Slots<Result<T, any Error>>(indices.count)
        let workers = min(indices.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < indices.count, !cancelled.isCancelled {
                progress?(PlanProgress(done: min(slots.count, total), total: total, current: label(indices[k])))
                slots.set(k, Result { try work(indices[k]) })
                k += workers
            }
        }
        try cancelled.check()
        return try slots.values.map { try $0.get() }
    }
}

/// Results computed on several threads, by index.
final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return slots.count { $0 != nil } }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
