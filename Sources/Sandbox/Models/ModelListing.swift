/// One model's figures as users see them listed — `rlm-plan models` and the MCP server's
/// `list_models` — so the two front ends show the same prices, limits and rate limits (those a
/// run here would apply, with their source) and differ only in how they encode them.
public struct ModelFigures: Sendable {
    public let name: String
    /// Dollars per token (litellm's fields), nil when the registry has no price.
    public let inputCostPerToken: Double?
    public let outputCostPerToken: Double?
    public let maxInputTokens: Int?
    public let maxOutputTokens: Int?
    /// Latency and reply-length profile, nil when the registry has none.
    public let behavior: ModelBehavior?
    /// The limits a run against the configured provider would pace by, and where they come from.
    public let rateLimit: ResolvedRateLimit
    /// The BPE encoding prompts are counted with, or "estimate".
    public let tokenizer: String
}

public enum ModelListing {
    /// The models worth listing: those with a latency profile (every priced model when `all`),
    /// plus any the user's models file or a calibration defined, sorted by name.
    public static func names(catalog: ModelCatalog, behaviors: ModelBehaviorTable, all: Bool,
                             alsoListed: Set<String> = []) -> [String] {
        var names = Set(all ? catalog.models.map(\.name) : Array(behaviors.behaviors.keys))
        names.formUnion(alsoListed)
        return names.sorted()
    }

    /// `name`'s figures from the registry's tables and the rate limits resolved for this provider.
    public static func figures(_ name: String, catalog: ModelCatalog, behaviors: ModelBehaviorTable,
                               rateLimits: RateLimitResolver) -> ModelFigures {
        let info = catalog.info(name)
        return ModelFigures(name: name, inputCostPerToken: info?.inputCostPerToken, outputCostPerToken: info?.outputCostPerToken,
                            maxInputTokens: info?.maxInputTokens, maxOutputTokens: info?.maxOutputTokens,
                            behavior: behaviors.behavior(name), rateLimit: rateLimits.resolve(name),
                            tokenizer: ChatTokenCounter.encoding(forModel: name)?.rawValue ?? "estimate")
    }
}
