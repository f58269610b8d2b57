/// What the catalog knows about one model: prices, limits and a few capabilities.
///
/// Every field but the name and provider is optional because the sources are: nil means
/// "not known", never "zero" or "unsupported". Encodes with the catalog file's snake_case keys
/// (`input_cost_per_token`, …; see `docs/data-sources.md`), so `--json` output can be pasted
/// into an override file.
public struct ModelInfo: Sendable, Codable, Equatable {
    /// The model name as sent to the provider (`gpt-4o`, `claude-3-5-haiku-20241022`).
    public var name: String
    /// Who serves it: `openai`, `anthropic`, `gemini`, `mistral`, `deepseek`, `groq`, or what an
    /// override file says.
    public var provider: String
    /// Dollars per prompt token.
    public var inputCostPerToken: Double?
    /// Dollars per completion token.
    public var outputCostPerToken: Double?
    /// Dollars per prompt token served from the provider's prompt cache.
    public var cachedInputCostPerToken: Double?
    /// The context window for the prompt.
    public var maxInputTokens: Int?
    /// The most tokens one reply may have.
    public var maxOutputTokens: Int?
    /// Accepts `response_format: {type: json_object}`.
    public var supportsJSONMode: Bool?
    /// Accepts images in user messages.
    public var supportsVision: Bool?
    /// Accepts a `temperature` (reasoning models may refuse one).
    public var supportsTemperature: Bool?

    /// An entry; every field not given is unknown (nil).
    public init(name: String, provider: String, inputCostPerToken: Double? = nil, outputCostPerToken: Double? = nil,
                cachedInputCostPerToken: Double? = nil, maxInputTokens: Int? = nil, maxOutputTokens: Int? = nil,
                supportsJSONMode: Bool? = nil, supportsVision: Bool? = nil, supportsTemperature: Bool? = nil) {
        self.name = name
        self.provider = provider
        self.inputCostPerToken = inputCostPerToken
        self.outputCostPerToken = outputCostPerToken
        self.cachedInputCostPerToken = cachedInputCostPerToken
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.supportsJSONMode = supportsJSONMode
        self.supportsVision = supportsVision
        self.supportsTemperature = supportsTemperature
    }

    /// The catalog file's field names (litellm's where it has one).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case provider
        case inputCostPerToken = "input_cost_per_token"
        case outputCostPerToken = "output_cost_per_token"
        case cachedInputCostPerToken = "cache_read_input_token_cost"
        case maxInputTokens = "max_input_tokens"
        case maxOutputTokens = "max_output_tokens"
        case supportsJSONMode = "supports_json_mode"
        case supportsVision = "supports_vision"
        case supportsTemperature = "supports_temperature"
    }
}
