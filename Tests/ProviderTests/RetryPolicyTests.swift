import Foundation
@testable import Sandbox
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test("retryable statuses: 408, 429, 5xx only")
    func retryableStatuses() {
        for status in [408, 429, 500, 502, 503, 504, 599] { #expect(RetryPolicy.isRetryable(status: status)) }
        for status in [200, 400, 401, 403, 404, 409, 422] { #expect(!RetryPolicy.isRetryable(status: status)) }
    }

    @Test("delays double from the base, jitter only adds, Retry-After is a minimum")
    func delays() {
        let policy = RetryPolicy(maxRetries: 3, baseDelay: 2, jitter: 0.2)
        #expect(policy.delay(beforeRetry: 0, retryAfter: nil, unitRandom: 0) == 2)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, unitRandom: 0) == 4)
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, unitRandom: 0) == 8)
        #expect(abs(policy.delay(beforeRetry: 2, retryAfter: nil, unitRandom: 0.5) - 8.8) < 1e-9)
        #expect(policy.delay(beforeRetry: 0, retryAfter: 30, unitRandom: 0.9) == 30)
        #expect(policy.delay(beforeRetry: 2, retryAfter: 1, unitRandom: 0) == 8)
    }

    @Test("Retry-After as seconds, milliseconds or an HTTP date")
    func retryAfter() throws {
        let now = try #require(RetryPolicy.httpDate("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "3"], now: now) == 3)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "0.25"], now: now) == 0.25)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after-ms": "1500", "retry-after": "9"], now: now) == 1.5)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "Sun, 06 Nov 1994 08:50:07 GMT"], now: now) == 30)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "Sunday, 06-Nov-94 08:49:47 GMT"], now: now) == 10)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "Sun Nov  6 08:49:42 1994"], now: now) == 5)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "Sun, 06 Nov 1994 08:00:00 GMT"], now: now) == 0)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "later"], now: now) == nil)
        #expect(RetryPolicy.retryAfterSeconds(in: ["retry-after": "-4"], now: now) == nil)
        #expect(RetryPolicy.retryAfterSeconds(in: [:], now: now) == nil)
    }

    @Test("error bodies: OpenAI's error.message, other shapes, raw text")
    func errorMessages() {
        #expect(ChatCompletionCodec.errorMessage(in: Data(#"{"error":{"message":"bad key","type":"x"}}"#.utf8)) == "bad key")
        #expect(ChatCompletionCodec.errorMessage(in: Data(#"{"error":"model not found"}"#.utf8)) == "model not found")
        #expect(ChatCompletionCodec.errorMessage(in: Data(#"{"detail":"Not Found"}"#.utf8)) == "Not Found")
        #expect(ChatCompletionCodec.errorMessage(in: Data("<html>\n  Bad   Gateway\n</html>".utf8)) == "<html> Bad Gateway </html>")
    }
}
