import Foundation

/// How the server answers: a function from the received request to the response (and its delay).
///
/// Ready-made behaviours compose: most take the behaviour to fall back on as `then:` (default
/// `.echo`), e.g. `.rateLimited(times: 2, retryAfter: 1, then: .fixedLatency(0.01))`.
/// Behaviours run on the connection's thread, concurrently with each other, so any state they
/// keep must be thread-safe (the ready-made ones lock).
public struct ServerBehavior: Sendable {
    /// Answers one request (called on the connection's thread).
    public let respond: @Sendable (ServedRequest) -> ServedResponse

    public init(_ respond: @escaping @Sendable (ServedRequest) -> ServedResponse) { self.respond = respond }

    /// The deterministic echo model (`EchoModel`), answered at once.
    public static let echo = ServerBehavior(EchoModel.respond)

    /// Every answer comes `seconds` late.
    public static func fixedLatency(_ seconds: Double, then base: ServerBehavior = .echo) -> ServerBehavior {
        ServerBehavior { base.respond($0).delayed(by: seconds) }
    }

    /// Every answer comes late by a delay drawn uniformly from `range`. The n-th request received
    /// gets the n-th delay of the `seed` stream (stateless: the draw is keyed by sequence number).
    public static func randomLatency(_ range: ClosedRange<Double>, seed: UInt64, then base: ServerBehavior = .echo) -> ServerBehavior {
        ServerBehavior { request in
            var generator = SeededGenerator(seed: seed ^ (UInt64(request.sequence) &* 0xD1B5_4A32_D192_ED03))
            let delay = range.lowerBound == range.upperBound ? range.lowerBound : Double.random(in: range, using: &generator)
            return base.respond(request).delayed(by: delay)
        }
    }

    /// Answers come back in a different order than requests arrived: a random delay up to
    /// `maxDelay` per request (see `randomLatency`).
    public static func outOfOrder(maxDelay: Double, seed: UInt64, then base: ServerBehavior = .echo) -> ServerBehavior {
        randomLatency(0...maxDelay, seed: seed, then: base)
    }

    /// The first `times` requests get 429 with `Retry-After: retryAfter` (written as whole seconds
    /// when it is whole, else as a decimal); later ones get `base`.
    public static func rateLimited(times: Int, retryAfter: Double, then base: ServerBehavior = .echo) -> ServerBehavior {
        let counter = RequestCounter()
        let header = retryAfter == retryAfter.rounded() ? String(Int(retryAfter)) : String(retryAfter)
        return ServerBehavior { request in
            guard counter.next() < times else { return base.respond(request) }
            return .error(status: 429, message: "Rate limit reached for requests. Please try again in \(header)s.",
                          type: "requests", headers: [("Retry-After", header)])
        }
    }

    /// The first `times` requests get `status` (default 500) with an OpenAI-style error body;
    /// later ones get `base`.
    public static func failing(status: Int = 500, times: Int, message: String = "The server had an error while processing your request.",
                               then base: ServerBehavior = .echo) -> ServerBehavior {
        let counter = RequestCounter()
        return ServerBehavior { request in
            guard counter.next() < times else { return base.respond(request) }
            return .error(status: status, message: message)
        }
    }

    /// Every request gets `status` with an OpenAI-style error carrying `message` (401 for auth tests).
    public static func alwaysFailing(status: Int, message: String) -> ServerBehavior {
        ServerBehavior { _ in .error(status: status, message: message, type: "invalid_request_error") }
    }

    /// Never answers: the request hangs until the client closes the connection or the server stops.
    public static let neverAnswer = ServerBehavior { _ in ServedResponse(status: 200, delay: .infinity) }

    /// A 200 whose body is not a chat completion (default: JSON without `choices`).
    public static func malformedBody(_ body: String = #"{"unexpected": "shape"}"#) -> ServerBehavior {
        ServerBehavior { _ in ServedResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8)) }
    }
}

/// A thread-safe counter shared by every request one behaviour sees.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Returns the current count, then increments it.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
