import Foundation

/// Totals of a gateway (a session's model calls) at the moment of an event: what is done and
/// what is still waiting, by where it waits.
public struct SessionTotals: Sendable, Codable, Equatable {
    /// Calls made so far (including those served from the cache or the journal).
    public var started = 0
    /// Calls that settled with a reply.
    public var finished = 0
    /// Calls that settled with an error or were cancelled.
    public var failed = 0
    public var inFlight = 0
    public var queuedForSlot = 0
    public var waitingForRateLimit = 0
    public var inputTokens = 0
    public var outputTokens = 0
    /// Dollars of calls whose prices are known.
    public var costUSD = 0.0

    public init() {}
}

/// Something that happened to one model call (`SandboxSession.events()`).
public struct SessionEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The program made the call; `state` says whether it was sent or waits.
        case started
        /// A call that waited (for a slot or rate-limit capacity) was sent.
        case sent
        /// The call needed retries (rate limits, server errors) before it answered; `retries`
        /// says how many. Reported when the reply arrives.
        case retried
        /// The call answered (`record.status` is `ok`, `cached` or `replayed`).
        case finished
        /// The call failed or was cancelled (`record.status` is `error` or `cancelled`).
        case failed
    }
    public var kind: Kind
    public var callID: String
    public var model: String
    /// For `started` and `sent`: where the call stands.
    public var state: ActiveCallState?
    /// For `retried`, `finished` and `failed`: the call's trace record.
    public var record: CallRecord?
    /// For `retried`: the number of retries.
    public var retries: Int
    public var totals: SessionTotals
}

/// Hands a gateway's events to every subscriber: `AsyncStream`s for hosts and synchronous
/// observers (run on the VM thread). Subscribing and unsubscribing are safe from any thread.
final class SessionEventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [Int: AsyncStream<SessionEvent>.Continuation] = [:]
    private var observers: [Int: @Sendable (SessionEvent) -> Void] = [:]
    private var nextToken = 0

    /// Whether anyone listens (events are not even built otherwise).
    var hasSubscribers: Bool {
        lock.lock(); defer { lock.unlock() }
        return !streams.isEmpty || !observers.isEmpty
    }

    /// A stream of every event from now on; it ends when the consumer stops iterating.
    func stream() -> AsyncStream<SessionEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionEvent.self, bufferingPolicy: .unbounded)
        lock.lock()
        let token = nextToken
        nextToken += 1
        streams[token] = continuation
        lock.unlock()
        continuation.onTermination = { [weak self] _ in self?.removeStream(token) }
        return stream
    }

    private func removeStream(_ token: Int) {
        lock.lock(); streams[token] = nil; lock.unlock()
    }

    /// Calls `observer` with every event, on the VM thread; returns a token for `removeObserver`.
    func addObserver(_ observer: @escaping @Sendable (SessionEvent) -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        let token = nextToken
        nextToken += 1
        observers[token] = observer
        return token
    }

    func removeObserver(_ token: Int) {
        lock.lock(); observers[token] = nil; lock.unlock()
    }

    func publish(_ event: SessionEvent) {
        lock.lock()
        let sinks = Array(streams.values)
        let callbacks = Array(observers.values)
        lock.unlock()
        for s in sinks { s.yield(event) }
        for o in callbacks { o(event) }
    }

    /// Ends every stream (the gateway is going away).
    func finishAll() {
        lock.lock()
        let sinks = Array(streams.values)
        streams.removeAll()
        lock.unlock()
        for s in sinks { s.finish() }
    }
}
