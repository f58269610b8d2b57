import Foundation

/// The real model provider: OpenAI's Chat Completions API (`POST <base>/chat/completions`) over
/// HTTP, so it also serves vLLM, llama.cpp, Ollama, OpenRouter and `rlm-plan mock-server`.
///
/// One `CurlTransport` (libcurl) per provider carries every call, so connections are reused
/// across calls (keep-alive) and up to `maxConnectionsPerHost` run at once. Each call retries per
/// `RetryPolicy` (`RetryingCall`, on the session's clock when a world built it), times out per
/// attempt, and can be cancelled; its completion runs exactly once.
/// Measured against the local server at 50 calls in flight: see docs/http-provider.md.
///
/// ```swift
/// let provider = try OpenAICompatibleProvider(configuration: .fromEnvironment())
/// provider.start(.forQuery(instruction: "Summarize", data: text, model: "gpt-4o"),
///                cancellation: CallCancellation()) { result in … }
/// ```
public final class OpenAICompatibleProvider: Provider {
    /// The server, key, timeout and retry settings every call uses.
    public let configuration: OpenAIConfiguration
    private let transport: CurlTransport
    private let retryLog: (@Sendable (String) -> Void)?
    private let timers: CallTimers

    /// - Parameters:
    ///   - configuration: Server, key, timeouts and retry settings.
    ///   - retryLog: Called before each retry with one line, without prefix or newline and never
    ///     with the API key, e.g. `gpt-4o: API 429: Rate limit reached…; retry 1/3 in 2s`, for
    ///     the `[rlm]` stderr log (reference §7.4 logs retries).
    ///   - timers: Where timeouts and backoff sleeps run: `.dispatch` (real time, no session
    ///     needed) by default; a world passes its clock (`World.live`).
    public init(configuration: OpenAIConfiguration, retryLog: (@Sendable (String) -> Void)? = nil,
                timers: CallTimers = .dispatch) {
        self.configuration = configuration
        self.retryLog = retryLog
        self.timers = timers
        transport = CurlTransport(maxConnectionsPerHost: configuration.maxConnectionsPerHost)
    }

    /// A provider configured from the environment and `.env` (`OpenAIConfiguration.fromEnvironment`).
    public convenience init() throws {
        self.init(configuration: try .fromEnvironment())
    }

    /// Sends `request`, retrying per `RetryPolicy` (`RetryingCall`); `completion` runs exactly
    /// once, on a background thread or the clock's (see `Provider.start`).
    public func start(_ request: ModelRequest, cancellation: CallCancellation,
                      completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let scrubber = SecretScrubber(secret: configuration.apiKey)
        var cleanLog: (@Sendable (String) -> Void)?
        if let retryLog { cleanLog = { line in retryLog(scrubber.clean(line, limit: 400)) } }
        let call = RetryingCall(
            policy: RetryPolicy(configuration), timers: timers, model: request.model, target: target(scrubber),
            retryLog: cleanLog,
            unitRandom: { _ in Double.random(in: 0..<1) },
            startAttempt: { [self] attempt, attemptCancellation, done in
                startAttempt(request, attempt: attempt, cancellation: attemptCancellation, completion: done)
            },
            completion: completion)
        call.begin(cancellation: cancellation)
    }

    /// One HTTP attempt, without retries or a timer of its own (libcurl's timeout is a
    /// backstop): what `RetryingProvider` wraps.
    public func startAttempt(_ request: ModelRequest, attempt: ProviderAttempt, cancellation: CallCancellation,
                             completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let scrubber = SecretScrubber(secret: configuration.apiKey)
        let failEarly = { (error: ProviderError) in
            // Asynchronously, like every other outcome, so callers never see a completion run
            // inside `start`.
            DispatchQueue.global().async { completion(.failure(error)) }
        }
        if let problem = configuration.problem {
            return failEarly(ProviderError(.configuration, message: scrubber.clean(problem), attempts: 0))
        }
        guard let url = configuration.chatCompletionsURL else {
            return failEarly(ProviderError(.configuration, message: "bad base URL", attempts: 0))
        }
        let body: Data
        do {
            body = try ChatCompletionCodec.encode(request)
        } catch {
            return failEarly(ProviderError(.configuration, message: "cannot encode the request: \(error)", attempts: 0))
        }
        // "Expect:" stops libcurl from waiting for `100 Continue` before sending a large body.
        var headers = ["Content-Type: application/json", "Accept: application/json", "Expect:"]
        if let key = configuration.apiKey, !key.isEmpty { headers.append("Authorization: Bearer \(key)") }
        // The call's own timer ends an attempt after `requestTimeout`; libcurl's limit is a backstop.
        let httpRequest = HTTPRequest(url: url.absoluteString, headers: headers, body: body,
                                      timeout: configuration.requestTimeout + 1)
        ChatCompletionAttempt.send(httpRequest, transport: transport, scrubber: scrubber, cancellation: cancellation,
                                   completion: completion)
    }

    /// `host:port` of the server, for timeout messages.
    private func target(_ scrubber: SecretScrubber) -> String {
        let url = configuration.chatCompletionsURL
        let port = url?.port.map { ":\($0)" } ?? ""
        return scrubber.clean((url?.host ?? "server") + port)
    }
}

