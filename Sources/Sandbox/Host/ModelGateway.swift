import DequeModule
import Foundation

/// Every model call of a session goes through here: admission (concurrency window, rate limits),
/// the provider, then accounting (usage, budgets' refunds, rate-limit snapshot, call records).
///
/// Lives on the VM thread. Provider completions arrive on other threads and are handed over
/// through the clock (`EventClock.post`), so the accounting needs no lock. What hosts read from
/// other threads while an evaluation runs — the live calls and the event subscriptions — sits
/// in lock-protected parts (`ActiveCallTable`, `SessionEventHub`).
public final class ModelGateway: @unchecked Sendable {
    public let clock: any EventClock
    public var settings: ModelSettings
    private let makeProvider: () throws -> any Provider
    private var provider: (any Provider)?
    /// Earliest time a request for `model` using `tokens` may be sent (books the slot). Default: now.
    public var admission: (_ model: String, _ tokens: Int, _ now: Double) -> Double = { _, _, now in now }
    /// Called with each reply's rate-limit headers (the limiter adapts).
    public var observeRateLimits: (_ snapshot: RateLimitSnapshot, _ model: String, _ now: Double) -> Void = { _, _, _ in }
    /// Dollars for a call, nil when the model's prices are unknown.
    public var pricing: (_ model: String, _ prompt: Int, _ completion: Int) -> Double? = { _, _, _ in nil }
    /// The model's output-token limit (the worst case reserved when `#:max-tokens` is absent).
    public var outputLimit: (_ model: String) -> Int? = { _ in nil }
    /// Prompt tokens of a request, for reservations (the simulator plugs in its tokenizer).
    public var tokenEstimator: (ModelRequest) -> Int = TokenEstimate.promptTokens
    /// Maps a model name as written (`fast`, an alias) to the model sent.
    public var resolveModel: (String) -> String = { $0 }
    /// Subscribers to call events (streams for hosts, synchronous observers).
    let eventHub = SessionEventHub()
    /// The calls not settled yet, for hosts on other threads.
    let activeTable = ActiveCallTable()
    /// The same calls by id, for cancelling them (VM thread only).
    private var live: [String: ModelCall] = [:]
    /// Calls made so far (the `started` running total).
    private var startedCount = 0
    var store: Store?

    public private(set) var usage = UsageTotals()
    public private(set) var rateLimits = RateLimitSnapshot()
    public private(set) var records: [CallRecord] = []
    public private(set) var inFlight = 0
    /// Seconds calls spent held back by the rate limiter, summed over calls.
    public private(set) var rateLimitWaitSeconds = 0.0
    private var waiting = Deque<ModelCall>()
    private var callCounter = 0
    private var handleCounter = 0
    /// Occurrences of each request so far (journal keys: the n-th identical request of a run).
    private var occurrences: [String: Int] = [:]

    /// The models' prices and limits (the embedded litellm table unless overridden).
    public let catalog: ModelCatalog

    public init(clock: any EventClock, settings: ModelSettings, catalog: ModelCatalog = .embedded,
                provider: @escaping () throws -> any Provider) {
        self.clock = clock
        self.settings = settings
        self.catalog = catalog
        self.makeProvider = provider
        pricing = { model, p, c in catalog.cost(model: model, promptTokens: p, completionTokens: c) }
        outputLimit = { model in catalog.outputLimit(model) }
    }

    func nextCallID(depth: Int) -> String {
        callCounter += 1
        return depth == 0 ? "call_\(callCounter)" : "call_d\(depth)_\(callCounter)"
    }

    /// `pending_N`: never reset, like the original's per-process counter (reference §4.5).
    func nextHandleID() -> String {
        defer { handleCounter += 1 }
        return "pending_\(handleCounter)"
    }

    // MARK: Submitting

    /// Starts `call` now or when admission allows. The call settles through the clock.
    func submit(_ call: ModelCall) {
        call.gateway = self
        startedCount += 1
        call.submitOrder = startedCount
        live[call.id] = call
        activeTable.insert(ActiveCallSnapshot(id: call.id, model: call.request.model, state: .inFlight, depth: call.depth,
                                              startedAt: Date(), sentAt: nil))
        if settings.cacheResponses || settings.journal != nil, let served = serveFromStore(call) {
            publish(.started, call, state: .inFlight)
            finish(call, served.reply, status: served.status)
            return
        }
        call.scheduler.externalWaits += 1
        if inFlight >= settings.maxInFlight {
            call.state = .queuedForSlot
            activeTable.update(call.id, to: .queuedForSlot)
            waiting.append(call)
        } else {
            admit(call)
        }
        publish(.started, call, state: call.state)
    }

    private func admit(_ call: ModelCall) {
        inFlight += 1
        let now = clock.now()
        // Providers count a request against tokens-per-minute as prompt + max_tokens (4096 when
        // unset, as the original sends), not the model's whole output limit.
        let prompt = call.reservation.tokens - (call.request.maxTokens ?? call.reservation.outputTokens)
        let rateTokens = prompt + (call.request.maxTokens ?? min(call.reservation.outputTokens, settings.defaultOutputReservation))
        let at = admission(call.request.model, rateTokens, now)
        if at > now {
            rateLimitWaitSeconds += at - now
            call.state = .waitingForRateLimit
            activeTable.update(call.id, to: .waitingForRateLimit)
            clock.schedule(at: at) { [self] in dispatch(call) }
        } else {
            dispatch(call)
        }
    }

    private func dispatch(_ call: ModelCall) {
        if call.cancellation.isCancelled || call.isSettled {
            deliver(call, .failure(ProviderError(.cancelled, message: "call was cancelled")))
            return
        }
        let waited = call.state != .inFlight
        call.state = .inFlight
        activeTable.update(call.id, to: .inFlight)
        if waited { publish(.sent, call, state: .inFlight) }
        let provider: any Provider
        do {
            if let p = self.provider { provider = p } else { provider = try makeProvider(); self.provider = provider }
        } catch {
            deliver(call, .failure(ProviderError(.configuration, message: "\(error)")))
            return
        }
        call.record.startedAt = clock.now()
        let clock = self.clock
        let box = UncheckedBox((self, call))
        provider.start(call.request, cancellation: call.cancellation) { result in
            clock.post {
                let (gateway, call) = box.value
                gateway.deliver(call, result)
            }
        }
    }

    /// A provider result arrived (on the VM thread). A call cancelled meanwhile has settled
    /// already: only its slot is given back.
    private func deliver(_ call: ModelCall, _ result: Result<ModelReply, ProviderError>) {
        inFlight -= 1
        call.scheduler.externalWaits -= 1
        // Settle first, so the next call is admitted into a window that no longer counts this one.
        if !call.isSettled {
            switch result {
            case .success(let reply):
                if let snapshot = reply.rateLimits {
                    rateLimits = snapshot
                    // The figures describe the server when it received the request, not now: a
                    // reply's latency later, the limiter would take them for stale (retried
                    // calls: their first attempt, a little early).
                    observeRateLimits(snapshot, call.request.model, clock.now() - max(0, reply.latency))
                }
                recordInStore(call, reply)
                finish(call, reply, status: "ok")
            case .failure(let error):
                fail(call, error)
            }
        }
        if let next = waiting.popFirst() { admit(next) }
    }

    // MARK: Settling

    private func finish(_ call: ModelCall, _ reply: ModelReply, status: String) {
        let now = clock.now()
        let paid = status == "ok"
        let cost = pricing(call.request.model, reply.promptTokens, reply.completionTokens)
        usage.calls += 1
        usage.promptTokens += reply.promptTokens
        usage.completionTokens += reply.completionTokens
        if status == "cached" { usage.cachedCalls += 1 }
        if status == "replayed" { usage.replayedCalls += 1 }
        if paid {
            if let cost { usage.cost += cost } else { usage.unpricedCalls += 1 }
        }
        call.reply = reply
        call.record.promptTokens = reply.promptTokens
        call.record.completionTokens = reply.completionTokens
        call.record.cost = paid ? cost : (cost == nil ? nil : 0)
        call.record.latency = status == "ok" ? reply.latency : 0
        call.record.endedAt = now
        call.record.status = status
        if paid {
            call.record.retries = reply.attempts > 1 ? reply.attempts - 1 : nil
            call.record.limitRequests = reply.rateLimits.flatMap { $0.limitRequests > 0 ? $0.limitRequests : nil }
            call.record.limitTokens = reply.rateLimits.flatMap { $0.limitTokens > 0 ? $0.limitTokens : nil }
        }
        settleBudgets(call, tokens: reply.totalTokens, dollars: paid ? (cost ?? 0) : 0)
        untrack(call)
        appendRecord(call.record)
        if reply.attempts > 1 { publish(.retried, call, record: call.record, retries: reply.attempts - 1) }
        publish(.finished, call, record: call.record)
        call.settle(.success(.string(MString(reply.text))))
    }

    private func fail(_ call: ModelCall, _ error: ProviderError) {
        usage.calls += 1
        usage.failedCalls += 1
        call.record.endedAt = clock.now()
        call.record.status = error.kind == .cancelled ? "cancelled" : "error"
        call.record.error = error.description
        call.record.retries = error.attempts > 1 ? error.attempts - 1 : nil
        settleBudgets(call, tokens: 0, dollars: 0)
        untrack(call)
        appendRecord(call.record)
        publish(.failed, call, record: call.record)
        call.settle(.failure(ModelGateway.llmError(error, model: call.request.model)))
    }

    private func untrack(_ call: ModelCall) {
        live[call.id] = nil
        activeTable.remove(call.id)
    }

    // MARK: Cancelling

    /// Cancels `call`: it settles now with a catchable `exn:fail:llm` (kind `cancelled`), and a
    /// request in flight is aborted (its slot comes back when the provider lets go of it).
    func cancel(_ call: ModelCall) {
        guard !call.isSettled else { return }
        call.cancellation.cancel()
        if call.state == .queuedForSlot, let i = waiting.firstIndex(where: { $0 === call }) {
            waiting.remove(at: i)
            call.scheduler.externalWaits -= 1
        }
        fail(call, ProviderError(.cancelled, message: "call \(call.id) was cancelled"))
    }

    /// Cancels the unsettled call `id`; false when there is none.
    @discardableResult
    func cancel(id: String) -> Bool {
        guard let call = live[id] else { return false }
        cancel(call)
        return true
    }

    /// Cancels every unsettled call whose fiber runs on `scheduler` (an interrupted evaluation).
    func cancelAll(on scheduler: Scheduler) {
        let doomed = live.values.filter { $0.scheduler === scheduler }.sorted { $0.submitOrder < $1.submitOrder }
        // Queued calls go first, so cancelling one in flight does not admit one of them.
        let queued = Set(doomed.filter { $0.state == .queuedForSlot }.map(ObjectIdentifier.init))
        if !queued.isEmpty {
            waiting.removeAll { queued.contains(ObjectIdentifier($0)) }
            for call in doomed where queued.contains(ObjectIdentifier(call)) { call.scheduler.externalWaits -= 1 }
        }
        for call in doomed {
            call.cancellation.cancel()
            fail(call, ProviderError(.cancelled, message: "call \(call.id) was cancelled (evaluation interrupted)"))
        }
    }

    /// Gives back the reservation and charges what the call really used.
    private func settleBudgets(_ call: ModelCall, tokens: Int, dollars: Double) {
        let r = call.reservation
        for scope in r.tokenScopes {
            scope.adjust(by: Double(r.tokens - tokens))
            if let left = scope.remaining, left < 0 { call.overBudget = "llm-query: token budget exceeded" }
        }
        for scope in r.dollarScopes {
            scope.adjust(by: r.dollars - dollars)
            if let left = scope.remaining, left < 0 { call.overBudget = "llm-query: cost budget exceeded" }
        }
    }

    /// The Scheme error for a failed call: `exn:fail:llm` carrying the HTTP status.
    static func llmError(_ error: ProviderError, model: String) -> SchemeError {
        let message = "llm-query: \(error.description) (model \(model))"
        var e = SchemeError(.llm, message)
        var fields: [String: Value] = ["kind": .symbol(Symbol.intern(error.kind.rawValue))]
        fields["status"] = error.status.map { .int($0) } ?? .false
        e.payload = .object(ExnObject(kind: "exn:fail:llm", message: message, error: e, fields: fields))
        return e
    }

    // MARK: Store (response cache, resume journal)

    private func serveFromStore(_ call: ModelCall) -> (reply: ModelReply, status: String)? {
        guard let store else { return nil }
        let key = call.contentKey
        if let journal = settings.journal {
            let n = occurrences[key, default: 0]
            occurrences[key] = n + 1
            call.journalOccurrence = n
            if settings.replayJournal, let reply = try? store.journaledReply(journal: journal, contentKey: key, occurrence: n) {
                return (reply, "replayed")
            }
        }
        if settings.cacheResponses, call.request.isDeterministic, let reply = try? store.cachedReply(contentKey: key) {
            return (reply, "cached")
        }
        return nil
    }

    private func recordInStore(_ call: ModelCall, _ reply: ModelReply) {
        guard let store, settings.journal != nil || settings.cacheResponses else { return }
        let key = call.contentKey
        if let journal = settings.journal, let n = call.journalOccurrence {
            try? store.journalReply(journal: journal, contentKey: key, occurrence: n, reply: reply)
        }
        if settings.cacheResponses, call.request.isDeterministic {
            try? store.cacheReply(contentKey: key, model: call.request.model, reply: reply)
        }
    }

    /// Keeps the record for the trace (memory and, with a run id, the store).
    private func appendRecord(_ record: CallRecord) {
        records.append(record)
        if let run = settings.runID, let store { try? store.appendTrace(run: run, record) }
    }

    // MARK: Events

    /// A stream of every call event from now on (any thread may subscribe).
    public func events() -> AsyncStream<SessionEvent> { eventHub.stream() }

    /// Calls `observer` with every call event, on the VM thread, until `removeObserver(token)`.
    @discardableResult
    public func addObserver(_ observer: @escaping @Sendable (SessionEvent) -> Void) -> Int {
        eventHub.addObserver(observer)
    }

    public func removeObserver(_ token: Int) { eventHub.removeObserver(token) }

    /// The calls not settled yet, oldest first (any thread).
    public func activeCalls() -> [ActiveCallSnapshot] { activeTable.snapshot() }

    /// The running totals events carry.
    var totals: SessionTotals {
        var t = SessionTotals()
        t.started = startedCount
        t.finished = usage.calls - usage.failedCalls
        t.failed = usage.failedCalls
        (t.inFlight, t.queuedForSlot, t.waitingForRateLimit) = activeTable.counts()
        t.inputTokens = usage.promptTokens
        t.outputTokens = usage.completionTokens
        t.costUSD = usage.cost
        return t
    }

    private func publish(_ kind: SessionEvent.Kind, _ call: ModelCall, state: ActiveCallState? = nil, record: CallRecord? = nil,
                         retries: Int = 0) {
        guard eventHub.hasSubscribers else { return }
        eventHub.publish(SessionEvent(kind: kind, callID: call.id, model: call.request.model, state: state, record: record,
                                      retries: retries, totals: totals))
    }

    deinit { eventHub.finishAll() }
}

/// Carries VM-thread objects through a provider's `@Sendable` completion back to the VM thread
/// (the value is only touched there).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
