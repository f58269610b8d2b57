import Foundation
import ModelServer
import Sandbox
import Testing

/// The local server's rate limits, which the rate-limited calibration acceptance measures
/// against: OpenAI's headers, a bucket per model that refills continuously, and 429s that say
/// when to come back.
@Suite struct ServerRateLimitTests {
    static let behavior = ServerBehavior.profiled(
        ["m": ModelProfile(ttft: 0.1, secondsPerPromptToken: 0, tokensPerSecond: 100, replyMedian: 10)],
        fallback: ModelProfile(ttft: 0.1, secondsPerPromptToken: 0, tokensPerSecond: 100, replyMedian: 10), seed: 1,
        rateLimit: ServerRateLimit(requestsPerMinute: 2, tokensPerMinute: 10_000),
        promptTokens: { _ in 100 }, countTokens: { $0.split(separator: " ").count })

    static func request(_ sequence: Int, model: String = "m", at time: Double, maxTokens: Int? = 900) -> ServedRequest {
        var body: [String: Any] = ["model": model, "messages": [["role": "user", "content": "hi"]]]
        if let maxTokens { body["max_tokens"] = maxTokens }
        return ServedRequest(sequence: sequence, connection: 0, receivedAt: time, method: "POST", path: "/v1/chat/completions",
                             headers: [:], body: Array((try? JSONSerialization.data(withJSONObject: body)) ?? Data()))
    }

    static func headers(_ response: ServedResponse) -> [String: String] {
        Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("2 RPM: two requests at once, the third gets 429 with retry-after saying when a request is back (30 s), which holds")
    func requestsBucket() throws {
        let first = Self.behavior.respond(Self.request(0, at: 100))
        let second = Self.behavior.respond(Self.request(1, at: 100))
        let third = Self.behavior.respond(Self.request(2, at: 100))
        #expect(first.status == 200 && second.status == 200 && third.status == 429)
        let h1 = Self.headers(first), h2 = Self.headers(second), h3 = Self.headers(third)
        #expect(h1["x-ratelimit-limit-requests"] == "2" && h1["x-ratelimit-remaining-requests"] == "1")
        #expect(h1["x-ratelimit-reset-requests"] == "30s", "one of two used: full again in 30 s")
        #expect(h2["x-ratelimit-remaining-requests"] == "0" && h2["x-ratelimit-reset-requests"] == "1m0s")
        #expect(h3["retry-after-ms"] == "30000" && h3["retry-after"] == "30")
        #expect(RetryPolicy.retryAfterSeconds(in: h3) == 30)
        // Tokens: 100 prompt + 900 max_tokens per admitted request, of 10 000 a minute.
        #expect(h2["x-ratelimit-limit-tokens"] == "10000" && h2["x-ratelimit-remaining-tokens"] == "8000")
        #expect(Self.behavior.respond(Self.request(3, at: 129.9)).status == 429)
        #expect(Self.behavior.respond(Self.request(4, at: 130)).status == 200)
        // Each model has its own buckets.
        #expect(Self.behavior.respond(Self.request(5, model: "other", at: 130)).status == 200)
    }

    @Test("a request without max_tokens is charged 4096 output tokens against TPM; one past the bucket waits for the refill")
    func tokensBucket() {
        let behavior = ServerBehavior.profiled(
            [:], fallback: ModelProfile(ttft: 0.1, secondsPerPromptToken: 0, tokensPerSecond: 100, replyMedian: 10), seed: 1,
            rateLimit: ServerRateLimit(requestsPerMinute: 1000, tokensPerMinute: 6000),
            promptTokens: { _ in 104 }, countTokens: { _ in 10 })
        let first = behavior.respond(Self.request(0, at: 0, maxTokens: nil))
        #expect(first.status == 200)
        #expect(Self.headers(first)["x-ratelimit-remaining-tokens"] == "1800")
        let second = behavior.respond(Self.request(1, at: 0, maxTokens: nil))
        #expect(second.status == 429)
        // 4200 tokens need 4200 - 1800 = 2400 more, at 100 a second.
        #expect(Self.headers(second)["retry-after-ms"] == "24000")
    }

    @Test("the client's limiter reads the server's headers as the server means them: after one request of 2 a minute, the next may go at once, the third in 30 s")
    func limiterAgreesWithServer() {
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 2))
        let reply = Self.behavior.respond(Self.request(0, model: "fresh", at: 0))
        let snapshot = RateLimitSnapshot(limitRequests: 2, remainingRequests: Int(Self.headers(reply)["x-ratelimit-remaining-requests"] ?? "") ?? -1,
                                         resetRequests: Self.headers(reply)["x-ratelimit-reset-requests"] ?? "")
        #expect(limiter.admit(model: "fresh", tokens: 0, now: 0) == 0)
        limiter.observe(snapshot, model: "fresh", now: 0)
        #expect(limiter.admit(model: "fresh", tokens: 0, now: 0) == 0)
        #expect(abs(limiter.admit(model: "fresh", tokens: 0, now: 0) - 30) < 1e-6)
    }
}
