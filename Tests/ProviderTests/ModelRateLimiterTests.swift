import Sandbox
import Testing

/// The limiter with explicit times: no sleeping, no clock.
@Suite("ModelRateLimiter")
struct ModelRateLimiterTests {
    @Test("unlimited by default: every request goes now")
    func unlimited() {
        let limiter = ModelRateLimiter()
        for i in 0..<1000 { #expect(limiter.admit(model: "m", tokens: 1_000_000, now: Double(i) * 0.001) == Double(i) * 0.001) }
    }

    @Test("requests per minute: a minute's allowance at once, then evenly spaced")
    func requestsPerMinute() {
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 3))
        let times = (0..<6).map { _ in limiter.admit(model: "m", tokens: 0, now: 0) }
        #expect(times == [0, 0, 0, 20, 40, 60])
        // After a quiet minute the bucket is full again.
        #expect(limiter.admit(model: "m", tokens: 0, now: 200) == 200)
        #expect(limiter.admit(model: "m", tokens: 0, now: 200) == 200)
        #expect(limiter.admit(model: "m", tokens: 0, now: 200) == 200)
        #expect(limiter.admit(model: "m", tokens: 0, now: 200) == 220)
    }

    @Test("no 60-second window ever holds more than the limit plus what refilled in it")
    func slidingWindowBound() {
        let limit = 10
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: limit))
        let sendTimes = (0..<200).map { limiter.admit(model: "m", tokens: 0, now: Double($0) * 0.5) }
        #expect(zip(sendTimes, sendTimes.dropFirst()).allSatisfy { $0 <= $1 })
        for start in sendTimes {
            let inWindow = sendTimes.filter { $0 >= start && $0 < start + 60 }.count
            #expect(inWindow <= 2 * limit)
        }
        // Long-run rate: 10 per minute.
        let last = sendTimes[sendTimes.count - 1]
        #expect(abs(last - Double(200 - limit) * 6) < 1e-9)
    }

    @Test("tokens per minute: big requests wait for the bucket to refill")
    func tokensPerMinute() {
        let limiter = ModelRateLimiter(defaultLimits: .init(tokensPerMinute: 1000))
        #expect(limiter.admit(model: "m", tokens: 600, now: 0) == 0)
        #expect(limiter.admit(model: "m", tokens: 400, now: 0) == 0)
        // The bucket is empty; 500 tokens refill in 30 s.
        #expect(limiter.admit(model: "m", tokens: 500, now: 1) == 30)
        #expect(limiter.admit(model: "m", tokens: 100, now: 1) == 36)
    }

    @Test("a request larger than a minute's tokens waits for a full bucket instead of forever")
    func oversizedRequest() {
        let limiter = ModelRateLimiter(defaultLimits: .init(tokensPerMinute: 1000))
        #expect(limiter.admit(model: "m", tokens: 100, now: 0) == 0)
        #expect(limiter.admit(model: "m", tokens: 5000, now: 0) == 6)
        #expect(limiter.admit(model: "m", tokens: 5000, now: 0) == 66)
    }

    @Test("both limits apply; the later one decides")
    func bothLimits() {
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 60, tokensPerMinute: 600))
        #expect(limiter.admit(model: "m", tokens: 600, now: 0) == 0)
        #expect(limiter.admit(model: "m", tokens: 60, now: 0) == 6)
        #expect(limiter.admit(model: "m", tokens: 0, now: 6) == 6)
    }

    @Test("each model has its own buckets; per-model limits override the default")
    func perModel() {
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 1), perModel: ["fast": .init(requestsPerMinute: 120)])
        #expect(limiter.admit(model: "a", tokens: 0, now: 0) == 0)
        #expect(limiter.admit(model: "a", tokens: 0, now: 0) == 60)
        #expect(limiter.admit(model: "b", tokens: 0, now: 0) == 0)
        for _ in 0..<120 { #expect(limiter.admit(model: "fast", tokens: 0, now: 0) == 0) }
        #expect(limiter.admit(model: "fast", tokens: 0, now: 0) == 0.5)
        limiter.setLimits(.unlimited, for: "a")
        #expect(limiter.admit(model: "a", tokens: 0, now: 1) == 1)
        #expect(limiter.limits(for: "zzz") == .init(requestsPerMinute: 1))
    }

    @Test("zero remaining requests block the model until one request is back; zero tokens until the server's reset")
    func observeExhausted() {
        let limiter = ModelRateLimiter()
        // 500 RPM refill one request every 0.12 s.
        limiter.observe(RateLimitSnapshot(limitRequests: 500, limitTokens: 30000, remainingRequests: 0, remainingTokens: 20000,
                                          resetRequests: "6m0s", resetTokens: "1s"), model: "m", now: 10)
        #expect(abs(limiter.admit(model: "m", tokens: 1, now: 10) - 10.12) < 1e-9)
        // A reset of 59.997 s says 0.025 of a request is back already (of 500/min).
        limiter.observe(RateLimitSnapshot(limitRequests: 500, remainingRequests: 0, resetRequests: "59.997s"), model: "n", now: 0)
        #expect(abs(limiter.admit(model: "n", tokens: 1, now: 0) - 0.12 * 0.975) < 1e-6)
        #expect(limiter.admit(model: "other", tokens: 1, now: 11) == 11)
        limiter.observe(RateLimitSnapshot(limitRequests: 500, limitTokens: 30000, remainingRequests: 3, remainingTokens: 0,
                                          resetRequests: "1s", resetTokens: "20ms"), model: "x", now: 5)
        #expect(limiter.admit(model: "x", tokens: 1, now: 5) == 5.02)
    }

    @Test("snapshots without headers (all zero) are ignored")
    func observeEmpty() {
        let limiter = ModelRateLimiter()
        limiter.observe(RateLimitSnapshot(), model: "m", now: 0)
        #expect(limiter.admit(model: "m", tokens: 1, now: 0) == 0)
    }

    @Test("a server with less left than the local bucket drains it")
    func observeSyncsLocalBucket() {
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 60))
        // Server: 30 of our 60 left (someone else uses the key): half the bucket is gone.
        limiter.observe(RateLimitSnapshot(limitRequests: 60, remainingRequests: 30, resetRequests: "30s"), model: "m", now: 0)
        for _ in 0..<30 { #expect(limiter.admit(model: "m", tokens: 0, now: 0) == 0) }
        #expect(limiter.admit(model: "m", tokens: 0, now: 0) == 1)
    }

    @Test("the reset gives the fraction the integer remaining drops: the bucket is not drained by a whole request")
    func observeReadsFractionFromReset() {
        let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 60))
        // 0 left as an integer, but the bucket is full again in 59.5 s: half a request is back,
        // so the next one may go in 0.5 s, not 1 s.
        limiter.observe(RateLimitSnapshot(limitRequests: 60, remainingRequests: 0, resetRequests: "59.5s"), model: "m", now: 0)
        #expect(abs(limiter.admit(model: "m", tokens: 0, now: 0) - 0.5) < 1e-9)
    }

    @Test("RLM_RPM and RLM_TPM set the default limits; 0 or absent is unlimited")
    func environment() throws {
        #expect(try ModelRateLimiter.fromEnvironment([:]).limits(for: "m") == .unlimited)
        #expect(try ModelRateLimiter.fromEnvironment(["RLM_RPM": "500", "RLM_TPM": "0"]).limits(for: "m")
                == .init(requestsPerMinute: 500, tokensPerMinute: 0))
        #expect(throws: ProviderError.self) { try ModelRateLimiter.fromEnvironment(["RLM_RPM": "lots"]) }
    }

    @Test("reset durations in Go syntax", arguments: [
        ("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("1h2m3.5s", 3723.5), ("150us", 0.00015), ("0.5", 0.5), ("2m", 120.0),
    ])
    func resetDurations(text: String, seconds: Double) throws {
        let parsed = try #require(RateLimitSnapshot.seconds(inResetDuration: text))
        #expect(abs(parsed - seconds) < 1e-9)
    }

    @Test("unreadable reset durations", arguments: ["", "soon", "5 minutes", "1x", "-1"])
    func badResetDurations(text: String) {
        #expect(RateLimitSnapshot.seconds(inResetDuration: text) == nil)
    }
}
