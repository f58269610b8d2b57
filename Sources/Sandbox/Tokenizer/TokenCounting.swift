import Foundation

/// Prompt-token counting for both worlds: reservations, the TPM charge and the simulator's counts.
public enum TokenCounting {
    private static let cache = TokenCountCache()

    /// Exact when the model's encoding is known (memoised by request content: Monte Carlo runs
    /// send the same prompts again), else `estimate`.
    public static func count(_ request: ModelRequest) -> Int {
        guard let encoding = ChatTokenCounter.encoding(forModel: request.model) else { return estimate(request) }
        let key = request.fastKey &+ (encoding == .o200kBase ? 0 : 1)
        if let n = cache.get(key) { return n }
        let n = ChatTokenCounter.promptTokens(messages: request.messages, encoding: encoding)
        cache.put(key, n)
        return n
    }

    /// The estimate the runtime uses for reservations without a tokenizer (`TokenEstimate`).
    public static func estimate(_ request: ModelRequest) -> Int { TokenEstimate.promptTokens(request) }
}

/// A bounded, thread-safe memo of prompt token counts.
final class TokenCountCache: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [UInt64: Int] = [:]
    private let capacity = 50_000

    func get(_ key: UInt64) -> Int? { lock.lock(); defer { lock.unlock() }; return counts[key] }
    func put(_ key: UInt64, _ n: Int) {
        lock.lock(); defer { lock.unlock() }
        if counts.count >= capacity { counts.removeAll(keepingCapacity: true) }
        counts[key] = n
    }
}
