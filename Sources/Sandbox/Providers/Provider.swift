import Foundation

/// One chat message sent to a model (OpenAI chat shape). `images` are data URLs or http(s) URLs
/// attached to a user message.
public struct ChatMessage: Sendable, Equatable, Hashable, Codable {
    public var role: String
    public var content: String
    public var images: [String]

    public init(role: String, content: String, images: [String] = []) {
        self.role = role
        self.content = content
        self.images = images
    }
}

/// A model call as every provider receives it.
public struct ModelRequest: Sendable, Equatable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    /// nil = omit (the provider's default); 0 is forwarded.
    public var temperature: Double?
    /// nil = omit from the wire; budgets then reserve the model's output limit.
    public var maxTokens: Int?
    /// `response_format: {type: json_object}`.
    public var jsonMode: Bool

    public init(model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil, jsonMode: Bool = false) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.jsonMode = jsonMode
    }

    /// The messages the original sends for `llm-query` (reference §7.1): a system message with
    /// the instruction when it is non-empty, then a user message with the data, or the literal
    /// `(no data provided)` when the data is empty; images ride on the user message.
    public static func forQuery(instruction: String, data: String, model: String, temperature: Double? = nil,
                                maxTokens: Int? = nil, jsonMode: Bool = false, images: [String] = []) -> ModelRequest {
        var messages: [ChatMessage] = []
        if !instruction.isEmpty { messages.append(ChatMessage(role: "system", content: instruction)) }
        messages.append(ChatMessage(role: "user", content: data.isEmpty ? "(no data provided)" : data, images: images))
        return ModelRequest(model: model, messages: messages, temperature: temperature, maxTokens: maxTokens, jsonMode: jsonMode)
    }

    /// Whether the reply is a function of the request alone (temperature 0 or unset), so it may be
    /// served from the response cache.
    public var isDeterministic: Bool { temperature == nil || temperature == 0 }
}

/// The `x-ratelimit-*` headers of the most recent successful reply (reference §2.6 `rate-limits`).
public struct RateLimitSnapshot: Sendable, Equatable, Hashable, Codable {
    public var limitRequests = 0
    public var limitTokens = 0
    public var remainingRequests = 0
    public var remainingTokens = 0
    /// As sent by the server (`"1s"`, `"6m0s"`); "" when absent.
    public var resetRequests = ""
    public var resetTokens = ""

    public init(limitRequests: Int = 0, limitTokens: Int = 0, remainingRequests: Int = 0, remainingTokens: Int = 0,
                resetRequests: String = "", resetTokens: String = "") {
        self.limitRequests = limitRequests
        self.limitTokens = limitTokens
        self.remainingRequests = remainingRequests
        self.remainingTokens = remainingTokens
        self.resetRequests = resetRequests
        self.resetTokens = resetTokens
    }
}

/// A model's answer.
public struct ModelReply: Sendable, Equatable, Hashable {
    public var text: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Seconds from sending the request (first attempt) to the reply, measured on the provider's clock.
    public var latency: Double
    /// nil when the reply carried no rate-limit headers.
    public var rateLimits: RateLimitSnapshot?
    /// How many attempts it took (1 = no retry).
    public var attempts: Int

    public init(text: String, promptTokens: Int, completionTokens: Int, latency: Double = 0,
                rateLimits: RateLimitSnapshot? = nil, attempts: Int = 1) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latency = latency
        self.rateLimits = rateLimits
        self.attempts = attempts
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}

/// Why a model call failed. `message` never contains the API key.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The server answered with an HTTP error status (`status` is set).
        case http
        /// No reply within the per-request timeout (after retries).
        case timeout
        /// The call was cancelled (race loser, user interrupt).
        case cancelled
        /// Connection refused, DNS, reset…
        case transport
        /// The server answered 2xx with a body that is not a chat completion.
        case malformed
        /// Configuration: no API key, bad base URL.
        case configuration
    }
    public var kind: Kind
    /// The HTTP status for `.http`.
    public var status: Int?
    public var message: String
    public var attempts: Int
    /// Seconds the server asked to wait before another attempt (`Retry-After`), when it said.
    public var retryAfter: Double?

    public init(_ kind: Kind, status: Int? = nil, message: String, attempts: Int = 1, retryAfter: Double? = nil) {
        self.kind = kind
        self.status = status
        self.message = message
        self.attempts = attempts
        self.retryAfter = retryAfter
    }

    public var description: String {
        if let status { return "API \(status): \(message)" }
        return "\(kind.rawValue): \(message)"
    }
}

/// Cancels a call in flight. Thread-safe; handlers registered after cancellation run at once.
public final class CallCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var handlers: [@Sendable () -> Void] = []

    public init() {}

    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    /// Runs `handler` when the call is cancelled (immediately if it already is).
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        lock.lock()
        if cancelled { lock.unlock(); handler(); return }
        handlers.append(handler)
        lock.unlock()
    }

    public func cancel() {
        lock.lock()
        if cancelled { lock.unlock(); return }
        cancelled = true
        let hs = handlers
        handlers = []
        lock.unlock()
        for h in hs { h() }
    }
}

/// Something that answers model calls: the OpenAI-compatible HTTP provider, the simulator's mock
/// provider, a test double. The gateway, the scheduler and every primitive are written against
/// this protocol only.
public protocol Provider: Sendable {
    /// Starts `request` and calls `completion` exactly once, from any thread, when it ends
    /// (reply, failure after retries, or `.cancelled` once `cancellation` fires).
    ///
    /// Retries, backoff and timeouts are done by `RetryingCall` on the session's clock (the
    /// HTTP provider and `RetryingProvider` use it); admission (rate limits, budgets,
    /// concurrency) is the gateway's, before this is called.
    func start(_ request: ModelRequest, cancellation: CallCancellation,
               completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void)

    /// Starts one attempt of a call that `RetryingCall` may retry. A provider that injects
    /// failures (the simulator's) uses `attempt` to tell a retry from a new call; the default
    /// ignores it and calls `start(_:cancellation:completion:)`.
    func startAttempt(_ request: ModelRequest, attempt: ProviderAttempt, cancellation: CallCancellation,
                      completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void)
}

extension Provider {
    public func startAttempt(_ request: ModelRequest, attempt: ProviderAttempt, cancellation: CallCancellation,
                             completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        start(request, cancellation: cancellation, completion: completion)
    }
}

/// Which attempt of which call a provider is asked for.
public struct ProviderAttempt: Sendable, Equatable {
    /// 1 for the first attempt, 2 for the first retry, …
    public var number: Int
    /// Unique per call within a process (the same for all its attempts).
    public var call: UInt64

    public init(number: Int, call: UInt64) {
        self.number = number
        self.call = call
    }
}
