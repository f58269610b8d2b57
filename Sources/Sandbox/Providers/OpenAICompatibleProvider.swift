import Foundation

/// The real model provider: OpenAI's Chat Completions API (`POST <base>/chat/completions`) over
/// HTTP, so it also serves vLLM, llama.cpp, Ollama, OpenRouter and `rlm-plan mock-server`.
///
/// One `CurlTransport` (libcurl) per provider carries every call, so connections are reused
/// across calls (keep-alive) and up to `maxConnectionsPerHost` run at once. Each call retries per
/// `RetryPolicy`, times out per attempt, and can be cancelled; its completion runs exactly once.
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

    /// - Parameters:
    ///   - configuration: Server, key, timeouts and retry settings.
    ///   - retryLog: Called before each retry with one line, without prefix or newline and never
    ///     with the API key, e.g. `gpt-4o: API 429: Rate limit reached…; retry 1/3 in 2s`, for
    ///     the `[rlm]` stderr log (reference §7.4 logs retries).
    public init(configuration: OpenAIConfiguration, retryLog: (@Sendable (String) -> Void)? = nil) {
        self.configuration = configuration
        self.retryLog = retryLog
        transport = CurlTransport(maxConnectionsPerHost: configuration.maxConnectionsPerHost)
    }

    /// A provider configured from the environment and `.env` (`OpenAIConfiguration.fromEnvironment`).
    public convenience init() throws {
        self.init(configuration: try .fromEnvironment())
    }

    /// Sends `request`, retrying per `RetryPolicy`; `completion` runs exactly once, on a
    /// background thread (see `Provider.start`).
    public func start(_ request: ModelRequest, cancellation: CallCancellation,
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
        let call = ChatCompletionCall(
            request: httpRequest, transport: transport, policy: RetryPolicy(configuration),
            attemptTimeout: configuration.requestTimeout, scrubber: scrubber, model: request.model,
            retryLog: retryLog, completion: completion)
        call.begin(cancellation: cancellation)
    }
}

