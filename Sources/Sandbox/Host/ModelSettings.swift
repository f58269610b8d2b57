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

/// The one token estimate for text whose model has no known tokenizer, used alike by the
/// runtime's reservations, the simulator's counts and the tokenizer's fallback (issue 8: there
/// were three, chars/3, chars/4 and bytes/4).
///
/// One token per 4 characters (Unicode scalars), rounded up: OpenAI's published rule of thumb
/// for English, and what BPE tokenizers average on it. It is deliberately *not* inflated for
/// reservations: a budget reservation is dominated by the reply's worst case (`max_tokens` or
/// the model's output limit), which is already an upper bound, and an inflated prompt estimate
/// would make the simulator's predicted cost disagree with the dollars a run reserves and pays.
/// Chat framing is OpenAI's (3 tokens per message plus the role, 3 to prime the reply, see
/// `ChatTokenCounter`); an image counts as 765 tokens (a 1024×1024 image at high detail).
public enum TokenEstimate {
    /// Tokens per image attached to a message.
    public static let imageTokens = 765

    /// Estimated tokens of `text`.
    public static func tokens(_ text: String) -> Int { (scalarCount(text) + 3) / 4 }

    /// The Unicode scalars of `text`, counted on its UTF-8 bytes (every scalar has one leading
    /// byte): several times faster than walking `unicodeScalars`, which was 1.5% of a simulation
    /// whose models have no tokenizer (perf).
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var n = 0
            for b in bytes where b & 0xC0 != 0x80 { n &+= 1 }
            return n
        }
    }

    /// Estimated prompt tokens of a request.
    public static func promptTokens(_ request: ModelRequest) -> Int {
        var total = 3
        for m in request.messages {
            total += 3 + tokens(m.role) + tokens(m.content) + m.images.count * imageTokens
        }
        return total
    }
}
