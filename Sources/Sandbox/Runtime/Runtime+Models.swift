/// Where a child sandbox sits: its depth, the call that made it, and the parent's budget scopes,
/// which its calls are charged against too (no bypass by recursion).
struct RecursionContext {
    var depth = 0
    var parentCallID: String?
    var inheritedTokenScopes: [BudgetScope] = []
    var inheritedDollarScopes: [BudgetScope] = []
}

/// What a `#:recursive #t` call asks of the session: run `code` in a fresh child sandbox.
struct ChildSandboxRequest {
    let code: String
    let data: String
    let context: RecursionContext
    let gateway: ModelGateway
}

extension Runtime {
    /// Seconds this evaluation has waited on the host (callback mode), 0 otherwise.
    var hostWaitSinceStart: Double {
        guard let wait = models.hostWaitSeconds else { return 0 }
        return wait() - models.hostWaitAtStart
    }

    // MARK: Model calls

    /// Validates, reserves budget for and submits one model call (reference §2.1, issue 3 §5).
    func startModelCall(kind: ModelCall.Kind, who: String, instruction: String, data: String, model: String,
                        temperature: Double?, maxTokens: Int?, json: Bool, images: [String]) throws -> ModelCall {
        guard let gateway = models.gateway else {
            throw SchemeError(.llm, "\(who): no model provider is configured (set OPENAI_API_KEY / OPENAI_BASE_URL, or run under the simulator)")
        }
        var modelName = model
        if modelName.isEmpty {
            if case .string(let s) = parameterValue(models.modelOverride), !s.string.isEmpty { modelName = s.string }
            else { modelName = gateway.settings.defaultModel }
        }
        modelName = gateway.resolveModel(modelName)
        let request = ModelRequest.forQuery(instruction: instruction, data: data, model: modelName, temperature: temperature,
                                            maxTokens: maxTokens, jsonMode: json, images: images)
        let reservation = try reserve(request, who: who, gateway)
        let call = ModelCall(id: gateway.nextCallID(depth: models.recursion.depth),
                             handleID: kind == .async ? gateway.nextHandleID() : nil,
                             kind: kind, request: request, depth: models.recursion.depth, parent: models.recursion.parentCallID,
                             site: callSite(), reservation: reservation, scheduler: models.scheduler, startedAt: gateway.clock.now())
        call.owner = currentFiber
        call.record.dependsOn = currentFiber?.lastAwaitedCall?.id
        if let fiber = currentFiber {
            // Only calls still in flight matter for cancellation; drop settled ones now and then.
            fiber.pruneSettledIfLarge(fiber.ownedCalls.count)
            fiber.ownedCalls.append(call)
        }
        if let handle = call.handleID { models.asyncCalls[handle] = call }
        gateway.submit(call)
        return call
    }

    /// The scopes of `parameter` that a call here is charged against: every `parameterize` scope
    /// of the running fiber (innermost first), then the global value.
    func budgetScopes(_ parameter: Parameter) -> [BudgetScope] {
        var scopes: [BudgetScope] = []
        if let fiber = currentFiber {
            for b in fiber.parameters.reversed() where b.parameter === parameter { scopes.append(.binding(b)) }
        }
        scopes.append(.global(parameter))
        return scopes
    }

    /// Takes the worst case of a call from every budget, or refuses it before it is sent.
    private func reserve(_ request: ModelRequest, who: String, _ gateway: ModelGateway) throws -> BudgetReservation {
        let prompt = gateway.tokenEstimator(request)
        let output = request.maxTokens ?? gateway.outputLimit(request.model) ?? gateway.settings.defaultOutputReservation
        var r = BudgetReservation()
        r.tokens = prompt + output
        r.outputTokens = output
        r.tokenScopes = budgetScopes(models.tokenBudget) + models.recursion.inheritedTokenScopes
        r.dollarScopes = budgetScopes(models.costBudget) + models.recursion.inheritedDollarScopes
        for scope in r.tokenScopes {
            if let left = scope.remaining, Double(r.tokens) > left {
                let how = request.maxTokens == nil ? "the model's output limit \(output)" : "#:max-tokens \(output)"
                throw SchemeError(.budgetExceeded, "\(who): token budget exceeded: this call may use up to \(r.tokens) tokens (about \(prompt) prompt + \(how)) but only \(Printer.display(scope.value)) remain; the call was not sent (pass a smaller #:max-tokens or raise token-budget)")
            }
        }
        if r.dollarScopes.contains(where: { $0.remaining != nil }) {
            guard let cost = gateway.pricing(request.model, prompt, output) else {
                throw SchemeError(.user, "\(who): cost-budget is set but the prices of model \(request.model) are unknown; the call was not sent (add the model to the catalog with RLM_MODELS_FILE)")
            }
            r.dollars = cost
            for scope in r.dollarScopes {
                if let left = scope.remaining, cost > left {
                    throw SchemeError(.budgetExceeded, "\(who): cost budget exceeded: this call may cost up to $\(formatDollars(cost)) but only $\(formatDollars(left)) remain; the call was not sent")
                }
            }
        }
        for scope in r.tokenScopes { scope.adjust(by: -Double(r.tokens)) }
        if r.dollars > 0 { for scope in r.dollarScopes { scope.adjust(by: -r.dollars) } }
        return r
    }

    /// Dollars rounded to a millionth (prices per token are that small).
    private func formatDollars(_ d: Double) -> String {
        "\((d * 1_000_000).rounded() / 1_000_000)"
    }

    /// The line of user code that made the call: the innermost frame outside the preludes.
    private func callSite() -> (line: Int?, source: String?) {
        if let site = models.modelCallSite { return (site.line, site.source) }
        guard let fiber = currentFiber else { return (nil, nil) }
        func userPosition(_ code: Code?, _ ip: Int) -> SourcePosition? {
            guard let code, !Runtime.isSystemSource(code.sourceName) else { return nil }
            return code.position(at: ip - 1)
        }
        if let p = userPosition(fiber.code, fiber.ip) { return (p.line, p.source) }
        var i = fiber.frameCount - 1
        while i >= 0 {
            let f = fiber.frames[i]
            if let p = userPosition(f.code, f.ip) { return (p.line, p.source) }
            i -= 1
        }
        return (nil, nil)
    }

    static func isSystemSource(_ name: String?) -> Bool {
        guard let name else { return false }
        return name == "prelude" || name.hasPrefix("prelude-")
    }

    /// Consumes a settled call for the primitive `mode` names: logs it (reference §4.4), raises
    /// its error or a budget overdraw, and returns the reply as a string or a syntax object.
    func consumeCallResult(_ call: ModelCall, mode: String) throws -> Value {
        guard let outcome = call.outcome else { throw SchemeError(.internal, "model call consumed before it settled") }
        if let fiber = currentFiber {
            fiber.lastAwaitedCall = AwaitedCall.latest(fiber.lastAwaitedCall, AwaitedCall(id: call.id, endedAt: call.record.endedAt))
        }
        let text: MString
        switch outcome {
        case .failure(let e): throw e
        case .success(let v):
            guard case .string(let s) = v else { throw SchemeError(.internal, "model call settled with a non-string") }
            text = s
        }
        let reply = call.reply ?? ModelReply(text: "", promptTokens: 0, completionTokens: 0)
        let total = reply.totalTokens
        switch mode {
        case "syntax", "raw":
            log("llm-query", "\(total) tokens (\(reply.promptTokens) in, \(reply.completionTokens) out): \(MString(Array(text.scalars.prefix(60))).string)", scope: "sub-call")
        case "await-any":
            log("llm-query-async", "await-any \(call.handleID ?? call.id): \(total) tokens", scope: "sub-call")
        default:
            log("llm-query-async", "await \(call.handleID ?? call.id): \(total) tokens", scope: "sub-call")
        }
        if let over = call.overBudget { throw SchemeError(.budgetExceeded, over) }
        switch mode {
        case "syntax", "await":
            log("datum->syntax", MString(Array(text.scalars.prefix(80))).string)
            return .object(SyntaxObject(.string(text)))
        default:
            return .string(text)
        }
    }

    // MARK: Fibers

    /// Starts `thunk` on a new fiber that inherits the current parameterization (budgets included).
    func spawnFiber(_ thunk: Value) -> FiberFuture {
        let fiber = Fiber(stackCapacity: 256, frameCapacity: 64)
        fiber.parameters = currentFiber?.parameters ?? []
        fiber.lastAwaitedCall = currentFiber?.lastAwaitedCall
        fiber.childSandbox = currentFiber?.childSandbox
        let future = FiberFuture(fiber: fiber)
        fiber.future = future
        if let parent = currentFiber {
            parent.pruneSettledIfLarge(parent.children.count)
            parent.children.append(future)
        }
        models.scheduler.enqueueStart(fiber, thunk: thunk)
        return future
    }

    /// Cancels a future (its fiber, the calls it made and the fibers it spawned) or a model call.
    func cancel(_ pending: Pending) {
        guard !pending.isSettled else { return }
        if let future = pending as? FiberFuture, let fiber = future.fiber {
            fiber.isCancelled = true
            for call in fiber.ownedCalls { call.cancel() }
            for child in fiber.children { cancel(child) }
            future.fiber = nil
            future.settle(.failure(SchemeError(.user, "future cancelled")))
        } else {
            pending.cancel()
        }
    }

    /// `sleep`: a pending the clock settles after `seconds` (virtual seconds under the simulator).
    func startTimer(seconds: Double) -> Pending {
        let timer = Pending()
        let scheduler = models.scheduler
        scheduler.externalWaits += 1
        let box = UncheckedBox((timer, scheduler))
        scheduler.clock.schedule(at: scheduler.clock.now() + seconds) {
            let (timer, scheduler) = box.value
            scheduler.externalWaits -= 1
            timer.settle(.success(.void))
        }
        return timer
    }
}

extension Runtime {
    /// Starts a sub-model's program in a child sandbox one level deeper, as fibers on this
    /// sandbox's scheduler; the returned pending settles with its `finish` value as text. Its
    /// calls count toward this sandbox's usage and budgets.
    func startChild(code: String, data: String, parent call: ModelCall) throws -> Pending {
        guard let gateway = models.gateway else {
            throw SchemeError(.llm, "llm-query: recursive calls are not available here")
        }
        var context = RecursionContext()
        context.depth = models.recursion.depth + 1
        context.parentCallID = call.id
        context.inheritedTokenScopes = budgetScopes(models.tokenBudget) + models.recursion.inheritedTokenScopes
        context.inheritedDollarScopes = budgetScopes(models.costBudget) + models.recursion.inheritedDollarScopes
        let child = try ChildSandbox.start(ChildSandboxRequest(code: code, data: data, context: context, gateway: gateway), parent: self)
        return child.result
    }
}
