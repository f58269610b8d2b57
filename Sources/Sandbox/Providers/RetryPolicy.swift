import Foundation

/// When to retry a failed attempt and how long to wait first.
///
/// Retried: 408, 429 and 5xx answers, timeouts and transport failures — the failures that a
/// later attempt can cure. Never retried: other 4xx (400, 401, 403, 404…), which would fail the
/// same way again, and malformed 2xx bodies. This widens the original, which retried only 429
/// (reference §7.4); the delays are the original's: before retry k (from 0) wait
/// `baseDelay × 2^k` (2, 4, 8 s by default) and at least the server's `Retry-After`.
struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt.
    var maxRetries: Int
    var baseDelay: Double
    /// Up to this fraction of the exponential delay is added at random.
    var jitter: Double

    init(maxRetries: Int, baseDelay: Double, jitter: Double) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = max(0, baseDelay)
        self.jitter = max(0, jitter)
    }

    init(_ configuration: OpenAIConfiguration) {
        self.init(maxRetries: configuration.maxRetries, baseDelay: configuration.retryBaseDelay, jitter: configuration.retryJitter)
    }

    /// Whether an HTTP answer with `status` is worth another attempt.
    static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// Seconds to wait before retry `retry` (0 for the first retry): the exponential delay plus
    /// `jitter × unitRandom` of it, raised to `retryAfter` when the server asked for longer.
    /// - Parameter unitRandom: A number in [0, 1) (injected so tests are deterministic).
    func delay(beforeRetry retry: Int, retryAfter: Double?, unitRandom: Double) -> Double {
        let exponential = baseDelay * pow(2, Double(min(retry, 30)))
        let jittered = exponential * (1 + jitter * unitRandom)
        return max(jittered, retryAfter ?? 0)
    }

    /// The wait the server asked for, in seconds: `retry-after-ms` (milliseconds, as OpenAI sends
    /// it) or `Retry-After` as seconds (decimals accepted) or an HTTP date. nil when absent or
    /// unreadable; a date in the past gives 0. `headers` must have lowercased names.
    static func retryAfterSeconds(in headers: [String: String], now: Date = Date()) -> Double? {
        if let text = headers["retry-after-ms"], let ms = Double(text.trimmingCharacters(in: .whitespaces)), ms.isFinite, ms >= 0 {
            return ms / 1000
        }
        guard let text = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        guard let date = httpDate(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Parses the three date formats HTTP allows (RFC 9110 §5.6.7): IMF-fixdate
    /// `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime
    /// `Sun Nov  6 08:49:37 1994`.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        let collapsed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: collapsed) { return date }
        }
        return nil
    }
}
