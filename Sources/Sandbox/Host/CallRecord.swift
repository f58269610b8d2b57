/// One model call as the trace reports it (`--trace`, the store's call trace, the simulator).
public struct CallRecord: Sendable, Codable, Equatable {
    public var id: String
    public var parent: String?
    public var depth: Int
    public var model: String
    public var promptTokens: Int
    public var completionTokens: Int
    /// Dollars; nil when the model's prices are unknown.
    public var cost: Double?
    public var latency: Double
    public var startedAt: Double
    public var endedAt: Double
    /// "ok" | "error" | "cached" | "replayed" | "cancelled" | "refused"
    public var status: String
    public var error: String?
    public var siteLine: Int?
    public var siteSource: String?

    public init(id: String, parent: String? = nil, depth: Int = 0, model: String, promptTokens: Int = 0,
                completionTokens: Int = 0, cost: Double? = nil, latency: Double = 0, startedAt: Double = 0,
                endedAt: Double = 0, status: String, error: String? = nil, siteLine: Int? = nil, siteSource: String? = nil) {
        self.id = id
        self.parent = parent
        self.depth = depth
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cost = cost
        self.latency = latency
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.error = error
        self.siteLine = siteLine
        self.siteSource = siteSource
    }
}
