import Foundation

/// The API long-lived hosts (the MCP server, `rlm-plan run`, the planner) drive a session with:
/// evaluate without blocking, interrupt, cancel one call, follow calls as they happen.
///
/// ```swift
/// let session = SandboxSession(gateway: gateway)
/// let progress = Task { for await e in session.events() { print(e.kind, e.totals.finished) } }
/// let result = await session.evaluate("(finish (map-async llm-query-async items))")
/// print(result.status, result.calls, result.costUSD)
/// ```
extension SandboxSession {
    /// Evaluates a whole program on the VM thread while the caller awaits; the result carries
    /// this evaluation's calls, tokens and dollars. Evaluations run one at a time, in order.
    public func evaluate(_ code: String, sourceName: String? = nil) async -> EvaluationResult {
        interruption.evaluationQueued()
        let box = UncheckedBox(self)
        return await thread.run {
            let session = box.value
            defer { session.interruption.evaluationEnded() }
            return session.evaluateOnVMThread(code, sourceName: sourceName)
        }
    }

    private func evaluateOnVMThread(_ code: String, sourceName: String?) -> EvaluationResult {
        let started = MonotonicClock.seconds()
        let first = gateway?.records.count ?? 0
        let result = evaluator.evalProgram(code, sourceName: sourceName)
        let records = gateway.map { $0.records[first...] } ?? []
        return EvaluationResult(result, records: records, printDepth: limits.printDepth,
                                elapsed: MonotonicClock.seconds() - started)
    }

    /// Stops the running evaluation at its next safe point (within milliseconds, also while it
    /// waits on model calls): its unsettled calls are cancelled (requests in flight are aborted)
    /// and it ends with status `interrupted`. Definitions made so far stay. Any thread; returns
    /// false when no evaluation is running or queued.
    @discardableResult
    public func interrupt() -> Bool {
        interruption.request()
    }

    /// Cancels one unsettled call by its id (`call_7`): the fiber awaiting it gets a catchable
    /// `exn:fail:llm` cancellation. Any thread; false when no such call is active.
    @discardableResult
    public func cancelCall(id: String) -> Bool {
        guard let gateway, gateway.activeTable.contains(id) else { return false }
        let box = UncheckedBox(gateway)
        // On the VM thread: through the clock while an evaluation waits on it, else as the next job.
        gateway.clock.post { _ = box.value.cancel(id: id) }
        let clock = gateway.clock
        thread.enqueue { while clock.runNext(until: -.infinity) {} }
        return true
    }

    /// Cancels the call numbered `id` (the number in `call_7` or `call_d1_7`).
    @discardableResult
    public func cancelCall(id: Int) -> Bool {
        guard let call = activeCalls().first(where: { SandboxSession.callNumber($0.id) == id }) else { return false }
        return cancelCall(id: call.id)
    }

    static func callNumber(_ id: String) -> Int? {
        id.split(separator: "_").last.flatMap { Int($0) }
    }

    /// Every call event from now on (started, sent, retried, finished, failed, with running
    /// totals); the stream ends when the consumer stops iterating. Empty without a gateway.
    public func events() -> AsyncStream<SessionEvent> {
        guard let gateway else { return AsyncStream { $0.finish() } }
        return gateway.events()
    }

    /// The calls not settled yet (queued for a slot, waiting for rate-limit capacity, in flight),
    /// oldest first. Any thread.
    public func activeCalls() -> [ActiveCallSnapshot] {
        gateway?.activeCalls() ?? []
    }
}
