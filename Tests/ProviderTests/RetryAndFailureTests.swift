import Foundation
import ModelServer
import Sandbox
import Testing

/// Retries, timeouts and error kinds, against a real server that misbehaves on purpose.
@Suite("OpenAI provider: retries and failures")
struct RetryAndFailureTests {
    @Test("429 is retried no sooner than Retry-After (whole seconds)")
    func rateLimitedRetryAfterSeconds() async throws {
        let log = RequestLog()
        try await withServer(log.recording(.rateLimited(times: 1, retryAfter: 1))) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            let (result, probe) = await call(provider, query("hello"))
            let reply = try #require(result.success)
            #expect(reply.text == "Reply to: hello")
            #expect(reply.attempts == 2)
            let served = log.all
            try #require(served.count == 2)
            // Server-side arrival times: the retry came at least the header's delay after the 429.
            #expect(served[1].receivedAt - served[0].receivedAt >= 1.0)
            #expect(probe.count == 1)
        }
    }

    @Test("429 is retried no sooner than retry-after-ms, the header OpenAI sends")
    func rateLimitedRetryAfterMilliseconds() async throws {
        let log = RequestLog()
        let counter = LockedCounter()
        let behavior = ServerBehavior { request in
            counter.next() < 2 ? .error(status: 429, message: "slow down", headers: [("retry-after-ms", "150")]) : EchoModel.respond(to: request)
        }
        try await withServer(log.recording(behavior)) { server in
            let (result, _) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let outcome = try #require(result.success)
            #expect(outcome.attempts == 3)
            let served = log.all
            try #require(served.count == 3)
            #expect(served[1].receivedAt - served[0].receivedAt >= 0.15)
            #expect(served[2].receivedAt - served[1].receivedAt >= 0.15)
        }
    }

    @Test("500 then success: one retry")
    func serverErrorThenSuccess() async throws {
        try await withServer(.failing(status: 500, times: 1)) { server in
            let (result, _) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let outcome = try #require(result.success)
            #expect(outcome.attempts == 2)
            #expect(server.requestsReceived == 2)
        }
    }

    @Test("persistent 503 fails after RLM_MAX_RETRIES retries with the server's message")
    func retriesExhausted() async throws {
        try await withServer(.failing(status: 503, times: 100, message: "overloaded, try later")) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server, maxRetries: 2))
            let (result, probe) = await call(provider, query("x"))
            let error = try #require(result.failure)
            #expect(error.kind == .http)
            #expect(error.status == 503)
            #expect(error.attempts == 3)
            #expect(error.message == "overloaded, try later")
            #expect(error.description == "API 503: overloaded, try later")
            #expect(server.requestsReceived == 3)
            #expect(probe.count == 1)
        }
    }

    @Test("maxRetries 0 disables retrying")
    func noRetries() async throws {
        try await withServer(.failing(status: 500, times: 1)) { server in
            let (result, _) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server, maxRetries: 0)), query("x"))
            let outcome = try #require(result.failure)
            #expect(outcome.attempts == 1)
            #expect(server.requestsReceived == 1)
        }
    }

    @Test("client errors are not retried", arguments: [400, 401, 403, 404])
    func clientErrorsNotRetried(status: Int) async throws {
        try await withServer(.alwaysFailing(status: status, message: "nope \(status)")) { server in
            let (result, probe) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let error = try #require(result.failure)
            #expect(error.kind == .http)
            #expect(error.status == status)
            #expect(error.attempts == 1)
            #expect(error.message == "nope \(status)")
            #expect(server.requestsReceived == 1)
            #expect(probe.count == 1)
        }
    }

    @Test("a server that never answers times out per attempt, is retried, then fails with .timeout")
    func timeout() async throws {
        try await withServer(.neverAnswer) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server, timeout: 0.2, maxRetries: 1))
            let (result, probe) = await call(provider, query("x"))
            let error = try #require(result.failure)
            #expect(error.kind == .timeout)
            #expect(error.attempts == 2)
            #expect(server.requestsReceived == 2)
            try await Task.sleep(nanoseconds: 100_000_000)
            #expect(probe.count == 1)
        }
    }

    @Test("a 2xx body that is not a chat completion is .malformed and not retried",
          arguments: [#"{"unexpected": "shape"}"#, "<html>oops</html>", #"{"choices": []}"#, ""])
    func malformed(body: String) async throws {
        try await withServer(.malformedBody(body)) { server in
            let (result, _) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let error = try #require(result.failure)
            #expect(error.kind == .malformed)
            #expect(error.attempts == 1)
            #expect(server.requestsReceived == 1)
        }
    }

    @Test("a refused connection is a transport error, retried")
    func connectionRefused() async throws {
        let server = LocalModelServer()
        try server.start()
        let configuration = testConfiguration(server, maxRetries: 2)
        server.stop()
        let (result, _) = await call(OpenAICompatibleProvider(configuration: configuration), query("x"))
        let error = try #require(result.failure)
        #expect(error.kind == .transport)
        #expect(error.attempts == 3)
    }
}

/// A thread-safe counter for hand-written behaviours.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
