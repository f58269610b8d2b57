import Foundation

/// How a session makes model calls. Built once per session (CLI flags, environment) and shared by
/// its child sandboxes.
public struct ModelSettings: Sendable {
    /// The model used when `#:model` is "" (reference §7.1: `RLM_SUB_MODEL`, else gpt-4o).
    public var defaultModel: String
    /// Calls in flight at once across the whole session (fibers and child sandboxes).
    public var maxInFlight: Int
    /// Serve deterministic calls (temperature 0 or unset) from the store's response cache.
    public var cacheResponses: Bool
    /// Depth limit of `#:recursive #t` child sandboxes.
    public var maxRecursionDepth: Int
    /// Journal for `rlm-plan run --resume`: completed calls are recorded under it and, when
    /// `replayJournal` is set, replayed instead of being paid for again.
    public var journal: String?
    public var replayJournal: Bool
    /// Output tokens reserved for a call without `#:max-tokens` when the model's limit is unknown
    /// (the original sends `max_tokens` 4096 in that case, reference §7.1).
    public var defaultOutputReservation: Int
    /// When set, every call record is also appended to the store's trace under this run id.
    public var runID: String?

    public init(defaultModel: String? = nil, maxInFlight: Int = 64, cacheResponses: Bool = false,
                maxRecursionDepth: Int = 3, journal: String? = nil, replayJournal: Bool = false,
                defaultOutputReservation: Int = 4096,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.defaultModel = defaultModel ?? environment["RLM_SUB_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "gpt-4o"
        self.maxInFlight = max(1, maxInFlight)
        self.cacheResponses = cacheResponses
        self.maxRecursionDepth = maxRecursionDepth
        self.journal = journal
        self.replayJournal = replayJournal
        self.defaultOutputReservation = defaultOutputReservation
    }
}

/// A rough upper-bound-leaning token count used for reservations until an exact tokenizer is
/// plugged in (`ModelGateway.tokenEstimator`): BPE tokenizers average ~4 characters per token on
/// English; 3 keeps the estimate on the safe side, plus the chat format's per-message overhead.
enum TokenEstimate {
    static func promptTokens(_ request: ModelRequest) -> Int {
        var total = 3
        for m in request.messages {
            total += 4 + (m.content.unicodeScalars.count + 2) / 3 + m.images.count * 765
        }
        return total
    }
}
