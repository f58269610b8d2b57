import Foundation
import Simulator

/// Two-stage simulation that keeps planning fast: every candidate once (seed S, candidates in
/// parallel) on a sample of at most 50 items of the profile's shape, figures scaled to full size;
/// then the full Monte Carlo at full scale (seeds S…S+runs-1) for the ones a plan can show first
/// — the best `fullRunsFor` by the priority among those that work. The rest keep their screening
/// figures (`simulated_runs: 0` in the plan), which only ever decide that they rank lower. Deterministic: results are kept by candidate index, whatever finishes first.
enum Screening {
    /// Candidates simulated in full after the screening run.
    static let fullRunsFor = 6

    static func run(_ candidates: [Candidate], simulator: CandidateSimulator, priority: String,
                    progress: (@Sendable (PlanProgress) -> Void)?, cancelled: CancellationFlag,
                    score: (Candidate, CandidateEstimate) -> ScoredCandidate) throws -> [ScoredCandidate] {
        let screened = try parallelEstimates(candidates, simulator: simulator, runs: 1, screening: true,
                                             progress: progress, cancelled: cancelled)
        var scored = zip(candidates, screened).map { score($0, $1) }
        var front = scored
        Ranking.markParetoFront(&front)
        let order = Ranking.sorted(front, priority: priority).filter(\.works).prefix(fullRunsFor).map(\.candidate.name)
        let indices = scored.indices.filter { order.contains(scored[$0].candidate.name) }
        let full = try parallelEstimates(indices.map { candidates[$0] }, simulator: simulator, runs: simulator.runs, screening: false,
                                         progress: progress, cancelled: cancelled)
        for (i, e) in zip(indices, full) { scored[i] = score(candidates[i], e) }
        return scored
    }

    /// Each candidate's estimate, computed on every core; cancellation is checked between candidates.
    static func parallelEstimates(_ candidates: [Candidate], simulator: CandidateSimulator, runs: Int, screening: Bool,
                                  progress: (@Sendable (PlanProgress) -> Void)?, cancelled: CancellationFlag) throws -> [CandidateEstimate] {
        let slots = Slots<Result<CandidateEstimate, any Error>>(candidates.count)
        let workers = min(candidates.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < candidates.count, !cancelled.isCancelled {
                let done = slots.count
                progress?(PlanProgress(done: done, total: candidates.count, current: candidates[k].name))
                slots.set(k, Result { try simulator.estimate(candidates[k], runs: runs, screening: screening, cancellation: cancelled) })
                k += workers
            }
        }
        try cancelled.check()
        progress?(PlanProgress(done: candidates.count, total: candidates.count, current: ""))
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
