import Foundation
import Sandbox

/// The MCP server's one door to the sandbox session: every tool goes through here, so moving to
/// another session API is a change in this file only.
///
/// The session evaluates on its own VM thread and its accessors wait for that thread; so all session
/// work runs on one serial queue here (never on Swift's small cooperative pool), one evaluation at a
/// time, in arrival order. What must answer *during* an evaluation (`get_status`, progress) reads
/// `CallBoard`, which the gateway's observer keeps up to date from the VM thread.
final class SandboxHost: @unchecked Sendable {
    private let makeSession: @Sendable () throws -> SandboxSession
    private let queue = DispatchQueue(label: "rlm-plan.mcp.session")
    /// Created on first use (on `queue`), so the server answers `tools/list` before any VM exists.
    private var session: SandboxSession?
    /// Calls in flight and the running totals, readable from any thread.
    let board = CallBoard()
    private let contextLock = NSLock()
    private var context: String?

    /// The data last given to `load_context` (what a simulation of the next program should see).
    var loadedContext: String? {
        contextLock.lock(); defer { contextLock.unlock() }
        return context
    }

    private func setLoadedContext(_ text: String?) {
        contextLock.lock(); defer { contextLock.unlock() }
        context = text
    }

    init(makeSession: @escaping @Sendable () throws -> SandboxSession) {
        self.makeSession = makeSession
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
        if let session { return session }
        let fresh = try makeSession()
        let board = self.board
        // Observers fire on the VM thread; the board is thread-safe. Added before any evaluation,
        // and `reset` keeps the gateway, so this is done once.
        fresh.gateway?.observers.append { event in board.observe(event) }
        session = fresh
        return fresh
    }

    /// Evaluates `code`; the figures in the outcome are this evaluation's. `timeout` seconds
    /// (counted from the start of the evaluation, not from the wait in the queue) and the calling
    /// task's cancellation interrupt it; the session keeps its definitions either way.
    func evaluate(_ code: String, timeout: Double?) async throws -> EvaluationOutcome {
        let cancelled = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withSession { [self, board] session in
                let timer = timeout.map { seconds in
                    let item = DispatchWorkItem { [self] in interrupt() }
                    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
                    return item
                }
                defer { timer?.cancel() }
                board.beginEvaluation()
                let started = Date()
                var outcome = EvaluationOutcome(status: .error, value: "", stdout: "", message: "execute_scheme: cancelled before it started")
                if !cancelled.isSet {
                    let result = session.eval(code, sourceName: "execute_scheme")
                    outcome = EvaluationOutcome(status: result.status, value: result.result, stdout: result.stdout,
                                                message: result.status == .error ? result.error?.messageWithPosition ?? "evaluation failed" : nil)
                }
                outcome.elapsed = Date().timeIntervalSince(started)
                outcome.tally = board.endEvaluation(rateLimits: session.gateway?.rateLimits)
                outcome.sessionTokens = session.usage.totalTokens
                return outcome
            }
        } onCancel: { [self] in
            cancelled.set()
            interrupt()
        }
    }

    /// Stops the running evaluation at its next safe point.
    func interrupt() {
        // The session's interrupt arrives with the session API (issue 9); until then an
        // evaluation runs to its end or its wall-clock limit.
    }
}

/// One `execute_scheme`'s result and figures.
struct EvaluationOutcome: Sendable {
    var status: EvalResult.Status
    /// `finish`'s value rendered with display semantics (status `finished`).
    var value: String
    var stdout: String
    /// The error with its position (status `error`).
    var message: String?
    var tally = CallTally()
    var elapsed = 0.0
    /// Tokens of the whole session so far (the original's `execution.tokens`, reference §5.1).
    var sessionTokens = 0
}

extension SandboxHost {
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

/// Set from any thread, read on the session queue.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

extension SandboxHost {
    /// Cancels the model call `id` if it is in flight.
    func cancelCall(id: String) -> Bool {
        // Arrives with the session API (issue 9).
        false
    }
}
