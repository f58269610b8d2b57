/// One model call as the trace records it: who made it, what it cost, how long it took and
/// how it ended. A run's records, in the order they ended, are the data behind the audit trail,
/// `rlm-plan trace` and the simulator's per-call-site profile.
public struct CallRecord: Sendable, Codable, Equatable {
    /// Unique within the run.
    public var id: String
    /// The call whose sub-task made this call (recursive `llm-query`), nil at the top level.
    public var parent: String?
    /// Nesting depth: 0 at the top level, `parent`'s depth + 1 below it.
    public var depth: Int
    /// The model name as requested.
    public var model: String
    /// Tokens billed for the prompt (0 when the call never reached the provider).
    public var promptTokens: Int
    /// Tokens billed for the reply.
    public var completionTokens: Int
    /// Dollars, nil when the model's prices are unknown.
    public var cost: Double?
    /// Seconds from start to end.
    public var latency: Double
    /// Seconds since 1970 when the call started, on the session's clock (virtual in a simulation).
    public var startedAt: Double
    /// Seconds since 1970 when the call ended, on the same clock.
    public var endedAt: Double
    /// How it ended: `ok`, `error`, `cached` (response cache), `replayed` (call journal),
    /// `cancelled` (race loser, interrupt) or `refused` (budget or limit, never sent).
    public var status: String
    /// The failure's message when `status` is `error` or `refused`.
    public var error: String?
    /// The source line of the `llm-query` that made the call, when known.
    public var siteLine: Int?
    /// The source text of that call site, when known.
    public var siteSource: String?
    /// The call the issuing fiber last waited on before making this one (spawned fibers start
    /// with their parent's), nil when it had waited on none: the real dependency the critical
    /// path follows.
    public var dependsOn: String?
    /// Attempts after the first (429s, 5xx, timeouts retried); nil when there were none.
    public var retries: Int?
    /// The server's `x-ratelimit-limit-requests` / `-tokens` on the reply, when it sent them
    /// (calibration keeps them as the account's observed limits).
    public var limitRequests: Int?
    public var limitTokens: Int?

    /// A record; counts default to 0 and the optional fields to nil, as for a refused call.
    public init(id: String, parent: String? = nil, depth: Int = 0, model: String, promptTokens: Int = 0,
                completionTokens: Int = 0, cost: Double? = nil, latency: Double = 0, startedAt: Double,
                endedAt: Double, status: String, error: String? = nil, siteLine: Int? = nil, siteSource: String? = nil) {
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
