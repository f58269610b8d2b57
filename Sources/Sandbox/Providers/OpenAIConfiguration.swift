import Foundation

/// Where and how `OpenAICompatibleProvider` talks to a Chat Completions server.
///
/// Any OpenAI-compatible server works (OpenAI, vLLM, llama.cpp, Ollama, OpenRouter): only the
/// base URL changes. Built from the environment with `fromEnvironment`, or field by field (tests
/// use tiny delays and timeouts).
public struct OpenAIConfiguration: Sendable, Equatable {
    /// OpenAI's own endpoint, used when `OPENAI_BASE_URL` is not set.
    public static let defaultBaseURL = "https://api.openai.com/v1"

    /// The API root; requests go to `<baseURL>/chat/completions`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer …`. nil is fine for a local server (see `requiresAPIKey`).
    public var apiKey: String?
    /// Seconds one attempt may take before it counts as a timeout (`RLM_REQUEST_TIMEOUT_SECONDS`).
    public var requestTimeout: Double
    /// Retries after the first attempt (`RLM_MAX_RETRIES`, reference §7.4); 0 disables retrying.
    public var maxRetries: Int
    /// Delay before retry k (from 0) is `retryBaseDelay × 2^k` plus jitter (`RLM_RETRY_BASE_DELAY`).
    public var retryBaseDelay: Double
    /// Jitter adds up to this fraction of the computed delay (never subtracts), so retries from
    /// many parallel calls that failed together do not all arrive together again.
    public var retryJitter: Double
    /// The longest `Retry-After` a call waits for (`RLM_MAX_RETRY_AFTER_SECONDS`, 60 s); a server
    /// asking for longer ends the call with an error instead of a long sleep.
    public var maxRetryAfter: Double
    /// Open connections allowed to the server; must cover the calls in flight, or calls queue
    /// inside the HTTP client instead of in the gateway.
    public var maxConnectionsPerHost: Int

    public init(baseURL: String = OpenAIConfiguration.defaultBaseURL, apiKey: String? = nil, requestTimeout: Double = 120,
                maxRetries: Int = 3, retryBaseDelay: Double = 2.0, retryJitter: Double = 0.2, maxConnectionsPerHost: Int = 256,
                maxRetryAfter: Double = RetryPolicy.defaultMaxRetryAfter) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.maxRetries = maxRetries
        self.retryBaseDelay = retryBaseDelay
        self.retryJitter = retryJitter
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxRetryAfter = maxRetryAfter
    }

    /// Reads the configuration from `env`, falling back to the `.env` file at `dotEnvPath` for
    /// variables `env` lacks (the environment wins; nil skips the file; a missing file is fine).
    ///
    /// Variables: `OPENAI_BASE_URL`, `OPENAI_API_KEY`, `RLM_REQUEST_TIMEOUT_SECONDS` (120),
    /// `RLM_MAX_RETRIES` (3), `RLM_RETRY_BASE_DELAY` (2.0), `RLM_MAX_RETRY_AFTER_SECONDS` (60).
    /// Empty values count as unset.
    /// A missing key is not an error here: a local server needs none, and for a remote one the
    /// first call fails with `.configuration`.
    /// - Throws: `ProviderError` of kind `.configuration` for a base URL that is not http(s) or a
    ///   number variable that does not parse.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment,
                                       dotEnvPath: String? = ".env") throws -> OpenAIConfiguration {
        let fileValues = dotEnvPath.map(DotEnv.load(path:)) ?? [:]
        func value(_ name: String) -> String? {
            for source in [env, fileValues] {
                if let v = source[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { return v }
            }
            return nil
        }
        func number(_ name: String, default fallback: Double) throws -> Double {
            guard let text = value(name) else { return fallback }
            guard let n = Double(text), n.isFinite, n >= 0 else {
                throw ProviderError(.configuration, message: "\(name) must be a non-negative number of seconds, got '\(text)'")
            }
            return n
        }
        var configuration = OpenAIConfiguration(baseURL: value("OPENAI_BASE_URL") ?? defaultBaseURL, apiKey: value("OPENAI_API_KEY"))
        configuration.requestTimeout = try number("RLM_REQUEST_TIMEOUT_SECONDS", default: configuration.requestTimeout)
        configuration.retryBaseDelay = try number("RLM_RETRY_BASE_DELAY", default: configuration.retryBaseDelay)
        configuration.maxRetryAfter = try number("RLM_MAX_RETRY_AFTER_SECONDS", default: configuration.maxRetryAfter)
        if let text = value("RLM_MAX_RETRIES") {
            guard let n = Int(text), n >= 0 else {
                throw ProviderError(.configuration, message: "RLM_MAX_RETRIES must be a non-negative integer, got '\(text)'")
            }
            configuration.maxRetries = n
        }
        if let problem = configuration.baseURLProblem { throw ProviderError(.configuration, message: problem) }
        return configuration
    }

    /// `<baseURL>/chat/completions`, or nil when the base URL is not an http(s) URL.
    public var chatCompletionsURL: URL? {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base + "/chat/completions"), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return nil }
        return url
    }

    /// Whether the base URL points at this machine (loopback), where servers such as llama.cpp
    /// and Ollama run without keys.
    public var isLocalServer: Bool {
        guard let host = chatCompletionsURL?.host?.lowercased() else { return false }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare.hasPrefix("127.") || bare == "::1" || bare == "0.0.0.0"
    }

    /// Whether calls need a key: every server but a local one.
    public var requiresAPIKey: Bool { !isLocalServer }

    /// Why calls cannot be made with this configuration, or nil when they can.
    var problem: String? {
        if let problem = baseURLProblem { return problem }
        if requiresAPIKey, apiKey?.isEmpty ?? true {
            return "no API key: set OPENAI_API_KEY (in the environment or a .env file); only a local server "
                + "(OPENAI_BASE_URL on localhost/127.0.0.1) works without one, and \(baseURL) is not local"
        }
        return nil
    }

    private var baseURLProblem: String? {
        chatCompletionsURL == nil ? "OPENAI_BASE_URL must be an http(s) URL such as \(Self.defaultBaseURL), got '\(baseURL)'" : nil
    }
}
