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

extension ServerBehavior {
    /// A server whose models follow `profiles` (by request model; `fallback` for others),
    /// deterministic per `seed`, request content and how many requests with that content this
    /// server answered before (its occurrence): a request refused with 429 draws nothing, so a
    /// run's draws do not depend on how many 429s came before, as with the simulator's mock
    /// provider, and repeated runs against one server still draw afresh.
    /// - Parameters:
    ///   - promptTokens: Counts a request's prompt as the client's tokenizer would (usage).
    ///   - countTokens: Counts the reply text (usage).
    ///   - rateLimit: RPM/TPM limits to enforce and advertise (`ServerRateLimit`); nil sends no rate-limit headers.
    public static func profiled(_ profiles: [String: ModelProfile], fallback: ModelProfile, seed: UInt64,
                                rateLimit: ServerRateLimit? = nil,
                                promptTokens: @escaping @Sendable (ServedRequest) -> Int,
                                countTokens: @escaping @Sendable (String) -> Int) -> ServerBehavior {
        let buckets = rateLimit.map(RateLimitBuckets.init)
        let occurrences = ContentOccurrences()
        let words = ["the", "data", "result", "model", "value", "point", "item", "fact"]
        return ServerBehavior { request in
            var headers: [(name: String, value: String)] = []
            let prompt = promptTokens(request)
            if let buckets {
                let charge = prompt + (request.maxTokens ?? ServerRateLimit.defaultOutputCharge)
                let decision = buckets.arrive(model: request.model ?? "", tokens: charge, at: request.receivedAt)
                headers = decision.headers
                if !decision.admitted {
                    let ms = max(1, Int((decision.wait * 1000).rounded(.up)))
                    return .error(status: 429, message: "Rate limit reached for requests. Please try again in \(ms)ms.",
                                  type: "requests",
                                  headers: headers + [("retry-after", String((ms + 999) / 1000)), ("retry-after-ms", String(ms))])
                }
            }
            let profile = request.model.flatMap { profiles[$0] } ?? fallback
            let content = Self.contentHash(request)
            let occurrence = UInt64(occurrences.next(content))
            var generator = SeededGenerator(seed: seed ^ (content &* 0x9E37_79B9_7F4A_7C15) ^ (occurrence &* 0xD1B5_4A32_D192_ED03))
            func normal() -> Double {
                let u1 = max(Double.random(in: 0..<1, using: &generator), 1e-12), u2 = Double.random(in: 0..<1, using: &generator)
                return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            }
            let length = max(1, Int((profile.replyMedian * exp(profile.replySpread * normal())).rounded()))
            let text = (0..<length).map { words[($0 + Int(content % 8)) % words.count] }.joined(separator: " ")
            let completion = countTokens(text)
            let base = profile.ttft + profile.secondsPerPromptToken * Double(prompt) + Double(completion) / profile.tokensPerSecond
            var response = ServedResponse.chatCompletion(text: text, promptTokens: prompt, completionTokens: completion,
                                                         model: request.model ?? "profiled", headers: headers)
            response.delay = base * exp(profile.latencySpread * normal() - profile.latencySpread * profile.latencySpread / 2)
            return response
        }
    }

    /// FNV-1a of what the request asks (model, messages, max_tokens), not of its body bytes,
    /// whose key order a client may vary from process to process: the same on every run and
    /// machine (Swift's `Hasher` is seeded per process).
    static func contentHash(_ request: ServedRequest) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ text: String) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        add(request.model ?? "")
        for message in request.messages { add(message.role); add(message.text) }
        add(request.maxTokens.map(String.init) ?? "")
        return hash
    }
}

/// How many requests with each content a server answered (thread-safe).
final class ContentOccurrences: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [UInt64: Int] = [:]

    /// The count so far for `content`, then counts this one.
    func next(_ content: UInt64) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let n = counts[content, default: 0]
        counts[content] = n + 1
        return n
    }
}
