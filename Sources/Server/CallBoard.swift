import Foundation
import Sandbox

/// The calls of the current evaluation as the gateway reports them: what is in flight, what has
/// ended, dollars so far. Written on the VM thread, read by `get_status` and the progress reporter
/// from any thread, under one lock.
final class CallBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var active: [String: ActiveCall] = [:]
    private var order: [String] = []
    private var tally = CallTally()
    private var totals = SessionTotals()
    private var rateLimits = RateLimitSnapshot()
    private var evaluating = false
    /// Bumped on every change, so a watcher can wait for one.
    private var version = 0

    func observe(_ event: GatewayEvent) {
        lock.lock(); defer { lock.unlock() }
        version += 1
        switch event {
        case .started(let record):
            active[record.id] = ActiveCall(record: record, since: Date())
            order.append(record.id)
            tally.dispatched += 1
        case .ended(let record):
            if active.removeValue(forKey: record.id) != nil { order.removeAll { $0 == record.id } }
            tally.add(record)
            totals.calls += 1
            totals.promptTokens += record.promptTokens
            totals.completionTokens += record.completionTokens
            if record.status == "error" || record.status == "cancelled" || record.status == "refused" { totals.failedCalls += 1 }
        }
    }

    func beginEvaluation() {
        lock.lock(); defer { lock.unlock() }
        tally = CallTally()
        evaluating = true
        version += 1
    }

    func endEvaluation(rateLimits snapshot: RateLimitSnapshot?) -> CallTally {
        lock.lock(); defer { lock.unlock() }
        evaluating = false
        if let snapshot { rateLimits = snapshot }
        // Calls the evaluation abandoned (interrupted) are no longer anyone's.
        active.removeAll()
        order.removeAll()
        version += 1
        return tally
    }

    /// A consistent copy of everything `get_status` and progress show.
    func snapshot() -> CallBoardSnapshot {
        lock.lock(); defer { lock.unlock() }
        return CallBoardSnapshot(active: order.compactMap { active[$0] }, tally: tally, totals: totals,
                                 rateLimits: rateLimits, evaluating: evaluating, version: version)
    }
}

/// A call that started and has not ended.
struct ActiveCall: Sendable {
    var record: CallRecord
    /// Wall-clock start as the server saw it.
    var since: Date
}

struct CallBoardSnapshot: Sendable {
    var active: [ActiveCall]
    var tally: CallTally
    var totals: SessionTotals
    var rateLimits: RateLimitSnapshot
    var evaluating: Bool
    var version: Int
}

/// The calls of one evaluation.
struct CallTally: Sendable {
    var dispatched = 0
    /// Ended successfully (including cache and journal replays).
    var completed = 0
    var failed = 0
    var dollars = 0.0
    var maxLatency = 0.0
    /// Completions per model, in first-seen order.
    var byModel: [(model: String, calls: Int)] = []

    mutating func add(_ record: CallRecord) {
        guard ["ok", "cached", "replayed"].contains(record.status) else { failed += 1; return }
        completed += 1
        dollars += record.cost ?? 0
        maxLatency = max(maxLatency, record.latency)
        if let i = byModel.firstIndex(where: { $0.model == record.model }) { byModel[i].calls += 1 } else { byModel.append((record.model, 1)) }
    }

    /// `"gpt-4o×3, gpt-4o-mini×1"`: most used first (reference §5.1).
    var modelsText: String {
        byModel.enumerated().sorted { $0.element.calls != $1.element.calls ? $0.element.calls > $1.element.calls : $0.offset < $1.offset }
            .map { "\($0.element.model)×\($0.element.calls)" }.joined(separator: ", ")
    }
}

/// Model-call usage of the whole session (across evaluations and resets), as `get_status` shows it.
struct SessionTotals: Sendable {
    var promptTokens = 0
    var completionTokens = 0
    var calls = 0
    var failedCalls = 0
    var totalTokens: Int { promptTokens + completionTokens }
}
