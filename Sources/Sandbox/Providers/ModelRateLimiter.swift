import Foundation

/// Requests-per-minute and tokens-per-minute limits per model, shared by every fiber and child
/// sandbox of a run so that together they stay under the provider's limits instead of each
/// collecting 429s.
///
/// Each limit is a token bucket that holds one minute's allowance and refills continuously
/// (`limit / 60` per second), the way OpenAI describes its own limits: a burst of up to a full
/// minute's allowance is admitted at once, after that calls are spaced evenly. It is kept as a
/// "theoretical arrival time" (GCRA), so admitting is O(1) and needs no log of past calls.
/// A call larger than a whole minute's tokens waits for a full bucket and then empties it
/// (rather than never being admitted).
///
/// Time is whatever the caller says it is (`now`), so the limiter works on the wall clock and on
/// the simulator's virtual clock alike, and tests need no sleeping:
///
/// ```swift
/// let limiter = ModelRateLimiter(defaultLimits: .init(requestsPerMinute: 60))
/// let sendAt = limiter.admit(model: "gpt-4o", tokens: 900, now: clock.now())
/// clock.schedule(at: sendAt) { provider.start(…) }
/// ```
public final class ModelRateLimiter: @unchecked Sendable {
    /// One model's limits; 0 means unlimited.
    public struct Limits: Sendable, Equatable {
        /// Requests per minute; 0 = unlimited.
        public var requestsPerMinute: Int
        /// Prompt plus completion tokens per minute; 0 = unlimited.
        public var tokensPerMinute: Int

        public init(requestsPerMinute: Int = 0, tokensPerMinute: Int = 0) {
            self.requestsPerMinute = requestsPerMinute
            self.tokensPerMinute = tokensPerMinute
        }

        /// No limit at all.
        public static let unlimited = Limits()

        /// Whether neither limit is set.
        public var isUnlimited: Bool { requestsPerMinute <= 0 && tokensPerMinute <= 0 }
    }

    /// One model's buckets.
    private struct ModelState {
        /// When the requests bucket will be full again (GCRA's theoretical arrival time).
        var requestsFullAt = -Double.infinity
        var tokensFullAt = -Double.infinity
        /// Nothing is sent before this (the server said a limit is exhausted until its reset).
        var blockedUntil = -Double.infinity
    }

    private static let window = 60.0
    private let lock = NSLock()
    private var defaultLimits: Limits
    private var modelLimits: [String: Limits]
    private var states: [String: ModelState] = [:]

    /// - Parameters:
    ///   - defaultLimits: For every model without its own entry.
    ///   - perModel: Limits by model name.
    public init(defaultLimits: Limits = .unlimited, perModel: [String: Limits] = [:]) {
        self.defaultLimits = defaultLimits
        modelLimits = perModel
    }

    /// A limiter whose default limits come from `RLM_RPM` and `RLM_TPM` (0 or absent: unlimited).
    /// - Throws: `ProviderError` of kind `.configuration` when a value is not a non-negative integer.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> ModelRateLimiter {
        func limit(_ name: String) throws -> Int {
            guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return 0 }
            guard let value = Int(text), value >= 0 else {
                throw ProviderError(.configuration, message: "\(name) must be a non-negative integer, got '\(text)'")
            }
            return value
        }
        return ModelRateLimiter(defaultLimits: Limits(requestsPerMinute: try limit("RLM_RPM"), tokensPerMinute: try limit("RLM_TPM")))
    }

    /// Sets `model`'s own limits (replacing the default for it).
    public func setLimits(_ limits: Limits, for model: String) {
        lock.lock()
        defer { lock.unlock() }
        modelLimits[model] = limits
    }

    /// The limits that apply to `model`.
    public func limits(for model: String) -> Limits {
        lock.lock()
        defer { lock.unlock() }
        return modelLimits[model] ?? defaultLimits
    }

    /// Books a request of `tokens` tokens for `model` and returns the earliest time ≥ `now` at
    /// which it may be sent. The caller must send it then (or not at all: the booking stays).
    /// - Complexity: O(1).
    public func admit(model: String, tokens: Int, now: Double) -> Double {
        lock.lock()
        defer { lock.unlock() }
        let limits = modelLimits[model] ?? defaultLimits
        var state = states[model] ?? ModelState()
        let requestCost = Self.cost(1, perMinute: limits.requestsPerMinute)
        let tokenCost = Self.cost(max(0, tokens), perMinute: limits.tokensPerMinute)
        var sendAt = max(now, state.blockedUntil)
        if let requestCost { sendAt = max(sendAt, state.requestsFullAt + requestCost - Self.window) }
        if let tokenCost { sendAt = max(sendAt, state.tokensFullAt + tokenCost - Self.window) }
        if let requestCost { state.requestsFullAt = max(state.requestsFullAt, sendAt) + requestCost }
        if let tokenCost { state.tokensFullAt = max(state.tokensFullAt, sendAt) + tokenCost }
        states[model] = state
        return sendAt
    }

    /// Learns from a reply's rate-limit headers; `now` is when the request was sent, the moment
    /// the server's figures describe:
    /// - a server-side limit at 0 remaining blocks `model` until one unit is back;
    /// - where a local limit is set and the server has less left than the local bucket thinks
    ///   (other clients share the key), the local bucket is drained to match.
    /// Snapshots without a limit (headers absent) are ignored.
    ///
    /// OpenAI's `x-ratelimit-reset-*` is the time until the limit "resets to its initial state":
    /// under the continuous refill above, the bucket is full again then, so `limit × (1 − reset/60 s)`
    /// is what is left to the fraction (the integer `remaining` drops the fraction, which would
    /// make the client wait up to a whole request longer than the server asks after each reply).
    public func observe(_ snapshot: RateLimitSnapshot, model: String, now: Double) {
        lock.lock()
        defer { lock.unlock() }
        let limits = modelLimits[model] ?? defaultLimits
        var state = states[model] ?? ModelState()
        if let adapted = Self.adapt(serverLimit: snapshot.limitRequests, remaining: snapshot.remainingRequests,
                                    reset: snapshot.resetRequests, localLimit: limits.requestsPerMinute, now: now, unit: 1) {
            state.blockedUntil = max(state.blockedUntil, adapted.blockedUntil)
            state.requestsFullAt = max(state.requestsFullAt, adapted.fullAt)
        }
        if let adapted = Self.adapt(serverLimit: snapshot.limitTokens, remaining: snapshot.remainingTokens,
                                    reset: snapshot.resetTokens, localLimit: limits.tokensPerMinute, now: now, unit: nil) {
            state.blockedUntil = max(state.blockedUntil, adapted.blockedUntil)
            state.tokensFullAt = max(state.tokensFullAt, adapted.fullAt)
        }
        states[model] = state
    }

    /// What one server-side limit says about the local state: nothing before `blockedUntil`, and
    /// the local bucket no fuller than `fullAt` implies (-infinity: no constraint). nil when the
    /// server sent no such limit.
    /// - Parameter unit: What one call needs of this limit (1 request), so an exhausted limit
    ///   blocks until that much is back; nil when unknown (tokens: the next call's size), which
    ///   blocks until the server's reset.
    private static func adapt(serverLimit: Int, remaining: Int, reset: String, localLimit: Int,
                              now: Double, unit: Double?) -> (blockedUntil: Double, fullAt: Double)? {
        guard serverLimit > 0 else { return nil }
        var left = Double(max(0, remaining))
        let resetSeconds = RateLimitSnapshot.seconds(inResetDuration: reset)
        if let resetSeconds, resetSeconds <= window {
            // The fraction the integer count drops, read from the reset (see `observe`).
            left = min(left + 1, max(left, Double(serverLimit) * (1 - resetSeconds / window)))
        }
        var blockedUntil = -Double.infinity
        var fullAt = -Double.infinity
        if remaining <= 0 {
            if let unit, left < unit {
                blockedUntil = now + (unit - left) * window / Double(serverLimit)
            } else if unit == nil {
                blockedUntil = now + (resetSeconds ?? 1)
            }
        }
        if localLimit > 0 {
            let fraction = min(1, left / Double(localLimit))
            fullAt = now + window * (1 - fraction)
        }
        return (blockedUntil, fullAt)
    }

    /// Seconds of bucket a call of `units` uses, capped at the whole window; nil when unlimited.
    private static func cost(_ units: Int, perMinute limit: Int) -> Double? {
        guard limit > 0 else { return nil }
        return min(window, window * Double(units) / Double(limit))
    }
}
