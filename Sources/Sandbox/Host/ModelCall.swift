/// One model call from Scheme: its request, what it reserved from the budgets, and its result.
///
/// It settles (as a `Pending`) with the reply text or an `exn:fail:llm` error; the token counts
/// and the trace record stay here for the primitive that consumes the result.
final class ModelCall: Pending, @unchecked Sendable {
    enum Kind { case sync, async, raw }

    let id: String
    /// `pending_N` for calls made by `llm-query-async` (their handle), nil otherwise.
    let handleID: String?
    let kind: Kind
    let request: ModelRequest
    let depth: Int
    let parent: String?
    let siteLine: Int?
    let siteSource: String?
    let cancellation = CallCancellation()
    let reservation: BudgetReservation
    /// The fiber that made the call: cancelling it (a race loser) cancels the call.
    weak var owner: Fiber?
    /// The scheduler whose fiber waits: its count of outstanding completions is ours to settle.
    unowned let scheduler: Scheduler
    var reply: ModelReply?
    var record: CallRecord
    /// Set when the actual usage overdrew a budget: consuming the result raises.
    var overBudget: String?
    /// The request's SHA-256 key for the store (journal and cache), computed once per call.
    private(set) lazy var contentKey = request.contentKey
    /// The n-th identical request of this run (resume journal key).
    var journalOccurrence: Int?
    /// Where the call stands until it settles (set by the gateway).
    var state = ActiveCallState.inFlight
    /// The gateway it was submitted to, which settles it when cancelled.
    weak var gateway: ModelGateway?
    /// Position among the gateway's calls (1 = first), for a deterministic cancelling order.
    var submitOrder = 0

    init(id: String, handleID: String?, kind: Kind, request: ModelRequest, depth: Int, parent: String?,
         site: (line: Int?, source: String?), reservation: BudgetReservation, scheduler: Scheduler, startedAt: Double) {
        self.id = id
        self.handleID = handleID
        self.kind = kind
        self.request = request
        self.depth = depth
        self.parent = parent
        self.siteLine = site.line
        self.siteSource = site.source
        self.reservation = reservation
        self.scheduler = scheduler
        self.record = CallRecord(id: id, parent: parent, depth: depth, model: request.model, startedAt: startedAt, endedAt: startedAt,
                                 status: "pending", siteLine: site.line, siteSource: site.source)
        super.init()
    }

    /// Cancels the call: it settles at once with a cancellation error (see `ModelGateway.cancel`).
    override func cancel() {
        guard !isSettled else { return }
        if let gateway { gateway.cancel(self) } else { cancellation.cancel() }
    }
}
