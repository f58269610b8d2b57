import Foundation

/// What the planner knows about a task, in numbers: the data's shape, what a plan must deliver,
/// and the limits it must keep. Built by `TaskProfiler` from a `PlanRequest`; every figure the
/// request did not give is an assumption listed beside it (`_meta.assumptions`).
public struct TaskProfile: Codable, Sendable, Equatable {
    /// The kind of task: `extraction`, `summarisation`, `classification`, `comparison`, `qa`,
    /// `code-generation`, `translation`, `search`, `analysis`.
    public var kind: String
    /// What the items are called ("paper", "file", "row", "section").
    public var itemNoun: String
    /// Items the strategy will process (what `(context-items)` returns).
    public var items: Int
    /// Characters per item (mean).
    public var charsPerItem: Int
    /// Tokens per item (mean; measured in o200k_base for real data, chars/4 otherwise).
    public var tokensPerItem: Int
    /// The smallest, median and largest item in tokens (real data only).
    public var tokensPerItemSpread: Spread?
    /// Tokens of all items together.
    public var totalTokens: Int
    /// `context` (measured), `description` (parsed from the words) or `assumed`.
    public var dataSource: String
    /// The data is one document cut into sections (so one answer is wanted, not one per section).
    public var singleDocument: Bool
    /// `speed`, `cost`, `quality` or `balanced`.
    public var priority: String
    /// `minimal` … `comprehensive`, when given.
    public var scale: String?
    /// The fewest outputs a plan may return.
    public var requiredOutputs: Int
    /// The share of items a plan must cover (0–1).
    public var coverageTarget: Double
    /// Dollars a plan may cost (checked against the simulated p95).
    public var maxCostUSD: Double?
    /// Seconds a plan may take (checked against the simulated p95).
    public var maxLatencySeconds: Double?
    /// The only models a plan may use (nil: any).
    public var allowedModels: [String]?
    /// Models a plan must not use.
    public var excludedModels: [String]
    /// The output format asked for ("JSON", "API docs"), when said.
    public var outputFormat: String?

    /// Smallest, median and largest.
    public struct Spread: Codable, Sendable, Equatable {
        public var min: Int
        public var p50: Int
        public var max: Int
    }

    enum CodingKeys: String, CodingKey {
        case kind, itemNoun = "item_noun", items, charsPerItem = "chars_per_item", tokensPerItem = "tokens_per_item"
        case tokensPerItemSpread = "tokens_per_item_spread", totalTokens = "total_tokens", dataSource = "data_source"
        case singleDocument = "single_document", priority, scale, requiredOutputs = "required_outputs"
        case coverageTarget = "coverage_target", maxCostUSD = "max_cost_usd", maxLatencySeconds = "max_latency_s"
        case allowedModels = "allowed_models", excludedModels = "excluded_models", outputFormat = "output_format"
    }

    /// Outputs a plan needs: `requiredOutputs`, and at least the coverage target's share of items
    /// for a per-item plan.
    func outputsNeeded(perItem: Bool) -> Int {
        perItem ? max(requiredOutputs, Int((coverageTarget * Double(items)).rounded(.up))) : requiredOutputs
    }
}

/// The four priorities and the five scales the original's prompt defines (reference §6).
enum PlanVocabulary {
    static let priorities = ["speed", "cost", "quality", "balanced"]
    /// Scale → (fewest, most) outputs; comprehensive means every item.
    static let scales: [(name: String, range: ClosedRange<Int>?)] = [
        ("minimal", 5...10), ("small", 10...30), ("medium", 30...100), ("large", 100...500), ("comprehensive", nil),
    ]
}
