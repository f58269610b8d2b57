import Foundation

/// When to retry a failed attempt and how long to wait first.
///
/// Retried: 408, 429 and 5xx answers, timeouts and transport failures — the failures that a
/// later attempt can cure. Never retried: other 4xx (400, 401, 403, 404…), which would fail the
/// same way again, and malformed 2xx bodies. This widens the original, which retried only 429
/// (reference §7.4); the delays are the original's: before retry k (from 0) wait
/// `baseDelay × 2^k` (2, 4, 8 s by default) and at least the server's `Retry-After`.
///
/// A `Retry-After` longer than `maxRetryAfter` (60 s by default, `RLM_MAX_RETRY_AFTER_SECONDS`)
/// is not slept through: the call fails at once with an error that says what the server asked
/// for (issue 12: `Retry-After: 3600` used to make a run wait an hour).
///
/// The same policy serves both worlds: `RetryingCall` runs it on the session's `EventClock`, so
/// backoff sleeps and attempt timeouts take virtual time in a simulation.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt.
    public var maxRetries: Int
    public var baseDelay: Double
    /// Up to this fraction of the exponential delay is added at random.
    public var jitter: Double
    /// Seconds one attempt may take before it counts as a timeout (and is retried).
    public var attemptTimeout: Double
    /// The longest server-requested wait honoured; a longer one ends the call with an error.
    public var maxRetryAfter: Double

    /// The default longest `Retry-After` honoured, in seconds.
    public static let defaultMaxRetryAfter = 60.0

    public init(maxRetries: Int = 3, baseDelay: Double = 2, jitter: Double = 0.2, attemptTimeout: Double = 120,
                maxRetryAfter: Double = RetryPolicy.defaultMaxRetryAfter) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = max(0, baseDelay)
        self.jitter = max(0, jitter)
        self.attemptTimeout = attemptTimeout > 0 ? attemptTimeout : 120
        self.maxRetryAfter = max(0, maxRetryAfter)
    }

    public init(_ configuration: OpenAIConfiguration) {
        self.init(maxRetries: configuration.maxRetries, baseDelay: configuration.retryBaseDelay, jitter: configuration.retryJitter,
                  attemptTimeout: configuration.requestTimeout, maxRetryAfter: configuration.maxRetryAfter)
    }

    /// Whether an HTTP answer with `status` is worth another attempt.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// Whether a failed attempt is worth another: timeouts, transport failures and retryable
    /// HTTP statuses; never a cancellation, a malformed body or a configuration problem.
    public static func isRetryable(_ error: ProviderError) -> Bool {
        switch error.kind {
        case .timeout, .transport: return true
        case .http: return error.status.map(isRetryable(status:)) ?? false
        case .cancelled, .malformed, .configuration: return false
        }
    }

    /// Seconds to wait before retry `retry` (0 for the first retry): the exponential delay plus
    /// `jitter × unitRandom` of it, raised to `retryAfter` when the server asked for longer.
    /// - Parameter unitRandom: A number in [0, 1) (injected so tests are deterministic).
    public func delay(beforeRetry retry: Int, retryAfter: Double?, unitRandom: Double) -> Double {
        let exponential = baseDelay * pow(2, Double(min(retry, 30)))
        let jittered = exponential * (1 + jitter * unitRandom)
        return max(jittered, retryAfter ?? 0)
    }

    /// The wait the server asked for, in seconds: `retry-after-ms` (milliseconds, as OpenAI sends
    /// it) or `Retry-After` as seconds (decimals accepted) or an HTTP date. nil when absent or
    /// unreadable; a date in the past gives 0. `headers` must have lowercased names.
    public static func retryAfterSeconds(in headers: [String: String], now: Date = Date()) -> Double? {
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
