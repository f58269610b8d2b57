import Foundation

/// Prompt-token counting for both worlds: reservations, the TPM charge and the simulator's counts.
public enum TokenCounting {
    private static let cache = TokenCountCache()

    /// Exact when the model's encoding is known, else `estimate`.
    ///
    /// Counts are memoised per message text, not per whole request: Monte Carlo runs send the same
    /// prompts again, and a planner's candidates send the same data items under new instructions
    /// (keyed by request, each new instruction re-tokenised every item: a third of a simulation's
    /// CPU, perf).
    public static func count(_ request: ModelRequest) -> Int {
        guard let encoding = ChatTokenCounter.encoding(forModel: request.model) else { return estimate(request) }
        guard let tokenizer = try? BPETokenizer.shared(encoding) else {
            return ChatTokenCounter.promptTokens(messages: request.messages, encoding: encoding)
        }
        return ChatTokenCounter.promptTokens(messages: request.messages) { text in
            let key = TokenCountCache.key(text, encoding)
            if let n = cache.get(key) { return n }
            let n = tokenizer.count(text)
            cache.put(key, n)
            return n
        }
    }

    /// The estimate the runtime uses for reservations without a tokenizer (`TokenEstimate`).
    public static func estimate(_ request: ModelRequest) -> Int { TokenEstimate.promptTokens(request) }
}

/// A bounded, thread-safe memo of token counts by text and encoding.
///
/// Keys are 64-bit digests of the text's UTF-8 bytes (`ModelRequest.fastDigest`, as the request
/// keys were; not the text: prompts are large), taken on bytes so that canonically equivalent
/// strings, which tokenise differently, stay apart.
final class TokenCountCache: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [UInt64: Int] = [:]
    /// Entries kept; the memo starts over when full.
    private let capacity = 50_000

    static func key(_ text: String, _ encoding: TokenizerEncoding) -> UInt64 {
        ModelRequest.fastDigest(text, ModelRequest.fastDigest(encoding.rawValue, ModelRequest.fastDigestBasis))
    }

    func get(_ key: UInt64) -> Int? { lock.lock(); defer { lock.unlock() }; return counts[key] }
    func put(_ key: UInt64, _ n: Int) {
        lock.lock(); defer { lock.unlock() }
        if counts.count >= capacity { counts.removeAll(keepingCapacity: true) }
        counts[key] = n
    }
}
