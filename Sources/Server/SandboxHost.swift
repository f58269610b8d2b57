import Foundation
import Sandbox

/// The MCP server's one door to the sandbox session: every tool goes through here.
///
/// The session's synchronous accessors (variables, scope log, context, reset) wait for its VM
/// thread, so all session work runs on one serial queue here, never on Swift's small cooperative
/// pool, one evaluation at a time, in arrival order. What must answer *during* an evaluation
/// (`get_status`, `cancel_call`, progress) uses the session's thread-safe parts: active calls,
/// call cancellation, interrupt, and the events `CallBoard` follows.
final class SandboxHost: @unchecked Sendable {
    private let makeSession: @Sendable () throws -> SandboxSession
    private let queue = DispatchQueue(label: "rlm-plan.mcp.session")
    private let lock = NSLock()
    /// Created on first use (on `queue`), so the server answers `tools/list` before any VM exists.
    private var session: SandboxSession?
    private var context: String?
    /// Calls of the current evaluation and the session's totals, readable from any thread.
    let board = CallBoard()

    init(makeSession: @escaping @Sendable () throws -> SandboxSession) {
        self.makeSession = makeSession
    }

    /// The data last given to `load_context` (what a simulation of the next program should see).
    var loadedContext: String? {
        lock.lock(); defer { lock.unlock() }
        return context
    }

    private func setLoadedContext(_ text: String?) {
        lock.lock(); defer { lock.unlock() }
        context = text
    }

    /// The session if it exists (any thread).
    private var existingSession: SandboxSession? {
        lock.lock(); defer { lock.unlock() }
        return session
    }

    /// Runs `work` on the session's queue and returns its result.
    /// - Throws: `ToolError` when the session cannot be set up (e.g. a malformed rate-limit setting).
    func withSession<T: Sendable>(_ work: @escaping @Sendable (SandboxSession) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                do {
                    continuation.resume(returning: work(try currentSession()))
                } catch {
                    continuation.resume(throwing: ToolError("the sandbox could not be set up: \(error)"))
                }
            }
        }
    }

    /// Only on `queue`.
    private func currentSession() throws -> SandboxSession {
        if let existing = existingSession { return existing }
        let fresh = try makeSession()
        let board = self.board
        // Observers run on the VM thread; the board is thread-safe. `reset` keeps the gateway.
        _ = fresh.gateway?.addObserver { event in board.observe(event) }
        lock.lock(); session = fresh; lock.unlock()
        return fresh
    }

    /// Creates the session (the VM and its preludes), so the first `execute_scheme` starts at
    /// once. Failures are left for the first tool that needs the session to report. (The prompt
    /// tokenizer loads at the first model call: 40 ms in a release build, docs/performance.md.)
    func prepare() async {
        _ = try? await withSession { _ in true }
    }

    /// Evaluates `code` (definitions persist). `timeout` seconds, counted from the start of the
    /// evaluation (not from the wait behind an earlier one), and the calling task's cancellation
    /// interrupt it; its definitions so far stay either way.
    func evaluate(_ code: String, timeout: Double?) async throws -> EvaluationOutcome {
        let run = EvaluationTicket()
        return try await withTaskCancellationHandler {
            try await withSession { [board] session in
                guard run.start(session) else { return EvaluationOutcome(cancelledBeforeStart: ()) }
                let timer = timeout.map { seconds in
                    let item = DispatchWorkItem { if run.interrupt() { run.timedOut = seconds } }
                    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
                    return item
                }
                board.beginEvaluation()
                let result = Self.wait { await session.evaluate(code, sourceName: "execute_scheme") }
                timer?.cancel()
                run.finish()
                let tally = board.endEvaluation(rateLimits: session.gateway?.rateLimits)
                var outcome = EvaluationOutcome(result: result, tally: tally, timedOut: run.timedOut)
                let totals = board.snapshot().totals
                outcome.sessionTokens = totals.inputTokens + totals.outputTokens
                return outcome
            }
        } onCancel: {
            run.cancel()
        }
    }

    /// Blocks this (session queue) thread until `work` ends; the work itself runs on the pool.
    private static func wait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!  // set before the signal
    }

    /// Cancels the model call `id` if it is in flight; the code awaiting it gets a catchable error.
    func cancelCall(id: String) -> Bool {
        existingSession?.cancelCall(id: id) ?? false
    }

    /// The calls not settled yet (any thread).
    func activeCalls() -> [ActiveCallSnapshot] {
        existingSession?.activeCalls() ?? []
    }

    /// Loads `data` as `context` and remembers it for simulations of the next programs.
    func loadContext(_ data: String, name: String?) async throws -> String {
        try await withSession { [self] session in
            let reply = session.loadContext(data, name: name)
            setLoadedContext(data)
            return reply
        }
    }

    func reset() async throws {
        try await withSession { [self] session in
            session.reset()
            setLoadedContext(nil)
        }
    }
}

/// One `execute_scheme`'s way through the queue: waiting, running, done; cancelling it while it
/// waits means it never starts, while it runs means interrupting the session.
final class EvaluationTicket: @unchecked Sendable {
    private enum State { case waiting, running(SandboxSession), done, cancelled }
    private let lock = NSLock()
    private var state = State.waiting
    private var timeout: Double?

    /// Seconds of the timeout that interrupted the evaluation, if one did.
    var timedOut: Double? {
        get { lock.lock(); defer { lock.unlock() }; return timeout }
        set { lock.lock(); timeout = newValue; lock.unlock() }
    }

    /// False when the call was cancelled before its turn came.
    func start(_ session: SandboxSession) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard case .waiting = state else { return false }
        state = .running(session)
        return true
    }

    func finish() {
        lock.lock(); state = .done; lock.unlock()
    }

    func cancel() {
        lock.lock()
        if case .waiting = state { state = .cancelled }
        lock.unlock()
        _ = interrupt()
    }

    /// Interrupts the evaluation if it is running; true when it did.
    func interrupt() -> Bool {
        lock.lock()
        guard case .running(let session) = state else { lock.unlock(); return false }
        lock.unlock()
        return session.interrupt()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// One `execute_scheme`'s result and figures.
struct EvaluationOutcome: Sendable {
    /// nil when the call was cancelled before it started.
    var result: EvaluationResult?
    var tally = CallTally()
    /// The timeout (seconds) that interrupted it, if one did.
    var timedOut: Double?
    /// Tokens of the whole session so far (the original's `execution.tokens`, reference §5.1).
    var sessionTokens = 0

    init(result: EvaluationResult, tally: CallTally, timedOut: Double?) {
        self.result = result
        self.tally = tally
        self.timedOut = timedOut
    }

    init(cancelledBeforeStart: Void) {}
}
