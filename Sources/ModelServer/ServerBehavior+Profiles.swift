import Foundation

/// How one model of a `ServerBehavior.profiled` server behaves: time to first token
/// `ttft + secondsPerPromptToken × prompt tokens`, then output at `tokensPerSecond`, the whole
/// latency with log-normal noise; reply lengths log-normal around `replyMedian`.
public struct ModelProfile: Sendable {
    public var ttft: Double
    public var secondsPerPromptToken: Double
    public var tokensPerSecond: Double
    public var replyMedian: Double
    public var replySpread: Double
    public var latencySpread: Double

    public init(ttft: Double, secondsPerPromptToken: Double, tokensPerSecond: Double, replyMedian: Double,
                replySpread: Double = 0.3, latencySpread: Double = 0.1) {
        self.ttft = ttft
        self.secondsPerPromptToken = secondsPerPromptToken
        self.tokensPerSecond = tokensPerSecond
        self.replyMedian = replyMedian
        self.replySpread = replySpread
        self.latencySpread = latencySpread
    }
}

/// A requests-per-minute limit the server enforces: every reply carries the
/// `x-ratelimit-*-requests` headers, and a request past the limit (over the last 60 s) gets 429
/// with `retry-after-ms` saying when a slot frees.
public struct ServerRateLimit: Sendable {
    public var requestsPerMinute: Int
    public init(requestsPerMinute: Int) { self.requestsPerMinute = requestsPerMinute }
}

extension ServerBehavior {
    /// A server whose models follow `profiles` (by request model; `fallback` for others),
    /// deterministic per `seed` and request sequence.
    /// - Parameters:
    ///   - promptTokens: Counts a request's prompt as the client's tokenizer would (usage).
    ///   - countTokens: Counts the reply text (usage).
    ///   - rateLimit: An RPM limit to enforce and advertise; nil sends no rate-limit headers.
    public static func profiled(_ profiles: [String: ModelProfile], fallback: ModelProfile, seed: UInt64,
                                rateLimit: ServerRateLimit? = nil,
                                promptTokens: @escaping @Sendable (ServedRequest) -> Int,
                                countTokens: @escaping @Sendable (String) -> Int) -> ServerBehavior {
        let window = RequestWindow()
        let words = ["the", "data", "result", "model", "value", "point", "item", "fact"]
        return ServerBehavior { request in
            var headers: [(name: String, value: String)] = []
            if let rateLimit {
                let (admitted, remaining, waitMS) = window.arrive(at: request.receivedAt, limit: rateLimit.requestsPerMinute)
                headers = [("x-ratelimit-limit-requests", String(rateLimit.requestsPerMinute)),
                           ("x-ratelimit-remaining-requests", String(remaining)),
                           ("x-ratelimit-reset-requests", "\(max(1, waitMS))ms")]
                if !admitted {
                    return .error(status: 429, message: "Rate limit reached for requests", type: "requests",
                                  headers: headers + [("retry-after-ms", String(max(1, waitMS)))])
                }
            }
            let profile = request.model.flatMap { profiles[$0] } ?? fallback
            var generator = SeededGenerator(seed: seed ^ (UInt64(request.sequence) &* 0x9E37_79B9_7F4A_7C15))
            func normal() -> Double {
                let u1 = max(Double.random(in: 0..<1, using: &generator), 1e-12), u2 = Double.random(in: 0..<1, using: &generator)
                return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            }
            let length = max(1, Int((profile.replyMedian * exp(profile.replySpread * normal())).rounded()))
            let text = (0..<length).map { words[($0 + request.sequence) % words.count] }.joined(separator: " ")
            let prompt = promptTokens(request)
            let completion = countTokens(text)
            let base = profile.ttft + profile.secondsPerPromptToken * Double(prompt) + Double(completion) / profile.tokensPerSecond
            var response = ServedResponse.chatCompletion(text: text, promptTokens: prompt, completionTokens: completion,
                                                         model: request.model ?? "profiled", headers: headers)
            response.delay = base * exp(profile.latencySpread * normal() - profile.latencySpread * profile.latencySpread / 2)
            return response
        }
    }
}

/// Arrival times of admitted requests over the last minute (a sliding-window RPM counter).
final class RequestWindow: @unchecked Sendable {
    private let lock = NSLock()
    private var admitted: [Double] = []

    /// Whether a request arriving at `time` is within `limit`, the slots left after it, and the
    /// milliseconds until the oldest admitted request leaves the window.
    func arrive(at time: Double, limit: Int) -> (Bool, Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        admitted.removeAll { $0 <= time - 60 }
        let wait = admitted.first.map { Int((($0 + 60 - time) * 1000).rounded(.up)) } ?? 0
        guard admitted.count < limit else { return (false, 0, wait) }
        admitted.append(time)
        return (true, limit - admitted.count, wait)
    }
}
