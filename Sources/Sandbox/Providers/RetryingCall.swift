import Foundation

/// Where a call's timers (attempt timeouts, backoff sleeps) run.
///
/// In a session they run on its `EventClock`, so a simulation's retries take virtual time and a
/// real run's take real time through the same code; a provider used on its own (no scheduler
/// pumping a clock) runs them on a dispatch queue in real time.
public struct CallTimers: Sendable {
    /// Seconds on this timer source's clock.
    let now: @Sendable () -> Double
    /// Runs `action` at `time` (as `now` counts), from whatever thread the source uses.
    let schedule: @Sendable (_ time: Double, _ action: @escaping @Sendable () -> Void) -> Void

    /// Timers on `clock`: actions run on the session's VM thread when the scheduler pumps it.
    public static func clock(_ clock: any EventClock) -> CallTimers {
        CallTimers(now: { clock.now() }, schedule: { time, action in clock.schedule(at: time, action) })
    }

    /// Real-time timers on the global dispatch queue, for a provider used outside a session.
    public static let dispatch = CallTimers(
        now: { MonotonicClock.seconds() },
        schedule: { time, action in
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, time - MonotonicClock.seconds()), execute: action)
        })
}

/// One model call from start to its single completion, over any provider's single attempts:
/// per-attempt timeouts, backoff sleeps between attempts (`RetryPolicy`: jitter, `Retry-After`
/// and its cap), and cancellation. The one retry loop of both worlds.
///
/// Every event (an attempt's outcome, a timer, a cancel) may arrive on any thread and is settled
/// under `lock`; whatever loses a race is ignored. `finished` guards the completion, so it runs
/// exactly once on every path:
///
///     begin ─► attempt n ─┬─ reply ───────────────────────────────► success
///                         ├─ retryable & retries left ─► backoff ─► attempt n+1
///                         ├─ Retry-After over the cap ────────────► failure (says so)
///                         ├─ retryable, none left / other error ──► failure
///     cancel (any time) ──┴───────────────────────────────────────► .cancelled
final class RetryingCall: @unchecked Sendable {
    typealias Completion = @Sendable (Result<ModelReply, ProviderError>) -> Void
    typealias AttemptStarter = @Sendable (ProviderAttempt, CallCancellation, @escaping Completion) -> Void

    private let policy: RetryPolicy
    private let timers: CallTimers
    private let callID = CallIdentity.next()
    /// Names the model and the server in timeout messages and retry-log lines (never a key).
    private let model: String
    private let target: String
    private let retryLog: (@Sendable (String) -> Void)?
    /// A number in [0, 1) for the jitter of retry `n` (seeded in a simulation).
    private let unitRandom: @Sendable (_ attempt: Int) -> Double
    private let startOne: AttemptStarter
    private let completion: Completion
    private let startTime: Double

    private let lock = NSLock()
    private var finished = false
    /// Attempts started so far; the number of the current one.
    private var attempt = 0
    /// Whether the current attempt has an outcome (its answer, timeout or failure).
    private var attemptSettled = false
    /// Cancels the current attempt (a timeout, or the whole call being cancelled).
    private var attemptCancellation: CallCancellation?

    init(policy: RetryPolicy, timers: CallTimers, model: String, target: String,
         retryLog: (@Sendable (String) -> Void)?, unitRandom: @escaping @Sendable (Int) -> Double,
         startAttempt: @escaping AttemptStarter, completion: @escaping Completion) {
        self.policy = policy
        self.timers = timers
        self.model = model
        self.target = target
        self.retryLog = retryLog
        self.unitRandom = unitRandom
        self.startOne = startAttempt
        self.completion = completion
        startTime = timers.now()
    }

    /// Starts the first attempt; `cancellation` may fire at any time after (or already have).
    func begin(cancellation: CallCancellation) {
        cancellation.onCancel { [weak self] in self?.cancel() }
        startAttempt()
    }

    private func startAttempt() {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        attempt += 1
        attemptSettled = false
        let number = attempt
        let cancellation = CallCancellation()
        attemptCancellation = cancellation
        lock.unlock()
        // Strong: a provider that never answers may hold nothing of the call, and the timeout
        // must still fire (a finished call lingers until then, a few hundred bytes).
        timers.schedule(timers.now() + policy.attemptTimeout) { self.attemptTimedOut(number) }
        startOne(ProviderAttempt(number: number, call: callID), cancellation) { [self] result in attemptEnded(number, result) }
    }

    /// Marks attempt `number` as decided; false if the call or that attempt already is (a late
    /// answer after a timeout, the cancelled attempt's own completion).
    private func settle(_ number: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !finished, number == attempt, !attemptSettled else { return false }
        attemptSettled = true
        return true
    }

    private func attemptTimedOut(_ number: Int) {
        guard settle(number) else { return }
        lock.lock()
        let cancellation = attemptCancellation
        lock.unlock()
        cancellation?.cancel()
        failed(ProviderError(.timeout, message: "no reply within \(Self.format(policy.attemptTimeout)) s from \(target)",
                             attempts: number))
    }

    private func attemptEnded(_ number: Int, _ outcome: Result<ModelReply, ProviderError>) {
        guard settle(number) else { return }
        switch outcome {
        case .success(var reply):
            reply.attempts = number
            reply.latency = timers.now() - startTime
            finish(.success(reply))
        case .failure(var error):
            error.attempts = number
            if error.kind == .cancelled { return finish(.failure(error)) }
            failed(error)
        }
    }

    /// Retries after the backoff when the error is retryable and retries remain; otherwise ends
    /// with `error`. A server asking to wait longer than the policy allows ends the call too.
    private func failed(_ error: ProviderError) {
        guard RetryPolicy.isRetryable(error), error.attempts <= policy.maxRetries else { return finish(.failure(error)) }
        if let asked = error.retryAfter, asked > policy.maxRetryAfter {
            var refused = error
            refused.message += "; the server asked to wait \(Self.format(asked)) s before retrying (Retry-After), longer than the "
                + "\(Self.format(policy.maxRetryAfter)) s allowed (RLM_MAX_RETRY_AFTER_SECONDS)"
            return finish(.failure(refused))
        }
        let delay = policy.delay(beforeRetry: error.attempts - 1, retryAfter: error.retryAfter, unitRandom: unitRandom(error.attempts))
        retryLog?("\(model): \(error.description); retry \(error.attempts)/\(policy.maxRetries) in \(Self.format(delay))s")
        lock.lock()
        guard !finished else { lock.unlock(); return }
        attemptCancellation = nil
        lock.unlock()
        // Strong: between attempts nothing else keeps the call alive, so the sleep must.
        timers.schedule(timers.now() + delay) { self.startAttempt() }
    }

    /// Ends the call with `.cancelled` unless it already ended; stops the attempt in flight (a
    /// backoff sleep finds the call finished and does nothing).
    private func cancel() {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        finished = true
        let cancellation = attemptCancellation, attempts = attempt
        attemptCancellation = nil
        lock.unlock()
        cancellation?.cancel()
        // Through the timers, not on the cancelling thread: `cancel()` may be called with the
        // caller's locks held, and in a session the completion must arrive through its clock.
        let completion = self.completion
        timers.schedule(timers.now()) {
            completion(.failure(ProviderError(.cancelled, message: "the call was cancelled", attempts: attempts)))
        }
    }

    private func finish(_ result: Result<ModelReply, ProviderError>) {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        finished = true
        attemptCancellation = nil
        lock.unlock()
        completion(result)
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(format: "%.3g", seconds)
    }
}

/// Process-wide call numbers for `ProviderAttempt.call`.
private enum CallIdentity {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last: UInt64 = 0

    static func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        last &+= 1
        return last
    }
}

/// Any provider's single attempts, retried per `RetryPolicy` on `timers`: how a world puts the
/// simulator's mock provider (or any provider without retries of its own) under the same retry
/// policy as the HTTP provider.
///
/// ```swift
/// let provider = RetryingProvider(base: mock, policy: RetryPolicy(maxRetries: 3), timers: .clock(virtualClock))
/// ```
public final class RetryingProvider: Provider {
    public let base: any Provider
    public let policy: RetryPolicy
    private let timers: CallTimers
    private let target: String
    private let retryLog: (@Sendable (String) -> Void)?
    private let unitRandom: @Sendable (ModelRequest, Int) -> Double

    /// - Parameters:
    ///   - base: Makes one attempt per `startAttempt` (see `Provider.startAttempt`).
    ///   - target: Names the provider in timeout messages ("no reply within 120 s from …").
    ///   - retryLog: One line before each retry (the `[rlm]` log), never with a key.
    ///   - unitRandom: The jitter draw for a request's retry `n`, in [0, 1); seeded in simulations.
    public init(base: any Provider, policy: RetryPolicy, timers: CallTimers, target: String = "the provider",
                retryLog: (@Sendable (String) -> Void)? = nil,
                unitRandom: @escaping @Sendable (ModelRequest, Int) -> Double = { _, _ in Double.random(in: 0..<1) }) {
        self.base = base
        self.policy = policy
        self.timers = timers
        self.target = target
        self.retryLog = retryLog
        self.unitRandom = unitRandom
    }

    public func start(_ request: ModelRequest, cancellation: CallCancellation,
                      completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let base = self.base, draw = unitRandom
        let call = RetryingCall(
            policy: policy, timers: timers, model: request.model, target: target, retryLog: retryLog,
            unitRandom: { draw(request, $0) },
            startAttempt: { attempt, attemptCancellation, done in
                base.startAttempt(request, attempt: attempt, cancellation: attemptCancellation, completion: done)
            },
            completion: completion)
        call.begin(cancellation: cancellation)
    }
}
