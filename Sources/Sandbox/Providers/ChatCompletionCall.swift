import Foundation

/// One model call from start to its single completion: attempts, per-attempt timeouts, backoff
/// sleeps between attempts, and cancellation.
///
/// Every event (an HTTP answer, a timer, a cancel) arrives on some thread and is settled under
/// `lock`; whatever loses a race is ignored. `finished` guards the completion, so it runs exactly
/// once on every path:
///
///     begin ─► attempt n ─┬─ 2xx chat completion ──────────────► success
///                         ├─ 2xx other body ───────────────────► .malformed
///                         ├─ retryable & retries left ─► backoff ─► attempt n+1
///                         ├─ retryable, none left / other error ► failure
///     cancel (any time) ──┴────────────────────────────────────► .cancelled
final class ChatCompletionCall: @unchecked Sendable {
    /// Longest server message quoted in an error.
    static let quotedMessageLimit = 300

    private let request: HTTPRequest
    private let transport: CurlTransport
    private let policy: RetryPolicy
    private let attemptTimeout: Double
    private let scrubber: SecretScrubber
    private let model: String
    private let retryLog: (@Sendable (String) -> Void)?
    private let completion: @Sendable (Result<ModelReply, ProviderError>) -> Void
    private let startTime = MonotonicClock.seconds()

    private let lock = NSLock()
    private var finished = false
    /// Attempts started so far; the number of the current one.
    private var attempt = 0
    /// Whether the current attempt has an outcome (its answer, timeout or transport error).
    private var attemptSettled = false
    private var transfer: CurlTransfer?
    /// The current attempt's timeout, or the pending backoff sleep.
    private var timer: DispatchWorkItem?

    init(request: HTTPRequest, transport: CurlTransport, policy: RetryPolicy, attemptTimeout: Double,
         scrubber: SecretScrubber, model: String, retryLog: (@Sendable (String) -> Void)?,
         completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        self.request = request
        self.transport = transport
        self.policy = policy
        self.attemptTimeout = attemptTimeout
        self.scrubber = scrubber
        self.model = model
        self.retryLog = retryLog
        self.completion = completion
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
        // The transport never completes inside `send`, so holding `lock` here is safe.
        transfer = transport.send(request) { [self] result in attemptEnded(number, result) }
        // Weak: the transfer's completion keeps the call alive while the attempt runs, and a
        // finished call should not linger in the timer queue for the rest of the timeout.
        let timeout = DispatchWorkItem { [weak self] in self?.attemptTimedOut(number) }
        timer = timeout
        lock.unlock()
        DispatchQueue.global().asyncAfter(deadline: .now() + attemptTimeout, execute: timeout)
    }

    /// Marks attempt `number` as decided; false if the call or that attempt already is (a late
    /// answer after a timeout, the cancelled transfer's own completion).
    private func settle(_ number: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !finished, number == attempt, !attemptSettled else { return false }
        attemptSettled = true
        timer?.cancel()
        timer = nil
        return true
    }

    private func attemptTimedOut(_ number: Int) {
        guard settle(number) else { return }
        lock.lock()
        let transfer = self.transfer
        lock.unlock()
        transfer?.cancel()
        let message = "no reply within \(Self.format(attemptTimeout)) s from \(host)"
        failed(ProviderError(.timeout, message: message, attempts: number), retryAfter: nil, retryable: true)
    }

    private func attemptEnded(_ number: Int, _ outcome: Result<HTTPResponse, TransportError>) {
        guard settle(number) else { return }
        let response: HTTPResponse
        switch outcome {
        case .success(let answer):
            response = answer
        case .failure(let error) where error.kind == .timedOut:
            return failed(ProviderError(.timeout, message: "no reply within \(Self.format(attemptTimeout)) s from \(host)",
                                        attempts: number), retryAfter: nil, retryable: true)
        case .failure(let error) where error.kind == .cancelled:
            // Only this call cancels its transfers, and it settles the attempt first; kept for safety.
            return finish(.failure(ProviderError(.cancelled, message: "the call was cancelled", attempts: number)))
        case .failure(let error):
            let text = scrubber.clean("\(host): \(error.message)", limit: Self.quotedMessageLimit)
            return failed(ProviderError(.transport, message: text, attempts: number), retryAfter: nil, retryable: true)
        }
        let body = response.body, headers = response.headers, status = response.status
        if (200...299).contains(status) {
            guard let completion = ChatCompletionCodec.decodeCompletion(body) else {
                let excerpt = String(decoding: body.prefix(4096), as: UTF8.self)
                let text = scrubber.clean("HTTP \(status) but the body is not a chat completion: \(excerpt)",
                                          limit: Self.quotedMessageLimit)
                finish(.failure(ProviderError(.malformed, status: nil, message: text, attempts: number)))
                return
            }
            let reply = ModelReply(text: completion.text, promptTokens: completion.promptTokens,
                                   completionTokens: completion.completionTokens,
                                   latency: MonotonicClock.seconds() - startTime,
                                   rateLimits: RateLimitSnapshot(headers: headers), attempts: number)
            finish(.success(reply))
            return
        }
        let serverMessage = ChatCompletionCodec.errorMessage(in: body)
        let text = scrubber.clean(serverMessage.isEmpty ? "HTTP \(status)" : serverMessage, limit: Self.quotedMessageLimit)
        failed(ProviderError(.http, status: status, message: text, attempts: number),
               retryAfter: RetryPolicy.retryAfterSeconds(in: headers), retryable: RetryPolicy.isRetryable(status: status))
    }

    /// Retries after the backoff when `retryable` and retries remain; otherwise ends with `error`.
    private func failed(_ error: ProviderError, retryAfter: Double?, retryable: Bool) {
        guard retryable, error.attempts <= policy.maxRetries else { return finish(.failure(error)) }
        let delay = policy.delay(beforeRetry: error.attempts - 1, retryAfter: retryAfter, unitRandom: Double.random(in: 0..<1))
        retryLog?(scrubber.clean("\(model): \(error.description); retry \(error.attempts)/\(policy.maxRetries) in \(Self.format(delay))s",
                                 limit: 400))
        // Strong: between attempts nothing else keeps the call alive (the finished transfer
        // has released its completion), so the sleep must.
        let sleep = DispatchWorkItem { self.startAttempt() }
        lock.lock()
        guard !finished else { lock.unlock(); return }
        transfer = nil
        timer = sleep
        lock.unlock()
        DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: sleep)
    }

    /// Ends the call with `.cancelled` unless it already ended; stops the request in flight or
    /// the backoff sleep.
    private func cancel() {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        finished = true
        let transfer = self.transfer, timer = self.timer, attempts = attempt
        self.transfer = nil
        self.timer = nil
        lock.unlock()
        timer?.cancel()
        transfer?.cancel()
        // Not on the cancelling thread: `cancel()` may be called with the caller's locks held.
        let completion = self.completion
        DispatchQueue.global().async {
            completion(.failure(ProviderError(.cancelled, message: "the call was cancelled", attempts: attempts)))
        }
    }

    private func finish(_ result: Result<ModelReply, ProviderError>) {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        finished = true
        let timer = self.timer
        self.transfer = nil
        self.timer = nil
        lock.unlock()
        timer?.cancel()
        completion(result)
    }

    private var host: String {
        let url = URL(string: request.url)
        let port = url?.port.map { ":\($0)" } ?? ""
        return scrubber.clean((url?.host ?? "server") + port)
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(format: "%.3g", seconds)
    }
}
