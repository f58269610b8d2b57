import Foundation
import ModelServer
import Sandbox
import Testing

/// Retries, backoff and timeouts run on a session's clock (so a simulation's take virtual time),
/// and a server's `Retry-After` is honoured only up to a cap.
@Suite("Retries on the clock and the Retry-After cap")
struct RetryOnClockTests {
    @Test("Retry-After: 3600 ends the call at once with an error naming the wait and the cap")
    func retryAfterOverTheCapIsAnError() async throws {
        try await withServer(.rateLimited(times: 100, retryAfter: 3600)) { server in
            let started = Date()
            let (result, probe) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let error = try #require(result.failure)
            #expect(error.status == 429)
            #expect(error.attempts == 1)
            #expect(error.message.contains("asked to wait 3600 s"))
            #expect(error.message.contains("60 s allowed"))
            #expect(error.message.contains("RLM_MAX_RETRY_AFTER_SECONDS"))
            #expect(server.requestsReceived == 1)
            // Not the hour asked for (a generous bound: the machine may be loaded).
            #expect(Date().timeIntervalSince(started) < 1800)
            #expect(probe.count == 1)
        }
    }

    @Test("the Retry-After cap is configurable: a 1 s wait over a 0.5 s cap is refused, under a 2 s cap honoured")
    func retryAfterCapConfigurable() async throws {
        try await withServer(.rateLimited(times: 1, retryAfter: 1)) { server in
            var configuration = testConfiguration(server)
            configuration.maxRetryAfter = 0.5
            let (refused, _) = await call(OpenAICompatibleProvider(configuration: configuration), query("x"))
            #expect(refused.failure?.message.contains("asked to wait 1 s") == true)
        }
        try await withServer(.rateLimited(times: 1, retryAfter: 1)) { server in
            var configuration = testConfiguration(server)
            configuration.maxRetryAfter = 2
            let (honoured, _) = await call(OpenAICompatibleProvider(configuration: configuration), query("x"))
            #expect(honoured.success?.attempts == 2)
        }
    }

    @Test("RLM_MAX_RETRY_AFTER_SECONDS sets the cap; a bad value is a configuration error naming it")
    func retryAfterCapFromEnvironment() throws {
        let configuration = try OpenAIConfiguration.fromEnvironment(["RLM_MAX_RETRY_AFTER_SECONDS": "5"], dotEnvPath: nil)
        #expect(configuration.maxRetryAfter == 5)
        #expect(RetryPolicy(configuration).maxRetryAfter == 5)
        #expect(try OpenAIConfiguration.fromEnvironment([:], dotEnvPath: nil).maxRetryAfter == 60)
        #expect(throws: ProviderError.self) { try OpenAIConfiguration.fromEnvironment(["RLM_MAX_RETRY_AFTER_SECONDS": "soon"], dotEnvPath: nil) }
    }

    @Test("on a virtual clock, two 503s then a reply take the backoff (2 s + 4 s) in virtual time, not real time")
    func backoffInVirtualTime() throws {
        let clock = VirtualClock()
        let base = ClockedProvider(clock: clock, latency: 1, failures: 2)
        let provider = RetryingProvider(base: base, policy: RetryPolicy(maxRetries: 3, baseDelay: 2, jitter: 0), timers: .clock(clock))
        let started = Date()
        let result = drive(clock) { provider.start(query("x"), cancellation: CallCancellation(), completion: $0) }
        let reply = try #require(result?.success)
        #expect(reply.attempts == 3)
        // 1 s attempt, 2 s backoff, 1 s attempt, 4 s backoff, 1 s attempt.
        #expect(abs(clock.now() - 9) < 1e-9)
        #expect(abs(reply.latency - 9) < 1e-9)
        #expect(base.attempts == [1, 2, 3])
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("on a virtual clock, an attempt that never answers times out after the attempt timeout and is cancelled")
    func timeoutInVirtualTime() throws {
        let clock = VirtualClock()
        let base = ClockedProvider(clock: clock, latency: .infinity, failures: 0)
        let policy = RetryPolicy(maxRetries: 1, baseDelay: 2, jitter: 0, attemptTimeout: 30)
        let provider = RetryingProvider(base: base, policy: policy, timers: .clock(clock), target: "the simulated provider")
        let result = drive(clock) { provider.start(query("x"), cancellation: CallCancellation(), completion: $0) }
        let error = try #require(result?.failure)
        #expect(error.kind == .timeout)
        #expect(error.attempts == 2)
        #expect(error.message == "no reply within 30 s from the simulated provider")
        #expect(abs(clock.now() - 62) < 1e-9)
        #expect(base.cancelledAttempts == 2)
    }

    @Test("exhausted retries end with the last attempt's error; a 400 is not retried")
    func exhaustedAndNotRetryable() throws {
        let clock = VirtualClock()
        let failing = ClockedProvider(clock: clock, latency: 0.5, failures: 100)
        let policy = RetryPolicy(maxRetries: 2, baseDelay: 1, jitter: 0)
        let result = drive(clock) { RetryingProvider(base: failing, policy: policy, timers: .clock(clock)).start(query("x"), cancellation: CallCancellation(), completion: $0) }
        let error = try #require(result?.failure)
        #expect(error.status == 503)
        #expect(error.attempts == 3)
        let clock2 = VirtualClock()
        let refusing = ClockedProvider(clock: clock2, latency: 0.5, failures: 100, status: 400)
        let result2 = drive(clock2) { RetryingProvider(base: refusing, policy: policy, timers: .clock(clock2)).start(query("x"), cancellation: CallCancellation(), completion: $0) }
        #expect(result2?.failure?.attempts == 1)
    }

    @Test("cancelling during a virtual backoff completes once with .cancelled and starts no further attempt")
    func cancelDuringVirtualBackoff() throws {
        let clock = VirtualClock()
        let base = ClockedProvider(clock: clock, latency: 1, failures: 100)
        let provider = RetryingProvider(base: base, policy: RetryPolicy(maxRetries: 3, baseDelay: 10, jitter: 0), timers: .clock(clock))
        let cancellation = CallCancellation()
        clock.schedule(at: 5) { cancellation.cancel() }
        let result = drive(clock) { provider.start(query("x"), cancellation: cancellation, completion: $0) }
        #expect(result?.failure?.kind == .cancelled)
        #expect(base.attempts == [1])
    }

    /// Starts a call and runs `clock` until it completes (the VM thread's loop, in miniature).
    private func drive(_ clock: VirtualClock,
                       _ start: (@escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) -> Void) -> Result<ModelReply, ProviderError>? {
        let box = ResultBox()
        start { box.set($0) }
        while box.value == nil, clock.runNext(until: .infinity) {}
        return box.value
    }
}

/// A provider that answers on a virtual clock after `latency`, failing its first `failures`
/// attempts with `status`.
final class ClockedProvider: Provider, @unchecked Sendable {
    private let clock: VirtualClock
    private let latency: Double
    private let failures: Int
    private let status: Int
    private let lock = NSLock()
    private var seen: [Int] = []
    private var cancelled = 0

    init(clock: VirtualClock, latency: Double, failures: Int, status: Int = 503) {
        self.clock = clock
        self.latency = latency
        self.failures = failures
        self.status = status
    }

    var attempts: [Int] { lock.lock(); defer { lock.unlock() }; return seen }
    var cancelledAttempts: Int { lock.lock(); defer { lock.unlock() }; return cancelled }

    func start(_ request: ModelRequest, cancellation: CallCancellation,
               completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        startAttempt(request, attempt: ProviderAttempt(number: 1, call: 0), cancellation: cancellation, completion: completion)
    }

    func startAttempt(_ request: ModelRequest, attempt: ProviderAttempt, cancellation: CallCancellation,
                      completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        lock.lock()
        seen.append(attempt.number)
        let fail = seen.count <= failures
        lock.unlock()
        cancellation.onCancel { [self] in lock.lock(); cancelled += 1; lock.unlock() }
        guard latency.isFinite else { return }
        let status = self.status
        clock.schedule(at: clock.now() + latency) {
            if cancellation.isCancelled { return }
            completion(fail ? .failure(ProviderError(.http, status: status, message: "injected")) : .success(ModelReply(text: "ok", promptTokens: 1, completionTokens: 1)))
        }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<ModelReply, ProviderError>?
    var value: Result<ModelReply, ProviderError>? { lock.lock(); defer { lock.unlock() }; return result }
    func set(_ r: Result<ModelReply, ProviderError>) { lock.lock(); if result == nil { result = r }; lock.unlock() }
}
