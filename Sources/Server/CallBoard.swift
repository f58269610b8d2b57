import Foundation
import Sandbox

/// The session's call events as the server needs them: the current evaluation's progress (done,
/// dispatched, dollars, slowest call) and the session's running totals. Written on the VM thread
/// by the gateway's observer, read by `get_status` and the progress reporter from any thread.
final class CallBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var totals = SessionTotals()
    /// The totals when the current evaluation began (progress counts from there).
    private var baseline = SessionTotals()
    private var tally = CallTally()
    private var rateLimits = RateLimitSnapshot()
    private var evaluating = false
    /// Bumped on every change, so a watcher can tell when something happened.
    private var version = 0

    func observe(_ event: SessionEvent) {
        lock.lock(); defer { lock.unlock() }
        version += 1
        totals = event.totals
        guard evaluating, let record = event.record else { return }
        switch event.kind {
        case .finished: tally.add(record)
        case .failed: tally.failed += 1
        case .started, .sent, .retried: break
        }
    }

    func beginEvaluation() {
        lock.lock(); defer { lock.unlock() }
        baseline = totals
        tally = CallTally()
        evaluating = true
        version += 1
    }

    /// Ends the evaluation; `snapshot` is the gateway's last rate-limit headers (read on the
    /// session queue right after the evaluation, while the VM thread is idle).
    func endEvaluation(rateLimits snapshot: RateLimitSnapshot?) -> CallTally {
        lock.lock(); defer { lock.unlock() }
        evaluating = false
        if let snapshot { rateLimits = snapshot }
        version += 1
        return tally
    }

    /// A consistent copy of everything `get_status` and progress show.
    func snapshot() -> CallBoardSnapshot {
        lock.lock(); defer { lock.unlock() }
        var progress = totals
        progress.started -= baseline.started
        progress.finished -= baseline.finished
        progress.failed -= baseline.failed
        progress.costUSD -= baseline.costUSD
        return CallBoardSnapshot(evaluation: progress, tally: tally, totals: totals, rateLimits: rateLimits,
                                 evaluating: evaluating, version: version)
    }
}

struct CallBoardSnapshot: Sendable {
    /// The current (or last) evaluation's counts: started, finished, failed, dollars.
    var evaluation: SessionTotals
    var tally: CallTally
    /// The session's totals since it began (not cleared by `reset`, as in the original).
    var totals: SessionTotals
    var rateLimits: RateLimitSnapshot
    var evaluating: Bool
    var version: Int
}

/// The answered calls of one evaluation.
struct CallTally: Sendable {
    var completed = 0
    var failed = 0
    var maxLatency = 0.0
    /// Completions per model, in first-seen order.
    var byModel: [(model: String, calls: Int)] = []

    mutating func add(_ record: CallRecord) {
        completed += 1
        maxLatency = max(maxLatency, record.latency)
        if let i = byModel.firstIndex(where: { $0.model == record.model }) { byModel[i].calls += 1 } else { byModel.append((record.model, 1)) }
    }

    /// `"gpt-4o×3, gpt-4o-mini×1"`: most used first (reference §5.1).
    var modelsText: String {
        byModel.enumerated().sorted { $0.element.calls != $1.element.calls ? $0.element.calls > $1.element.calls : $0.offset < $1.offset }
            .map { "\($0.element.model)×\($0.element.calls)" }.joined(separator: ", ")
    }
}
