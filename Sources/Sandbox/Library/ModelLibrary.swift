import Foundation

/// The host primitives behind model calls, fibers and budgets (reference §2.1, §2.6, §2.8). The
/// user-facing procedures with keywords (`llm-query`, `map-async`, the combinators) are Scheme in
/// `PreludeModels`; they call these `%` primitives, which are protected.
func registerModelLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.define("token-budget", .object(rt.models.tokenBudget))
    lib.define("cost-budget", .object(rt.models.costBudget))
    lib.define("%model-override", .object(rt.models.modelOverride))
    lib.add(Primitive(name: "%await-settled", minArgs: 1, maxArgs: 1, body: .special(.awaitSettled)))
    lib.add(Primitive(name: "%await-any-settled", minArgs: 1, maxArgs: 1, body: .special(.awaitAnySettled)))

    // (%llm-start kind who instruction data model recursive temperature max-tokens json images)
    lib.fn("%llm-start", 10, 10) { a in
        let kind: ModelCall.Kind
        switch a[0].symbolValue?.name {
        case "async": kind = .async
        case "raw": kind = .raw
        default: kind = .sync
        }
        let who = Printer.display(a[1])
        let instruction = try textArgument(a[2], who: who, keyword: "instruction")
        let data = dataText(a[3])
        let model = try textArgument(a[4], who: who, keyword: "model")
        if kind == .async, a[5].isTrue {
            throw SchemeError(.user, "llm-query-async: #:recursive is not supported with async calls. Use synchronous llm-query for recursive delegation with #:recursive #t")
        }
        let json = a[8].isTrue
        if json, !instruction.lowercased().contains("json") {
            throw SchemeError(.user, "\(who): #:json #t requires the word 'json' in #:instruction (OpenAI API requirement). Example: \"Return a JSON object with keys: ...\"")
        }
        let temperature: Double? = a[6].isFalse ? nil : try a[6].asDouble(who)
        var maxTokens: Int? = nil
        if a[7].isTrue {
            guard case .int(let n) = a[7], n > 0 else { throw SchemeError.contract(who, expected: "exact-positive-integer? for #:max-tokens", given: a[7]) }
            maxTokens = n
        }
        guard let imageList = a[9].listToArray() else { throw SchemeError.contract(who, expected: "list? for #:images", given: a[9]) }
        let images = try imageList.map { try ImageInput.dataURL(try textArgument($0, who: who, keyword: "images")) }
        let call = try rt.startModelCall(kind: kind, who: who, instruction: instruction, data: data, model: model,
                                         temperature: temperature, maxTokens: maxTokens, json: json, images: images)
        // A recursive call's child sandbox is built while this code-generation call is in flight.
        if a[5].isTrue { rt.models.childPool.expect() }
        return .object(call)
    }

    // (%call-result call mode) — consumes a settled call: logs it, enforces the budget, returns the text.
    lib.fn2("%call-result") { c, mode in
        guard case .object(let o) = c, let call = o as? ModelCall else { throw SchemeError.contract("%call-result", expected: "model call", given: c) }
        return try rt.consumeCallResult(call, mode: mode.symbolValue?.name ?? "syntax")
    }
    lib.fn1("%call-handle") { c in
        guard case .object(let o) = c, let call = o as? ModelCall, let id = call.handleID else { return .false }
        return .str(id)
    }
    // (%handle-call who handle) → the call behind an async handle, or an error naming `who`.
    lib.fn3("%handle-call") { who, h, message in
        guard let id = asyncHandleID(h) else { throw SchemeError(.user, Printer.display(message)) }
        guard let call = rt.models.asyncCalls[id] else {
            throw SchemeError(.user, "\(Printer.display(who)): unknown async handle \(id) (it was not made by llm-query-async in this session)")
        }
        return .object(call)
    }
    lib.fn1("%async-handle?") { h in .bool(asyncHandleID(h) != nil) }

    // Fibers: (spawn thunk) → future; touch waits for it.
    lib.fn1("%spawn") { thunk in
        guard thunk.isProcedure else { throw SchemeError.contract("spawn", expected: "(-> any)", given: thunk) }
        return .object(rt.spawnFiber(thunk))
    }
    lib.fn1("%future-result") { f in
        guard case .object(let o) = f, let p = o as? Pending, let outcome = p.outcome else {
            throw SchemeError.contract("touch", expected: "future?", given: f)
        }
        if let future = p as? FiberFuture, let fiber = rt.currentFiber {
            fiber.lastAwaitedCall = AwaitedCall.latest(fiber.lastAwaitedCall, future.lastAwaitedCall)
        }
        return try outcome.get()
    }
    lib.fn1("future?") { f in
        if case .object(let o) = f, o is FiberFuture { return .true }
        return .false
    }
    lib.fn1("future-done?") { f in
        guard case .object(let o) = f, let p = o as? Pending else { throw SchemeError.contract("future-done?", expected: "future?", given: f) }
        return .bool(p.isSettled)
    }
    lib.fn1("%cancel") { f in
        if case .object(let o) = f, let p = o as? Pending { rt.cancel(p) }
        return .void
    }
    // Groups of fibers taken in completion order (see FutureGroup).
    lib.fn0("%group-make") { .object(FutureGroup()) }
    lib.fn3("%group-spawn") { g, thunk, index in
        guard case .object(let o) = g, let group = o as? FutureGroup else { throw SchemeError.contract("%group-spawn", expected: "future-group", given: g) }
        guard thunk.isProcedure else { throw SchemeError.contract("%group-spawn", expected: "(-> any)", given: thunk) }
        group.add(rt.spawnFiber(thunk), index: try index.asIndex("%group-spawn"))
        return .void
    }
    lib.fn1("%group-wait") { g in
        guard case .object(let o) = g, let group = o as? FutureGroup else { throw SchemeError.contract("%group-wait", expected: "future-group", given: g) }
        return .object(group.waitSignal())
    }
    lib.fn1("%group-take") { g in
        guard case .object(let o) = g, let group = o as? FutureGroup, let (i, f) = group.take() else { return .false }
        return .pair(Pair(.int(i), .object(f)))
    }
    lib.fn1("%group-cancel") { g in
        guard case .object(let o) = g, let group = o as? FutureGroup else { return .void }
        for f in group.running.values { rt.cancel(f) }
        return .void
    }
    lib.fn1("%sleep-start") { s in
        let seconds = try s.asDouble("sleep")
        guard seconds >= 0 else { throw SchemeError.contract("sleep", expected: "(>=/c 0)", given: s) }
        return .object(rt.startTimer(seconds: seconds))
    }

    // Accounting (reference §2.6).
    lib.fn0("tokens-used") {
        let u = rt.models.gateway?.usage ?? UsageTotals()
        return jsonHash([("prompt_tokens", .int(u.promptTokens)), ("completion_tokens", .int(u.completionTokens)),
                         ("total_tokens", .int(u.totalTokens)), ("total_calls", .int(u.calls))])
    }
    lib.fn0("cost-used") { .double(rt.models.gateway?.usage.cost ?? 0) }
    lib.fn0("rate-limits") {
        let r = rt.models.gateway?.rateLimits ?? RateLimitSnapshot()
        return jsonHash([("limit_requests", .int(r.limitRequests)), ("limit_tokens", .int(r.limitTokens)),
                         ("remaining_requests", .int(r.remainingRequests)), ("remaining_tokens", .int(r.remainingTokens)),
                         ("reset_requests", .str(r.resetRequests)), ("reset_tokens", .str(r.resetTokens))])
    }
    lib.fn0("tokens-remaining") { rt.parameterValue(rt.models.tokenBudget) }
    lib.fn0("heartbeat") { .void }
    lib.fn1("exn:llm-status") { e in
        guard case .object(let o as ExnObject) = e, o.isA("exn:fail:llm") else { throw SchemeError.contract("exn:llm-status", expected: "exn:llm?", given: e) }
        return o.fields["status"] ?? .false
    }
    lib.fn1("%fail") { m in throw SchemeError(.user, Printer.display(m)) }
    lib.fn1("%future-ok?") { f in
        guard case .object(let o) = f, let p = o as? Pending, let outcome = p.outcome else { return .false }
        if case .success = outcome { return .true }
        return .false
    }
    lib.fn0("%check-recursion-depth") {
        let limit = rt.models.gateway?.settings.maxRecursionDepth ?? 3
        if rt.models.recursion.depth + 1 > limit {
            throw SchemeError(.llm, "llm-query: recursion depth limit (\(limit)) exceeded")
        }
        return .void
    }
    lib.fn1("%recursive-instruction") { i in .str(RecursivePrompt.instruction(Printer.display(i))) }
    // (%start-child-sandbox code data call) → a pending settled with the child's finish text.
    lib.fn3("%start-child-sandbox") { code, data, c in
        guard case .object(let o) = c, let call = o as? ModelCall else { throw SchemeError.contract("%start-child-sandbox", expected: "model call", given: c) }
        return .object(try rt.startChild(code: RecursivePrompt.extractCode(Printer.display(code)), data: Printer.display(data), parent: call))
    }
    // (%child-sandbox-result child mode) — the settled child's text, or its error raised.
    lib.fn2("%child-sandbox-result") { c, mode in
        guard case .object(let o) = c, let pending = o as? Pending, let outcome = pending.outcome else {
            throw SchemeError.contract("%child-sandbox-result", expected: "settled child sandbox", given: c)
        }
        let text = try outcome.get()
        rt.log("datum->syntax", Printer.display(text))
        return mode.symbolValue?.name == "raw" ? text : .object(SyntaxObject(text))
    }
    registerFanOutErrorLibrary(lib)
}

/// A string keyword argument (`#:instruction`, `#:model`); a syntax object wrapping a string is
/// accepted (a reply passed on without `syntax-e`).
func textArgument(_ v: Value, who: String, keyword: String) throws -> String {
    switch v {
    case .string(let s): return s.string
    case .object(let o as SyntaxObject):
        if case .string(let s) = o.datum { return s.string }
    default: break
    }
    throw SchemeError.contract(who, expected: "string? for #:\(keyword)", given: v)
}

/// `#:data`: a string as is; a wrapped string unwrapped; anything else as JSON when it is a
/// jsexpr, else its `~a` rendering.
private func dataText(_ v: Value) -> String {
    switch v {
    case .string(let s): return s.string
    case .object(let o as SyntaxObject):
        if case .string(let s) = o.datum { return s.string }
        return Printer.display(o.datum)
    default:
        if let json = try? JSONValue.convert(v, into: JSONTextBuilder(), who: "llm-query", sortKeys: false, null: nil) { return json }
        return Printer.display(v)
    }
}

/// The id of an async handle: any list `(async-handle "pending_N")` (hand-built ones too, §2.1).
func asyncHandleID(_ v: Value) -> String? {
    guard case .pair(let p) = v, case .symbol(let s) = p.car, s.name == "async-handle",
          case .pair(let rest) = p.cdr else { return nil }
    switch rest.car {
    case .string(let id): return id.string
    case .symbol(let id): return id.name
    default: return nil
    }
}

private func jsonHash(_ entries: [(String, Value)]) -> Value {
    let table = HashTable(kind: .eq, mutable: false)
    for (k, v) in entries { table.set(.sym(k), v) }
    return .hash(table)
}
