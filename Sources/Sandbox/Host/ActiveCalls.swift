import Foundation

/// Where a model call stands before it settles.
public enum ActiveCallState: String, Sendable, Codable {
    /// Waiting for a free slot in the concurrency window (`--max-concurrent`).
    case queuedForSlot = "queued_for_slot"
    /// Has a slot, held back until the rate limiter has capacity for it.
    case waitingForRateLimit = "waiting_for_rate_limit"
    /// Sent to the provider, waiting for the reply.
    case inFlight = "in_flight"
}

/// One model call that has not settled yet, as a host sees it (`SandboxSession.activeCalls()`).
public struct ActiveCallSnapshot: Sendable, Codable, Equatable {
    /// The call's id, as in its `CallRecord` (`call_7`, `call_d1_12`).
    public var id: String
    public var model: String
    public var state: ActiveCallState
    /// Recursion depth of the sandbox that made it (0 at the top level).
    public var depth: Int
    /// When the program made the call (wall time).
    public var startedAt: Date
    /// When it was sent to the provider, nil while it waits.
    public var sentAt: Date?
}

/// The live calls of a gateway, readable from any thread while the VM thread changes them.
final class ActiveCallTable: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String: ActiveCallSnapshot] = [:]
    /// Insertion order, so snapshots list calls oldest first.
    private var order: [String] = []
    /// Calls in each state, kept as they change (events report them without a scan).
    private var inState: [ActiveCallState: Int] = [:]

    func insert(_ snapshot: ActiveCallSnapshot) {
        lock.lock(); defer { lock.unlock() }
        if let old = calls[snapshot.id] { inState[old.state, default: 0] -= 1 } else { order.append(snapshot.id) }
        calls[snapshot.id] = snapshot
        inState[snapshot.state, default: 0] += 1
    }

    /// Moves a call to `state` (sent calls get their send time); returns its new snapshot.
    @discardableResult
    func update(_ id: String, to state: ActiveCallState) -> ActiveCallSnapshot? {
        lock.lock(); defer { lock.unlock() }
        guard var s = calls[id] else { return nil }
        inState[s.state, default: 0] -= 1
        inState[state, default: 0] += 1
        s.state = state
        if state == .inFlight, s.sentAt == nil { s.sentAt = Date() }
        calls[id] = s
        return s
    }

    func remove(_ id: String) {
        lock.lock(); defer { lock.unlock() }
        guard let old = calls.removeValue(forKey: id) else { return }
        inState[old.state, default: 0] -= 1
        // Calls mostly settle oldest first; compact the order list only now and then.
        if order.count > 64 && order.count > 2 * calls.count { order.removeAll { calls[$0] == nil } }
    }

    func contains(_ id: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return calls[id] != nil
    }

    /// The unsettled calls, oldest first.
    func snapshot() -> [ActiveCallSnapshot] {
        lock.lock(); defer { lock.unlock() }
        return order.compactMap { calls[$0] }
    }

    /// How many calls are in each state.
    func counts() -> (inFlight: Int, queued: Int, rateLimited: Int) {
        lock.lock(); defer { lock.unlock() }
        return (inState[.inFlight, default: 0], inState[.queuedForSlot, default: 0], inState[.waitingForRateLimit, default: 0])
    }
}
