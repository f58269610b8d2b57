import Foundation

/// Requests- and tokens-per-minute limits a `profiled` server enforces per model, the way OpenAI
/// describes its own: each limit is a bucket that holds one minute's allowance and refills
/// continuously (`limit / 60` per second).
///
/// Every reply carries `x-ratelimit-limit-requests` / `-tokens`, `-remaining-*` (whole units
/// left after this request) and `-reset-*` (the time until the bucket is full again, in Go's
/// duration syntax as OpenAI sends it: `"1.2s"`, `"340ms"`). A request the buckets cannot hold
/// gets 429 with `retry-after` (whole seconds, rounded up) and `retry-after-ms`, saying when it
/// would fit; it uses up nothing.
///
/// A request counts against tokens per minute as its prompt tokens plus `max_tokens` (4096 when
/// the request sets none), what providers charge at admission, before the reply's length is known.
public struct ServerRateLimit: Sendable {
    public var requestsPerMinute: Int
    /// 0: no token limit (and no `-tokens` headers).
    public var tokensPerMinute: Int

    public init(requestsPerMinute: Int, tokensPerMinute: Int = 0) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// The output tokens a request without `max_tokens` is charged for.
    public static let defaultOutputCharge = 4096
}

/// The buckets of one server, per model (a GCRA "theoretical arrival time" per limit: when the
/// bucket will be full again). Thread-safe: connections answer concurrently.
final class RateLimitBuckets: @unchecked Sendable {
    struct Decision {
        var admitted: Bool
        var headers: [(name: String, value: String)]
        /// Seconds until the request would fit (0 when admitted).
        var wait: Double
    }

    private static let window = 60.0
    private let limit: ServerRateLimit
    private let lock = NSLock()
    private var requestsFullAt: [String: Double] = [:]
    private var tokensFullAt: [String: Double] = [:]

    init(_ limit: ServerRateLimit) { self.limit = limit }

    /// Books a request of `tokens` for `model` arriving at `time` if both buckets hold it.
    func arrive(model: String, tokens: Int, at time: Double) -> Decision {
        lock.lock()
        defer { lock.unlock() }
        let requestCost = Self.window / Double(max(1, limit.requestsPerMinute))
        let tokenCost = limit.tokensPerMinute > 0 ? min(Self.window, Self.window * Double(tokens) / Double(limit.tokensPerMinute)) : 0
        var requestsAt = max(requestsFullAt[model] ?? time, time)
        var tokensAt = max(tokensFullAt[model] ?? time, time)
        let wait = max(requestsAt + requestCost - Self.window - time,
                       limit.tokensPerMinute > 0 ? tokensAt + tokenCost - Self.window - time : 0, 0)
        let admitted = wait <= 0
        if admitted {
            requestsAt += requestCost
            tokensAt += tokenCost
            requestsFullAt[model] = requestsAt
            if limit.tokensPerMinute > 0 { tokensFullAt[model] = tokensAt }
        }
        var headers = Self.headers("requests", limit: limit.requestsPerMinute, fullIn: requestsAt - time)
        if limit.tokensPerMinute > 0 { headers += Self.headers("tokens", limit: limit.tokensPerMinute, fullIn: tokensAt - time) }
        return Decision(admitted: admitted, headers: headers, wait: wait)
    }

    /// The three headers of one limit whose bucket is full again in `fullIn` seconds.
    private static func headers(_ what: String, limit: Int, fullIn: Double) -> [(name: String, value: String)] {
        // The nudge keeps float noise from turning a whole 8000 into 7999.
        let remaining = max(0, Int((Double(limit) * (window - fullIn) / window + 1e-9).rounded(.down)))
        return [("x-ratelimit-limit-\(what)", String(limit)),
                ("x-ratelimit-remaining-\(what)", String(remaining)),
                ("x-ratelimit-reset-\(what)", goDuration(max(0, fullIn)))]
    }

    /// Seconds in Go's duration syntax as OpenAI writes them: `"340ms"` under a second, else
    /// seconds with up to three decimals (`"1.25s"`), minutes split off past a minute (`"1m0.5s"`).
    static func goDuration(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded(.up)))ms" }
        let millis = Int((seconds * 1000).rounded(.up))
        let minutes = millis / 60_000, rest = Double(millis % 60_000) / 1000
        var text = String(format: "%.3f", rest)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return (minutes > 0 ? "\(minutes)m" : "") + text + "s"
    }
}
