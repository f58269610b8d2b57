/// The slow paths of calling: general argument binding (optional, rest and keyword parameters),
/// keyword calls, special primitives, parameters, case-lambda and escape continuations.
///
/// These work on the fiber's saved registers (`fiber.sp`, `fiber.fp`, …); the loop reloads them after.
extension Interpreter {
    /// Calls the procedure below `argc` arguments. Returns an outcome only when the run ends.
    func callSlow(argc: Int, tail: Bool, _ fiber: Fiber, marker: Int = 0) throws -> RunOutcome? {
        var argc = argc
        while true {
            let calleeIndex = fiber.sp - argc - 1
            let callee = fiber.stack[calleeIndex]
            switch callee {
            case .closure(let c):
                try enterClosure(c, positional: argc, keywords: [], tail: tail, marker: marker, fiber)
                return nil
            case .primitive(let p):
                switch p.body {
                case .special(let s):
                    return try callSpecial(s, p, argc: argc, tail: tail, fiber)
                case .keywords(let f):
                    try checkArity(p, argc)
                    if let missing = p.requiredKeywords.first {
                        throw SchemeError(.arity, "\(p.name): required keyword argument not supplied\n  required keyword: #:\(missing.name)")
                    }
                    let result = try f(Arguments(base: fiber.stack + calleeIndex + 1, count: argc), [:])
                    return complete(result, calleeIndex: calleeIndex, tail: tail, fiber)
                default:
                    try checkArity(p, argc)
                    let result = try invoke(p, Arguments(base: fiber.stack + calleeIndex + 1, count: argc))
                    return complete(result, calleeIndex: calleeIndex, tail: tail, fiber)
                }
            case .object(let o):
                if let param = o as? Parameter {
                    let result: Value
                    switch argc {
                    case 0: result = fiber.parameterValue(param)
                    case 1:
                        let v = fiber.stack[fiber.sp - 1]
                        if let b = fiber.parameters.last(where: { $0.parameter === param }) { b.value = v } else { param.globalValue = v }
                        result = .void
                    default: throw SchemeError.arity(param.name ?? "parameter-procedure", expected: "0 to 1", given: argc)
                    }
                    return complete(result, calleeIndex: calleeIndex, tail: tail, fiber)
                }
                if let cl = o as? CaseLambda {
                    guard let clause = cl.clauses.first(where: { $0.proto.accepts(argc) }) else {
                        throw SchemeError.arity(cl.name, expected: cl.clauses.map { $0.proto.arityDescription }.joined(separator: " or "), given: argc)
                    }
                    fiber.stack[calleeIndex] = .closure(clause)
                    continue
                }
                if let inst = o as? StructInstance, let proc = inst.type.applicableProcedure(of: inst) {
                    // An applicable struct: call its procedure with the instance first.
                    if fiber.sp + 8 > fiber.stackCapacity { fiber.growStack(to: fiber.sp + 8) }
                    var i = fiber.sp
                    while i > calleeIndex { fiber.stack[i] = fiber.stack[i - 1]; i -= 1 }
                    fiber.sp += 1
                    if case .procedure = proc.kind {
                        fiber.stack[calleeIndex] = proc.value
                        argc += 1
                    } else {
                        fiber.stack[calleeIndex] = proc.value
                        // the field's procedure is called without the instance
                        var j = calleeIndex + 1
                        while j < fiber.sp - 1 { fiber.stack[j] = fiber.stack[j + 1]; j += 1 }
                        fiber.sp -= 1
                        fiber.stack[fiber.sp] = .null
                    }
                    continue
                }
                if let ec = o as? EscapeContinuation {
                    try escape(ec, argc: argc, fiber)
                    return nil
                }
                throw notAProcedure(callee)
            default:
                throw notAProcedure(callee)
            }
        }
    }

    func notAProcedure(_ v: Value) -> SchemeError {
        SchemeError(.contract, "application: not a procedure;\n expected a procedure that can be applied to arguments\n  given: \(Printer.write(v, limit: 200))")
    }

    func checkArity(_ p: Primitive, _ argc: Int) throws {
        if argc < p.minArgs || (p.maxArgs.map { argc > $0 } ?? false) {
            throw SchemeError.arity(p.name, expected: p.arityDescription, given: argc)
        }
    }

    /// Calls a non-special primitive from Swift.
    func invoke(_ p: Primitive, _ args: Arguments) throws -> Value {
        switch p.body {
        case .fixed0(let f): return try f()
        case .fixed1(let f): return try f(args[0])
        case .fixed2(let f): return try f(args[0], args[1])
        case .fixed3(let f): return try f(args[0], args[1], args[2])
        case .variadic(let f): return try f(args)
        case .keywords(let f): return try f(args, [:])
        case .special: throw SchemeError(.internal, "\(p.name): cannot be called from here")
        }
    }

    /// Puts a primitive's result in place of its call; in tail position, returns it from the frame.
    func complete(_ result: Value, calleeIndex: Int, tail: Bool, _ fiber: Fiber) -> RunOutcome? {
        fiber.truncateStack(to: calleeIndex)
        fiber.stack[calleeIndex] = result
        fiber.sp = calleeIndex + 1
        return tail ? returnFromFrame(fiber) : nil
    }

    /// Returns the top of the stack from the current frame (the `ret` instruction, slow path).
    func returnFromFrame(_ fiber: Fiber) -> RunOutcome? {
        let result = fiber.stack[fiber.sp - 1]
        fiber.truncateStack(to: fiber.fp - 1)
        fiber.stack[fiber.sp] = result
        fiber.sp += 1
        fiber.frameCount -= 1
        let f = (fiber.frames + fiber.frameCount).move()
        fiber.code = f.code; fiber.closure = f.closure; fiber.ip = f.ip; fiber.fp = f.fp
        if f.marker != 0 {
            if FrameMarker.kind(f.marker) == FrameMarker.exit {
                fiber.sp -= 1
                let v = fiber.stack[fiber.sp]
                fiber.stack[fiber.sp] = .null
                return .done(v)
            }
            switch FrameMarker.kind(f.marker) {
            case FrameMarker.handler: fiber.handlers.removeLast()
            case FrameMarker.parameters: fiber.parameters.removeLast(fiber.parameters.count - FrameMarker.data(f.marker))
            case FrameMarker.values: _ = try? spreadIntoConsumer(fiber, expected: FrameMarker.data(f.marker) - 1)
            default: break
            }
        }
        return nil
    }

    func pushFrame(_ fiber: Fiber, marker: Int) throws {
        if fiber.frameCount == fiber.frameCapacity {
            if fiber.frameCount >= runtime.limits.maxCallDepth {
                throw SchemeError(.recursionLimit, "recursion too deep: more than \(runtime.limits.maxCallDepth) nested calls (limit call-depth)")
            }
            fiber.growFrames()
        }
        (fiber.frames + fiber.frameCount).initialize(to: Frame(code: fiber.code!, closure: fiber.closure, ip: fiber.ip, fp: fiber.fp, marker: marker))
        fiber.frameCount += 1
    }

    /// Binds arguments (positional values, then one value per keyword in `keywords`) into a new
    /// frame for `c` laid out as required, optional (missing = not supplied), rest, keywords.
    func enterClosure(_ c: Closure, positional argc: Int, keywords: [Symbol], tail: Bool, marker: Int, _ fiber: Fiber) throws {
        let proto = c.proto
        let total = argc + keywords.count
        let calleeIndex = fiber.sp - total - 1
        let positionalMax = proto.requiredCount + proto.optionalCount
        if argc < proto.requiredCount || (!proto.hasRest && argc > positionalMax) {
            throw SchemeError.arity(proto.name, expected: proto.arityDescription, given: argc)
        }
        if !keywords.isEmpty && proto.keywords.isEmpty {
            throw SchemeError(.contract, "application: procedure does not accept keyword arguments\n  procedure: \(proto.name ?? "#<procedure>")")
        }
        if keywords.isEmpty {
            // No keywords given: bind in place on the stack (no array per call; `hash-ref` with a
            // default, `sort`, … go through here).
            if let missing = proto.keywords.first(where: { $0.required }) {
                throw SchemeError(.arity, "\(proto.name ?? "application"): required keyword argument not supplied\n  required keyword: #:\(missing.name.name)")
            }
            try enterInPlace(c, argc: argc, calleeIndex: calleeIndex, tail: tail, marker: marker, fiber)
            return
        }
        var slots = [Value](repeating: .null, count: proto.frameSize)
        let args = fiber.stack + calleeIndex + 1
        for i in 0..<min(argc, positionalMax) { slots[i] = args[i] }
        if argc < positionalMax { for i in argc..<positionalMax { slots[i] = .missing } }
        if proto.hasRest {
            var rest = Value.null
            var i = argc - 1
            while i >= positionalMax { rest = .pair(Pair(args[i], rest)); i -= 1 }
            slots[positionalMax] = rest
        }
        for kw in proto.keywords { slots[kw.slot] = .missing }
        for (j, name) in keywords.enumerated() {
            guard let kw = proto.keywords.first(where: { $0.name === name }) else {
                throw SchemeError(.contract, "application: procedure does not expect an argument with given keyword\n  procedure: \(proto.name ?? "#<procedure>")\n  given keyword: #:\(name.name)")
            }
            slots[kw.slot] = args[argc + j]
        }
        for kw in proto.keywords where kw.required && slots[kw.slot].isMissing {
            throw SchemeError(.arity, "\(proto.name ?? "application"): required keyword argument not supplied\n  required keyword: #:\(kw.name.name)")
        }
        let dest: Int
        if tail && marker == 0 {
            dest = fiber.fp - 1
        } else {
            if tail {
                // A marker frame must stay; return through a `ret` so the caller's frame ends after.
                fiber.code = returnTrampoline
                fiber.ip = 0
            }
            try pushFrame(fiber, marker: marker)
            dest = calleeIndex
        }
        fiber.truncateStack(to: dest)
        let needed = dest + 1 + proto.frameSize + proto.maxStack
        if needed > fiber.stackCapacity { fiber.growStack(to: needed) }
        fiber.stack[dest] = .closure(c)
        for (i, v) in slots.enumerated() { fiber.stack[dest + 1 + i] = v }
        fiber.fp = dest + 1
        fiber.sp = fiber.fp + proto.frameSize
        fiber.code = proto.code
        fiber.closure = c
        fiber.ip = 0
    }

    /// `enterClosure` without keyword arguments: the positional arguments are already in place
    /// above the callee slot; absent optionals become the not-supplied marker, extra arguments
    /// the rest list, keyword parameters not supplied.
    private func enterInPlace(_ c: Closure, argc: Int, calleeIndex: Int, tail: Bool, marker: Int, _ fiber: Fiber) throws {
        let proto = c.proto
        let positionalMax = proto.requiredCount + proto.optionalCount
        var dest = calleeIndex
        if tail && marker == 0 {
            // Slide callee and arguments down over the current frame.
            dest = fiber.fp - 1
            var i = 0
            while i <= argc {
                fiber.stack[dest + i] = (fiber.stack + (calleeIndex + i)).move()
                (fiber.stack + (calleeIndex + i)).initialize(to: .null)
                i += 1
            }
            fiber.truncateStack(to: dest + 1 + argc)
            fiber.sp = dest + 1 + argc
        } else {
            if tail {
                fiber.code = returnTrampoline
                fiber.ip = 0
            }
            try pushFrame(fiber, marker: marker)
        }
        let fp = dest + 1
        let needed = fp + proto.frameSize + proto.maxStack + argc
        if needed > fiber.stackCapacity { fiber.growStack(to: needed) }
        let stack = fiber.stack
        if proto.hasRest {
            var rest = Value.null
            var i = argc - 1
            while i >= positionalMax { rest = .pair(Pair(stack[fp + i], rest)); stack[fp + i] = .null; i -= 1 }
            stack[fp + positionalMax] = rest
        }
        if argc < positionalMax { for i in argc..<positionalMax { stack[fp + i] = .missing } }
        for kw in proto.keywords { stack[fp + kw.slot] = .missing }
        // Slots above the arguments up to the frame size are already empty (stack invariant).
        let top = fp + proto.frameSize
        if fiber.sp > top { fiber.truncateStack(to: top) }
        fiber.sp = top
        fiber.fp = fp
        fiber.code = proto.code
        fiber.closure = c
        fiber.ip = 0
    }

    /// A call with keyword arguments (`callKw`).
    func callWithKeywords(_ site: KeywordCallSite, tail: Bool, _ fiber: Fiber) throws -> RunOutcome? {
        let calleeIndex = fiber.sp - site.total - 1
        let callee = fiber.stack[calleeIndex]
        switch callee {
        case .closure(let c):
            if c.proto.isModelCallEntry { noteModelCallSite(fiber) }
            try enterClosure(c, positional: site.positional, keywords: site.keywords, tail: tail, marker: 0, fiber)
            return nil
        case .primitive(let p) where { if case .special(.apply) = p.body { return true }; return false }():
            // (apply f #:kw v … args … list): spread the list, keep the keywords.
            let base = calleeIndex + 1
            guard site.positional >= 2, let list = fiber.stack[base + site.positional - 1].listToArray() else {
                throw SchemeError.contract("apply", expected: "list?", given: fiber.stack[base + max(site.positional - 1, 0)])
            }
            let f = fiber.stack[base]
            let fixed = (1..<(site.positional - 1)).map { fiber.stack[base + $0] }
            let kwValues = (0..<site.keywords.count).map { fiber.stack[base + site.positional + $0] }
            let positional = fixed + list
            fiber.setCall(at: calleeIndex, callee: f, arguments: positional + kwValues)
            return try callWithKeywords(KeywordCallSite(positional: positional.count, keywords: site.keywords), tail: tail, fiber)
        case .primitive(let p):
            guard case .keywords(let f) = p.body else {
                throw SchemeError(.contract, "application: procedure does not accept keyword arguments\n  procedure: \(p.name)")
            }
            try checkArity(p, site.positional)
            var kws: KeywordArguments = [:]
            let base = fiber.stack + calleeIndex + 1
            for (j, name) in site.keywords.enumerated() {
                guard p.keywordNames.contains(name) else {
                    throw SchemeError(.contract, "application: procedure does not expect an argument with given keyword\n  procedure: \(p.name)\n  given keyword: #:\(name.name)")
                }
                kws[name] = base[site.positional + j]
            }
            if let missing = p.requiredKeywords.first(where: { kws[$0] == nil }) {
                throw SchemeError(.arity, "\(p.name): required keyword argument not supplied\n  required keyword: #:\(missing.name)")
            }
            let result = try f(Arguments(base: base, count: site.positional), kws)
            return complete(result, calleeIndex: calleeIndex, tail: tail, fiber)
        default:
            throw SchemeError(.contract, "application: procedure does not accept keyword arguments\n  procedure: \(Printer.write(callee, limit: 100))")
        }
    }

    /// Remembers where user code called `llm-query` & co. (the call may be a tail call, which
    /// leaves no frame behind for the call record's site line).
    private func noteModelCallSite(_ fiber: Fiber) {
        guard let code = fiber.code, !Runtime.isSystemSource(code.sourceName),
              let position = code.position(at: fiber.ip - 1) else { return }
        runtime.models.modelCallSite = position
    }

    // MARK: Special primitives

    func callSpecial(_ s: SpecialPrimitive, _ p: Primitive, argc: Int, tail: Bool, _ fiber: Fiber) throws -> RunOutcome? {
        try checkArity(p, argc)
        let calleeIndex = fiber.sp - argc - 1
        let args = fiber.stack + calleeIndex + 1
        switch s {
        case .apply:
            // (apply f a … lst) → (f a … elements-of-lst)
            let f = args[0]
            guard let list = args[argc - 1].listToArray() else {
                throw SchemeError.contract("apply", expected: "list?", given: args[argc - 1])
            }
            let fixed = (1..<(argc - 1)).map { args[$0] }
            try runtime.charge(list.count)
            fiber.setCall(at: calleeIndex, callee: f, arguments: fixed + list)
            return try callSlow(argc: fixed.count + list.count, tail: tail, fiber)
        case .callWithEscape:
            let proc = args[0]
            guard case .closure(let c) = proc else {
                throw SchemeError.contract("call/ec", expected: "(procedure-arity-includes/c 1)", given: proc)
            }
            let id = newMarkerID()
            let ec = EscapeContinuation(markerID: id, fiber: fiber, stackBase: calleeIndex,
                                        handlerDepth: fiber.handlers.count, parameterDepth: fiber.parameters.count)
            fiber.stack[calleeIndex] = proc
            fiber.stack[calleeIndex + 1] = .object(ec)
            try enterClosure(c, positional: 1, keywords: [], tail: tail, marker: FrameMarker.make(FrameMarker.escape, id), fiber)
            return nil
        case .callWithHandlers:
            let handlers = args[0], thunk = args[1]
            guard case .closure(let c) = thunk else { throw SchemeError.contract("with-handlers", expected: "procedure?", given: thunk) }
            fiber.stack[calleeIndex] = thunk
            fiber.truncateStack(to: calleeIndex + 1)
            fiber.handlers.append(HandlerRecord(frameIndex: fiber.frameCount, handlers: handlers,
                                                parameterDepth: fiber.parameters.count, stackBase: calleeIndex))
            try enterClosure(c, positional: 0, keywords: [], tail: tail, marker: FrameMarker.make(FrameMarker.handler, 0), fiber)
            return nil
        case .callWithParameterization:
            let params = args[0].listToArray() ?? [], values = args[1].listToArray() ?? [], thunk = args[2]
            guard case .closure(let c) = thunk else { throw SchemeError.contract("parameterize", expected: "procedure?", given: thunk) }
            let depth = fiber.parameters.count
            for (pv, v) in zip(params, values) {
                guard case .object(let o) = pv, let param = o as? Parameter else {
                    throw SchemeError.contract("parameterize", expected: "parameter?", given: pv)
                }
                fiber.parameters.append(ParameterBinding(param, v))
            }
            fiber.stack[calleeIndex] = thunk
            fiber.truncateStack(to: calleeIndex + 1)
            try enterClosure(c, positional: 0, keywords: [], tail: tail, marker: FrameMarker.make(FrameMarker.parameters, depth), fiber)
            return nil
        case .keywordApply:
            // (keyword-apply f '(#:kw …) '(v …) positional … list)
            let f = args[0]
            guard let kws = args[1].listToArray(), let kwValues = args[2].listToArray(), kws.count == kwValues.count,
                  let rest = args[argc - 1].listToArray() else {
                throw SchemeError.contract("keyword-apply", expected: "keyword list, value list of the same length, and a final list", given: args[1])
            }
            var names: [Symbol] = []
            for k in kws {
                guard case .keyword(let s) = k else { throw SchemeError.contract("keyword-apply", expected: "keyword?", given: k) }
                names.append(s)
            }
            let positional = (3..<(argc - 1)).map { args[$0] } + rest
            fiber.setCall(at: calleeIndex, callee: f, arguments: positional + kwValues)
            return try callWithKeywords(KeywordCallSite(positional: positional.count, keywords: names), tail: tail, fiber)
        case .callWithValues, .receiveValues:
            // (call-with-values producer consumer): consumer waits in the callee slot; the producer
            // runs with a marker frame that spreads its values into the consumer's call.
            // %receive-values also checks the count (let-values' "result arity mismatch").
            var expected = -1
            var shifted = args
            if s == .receiveValues {
                expected = try args[0].asIndex("let-values")
                shifted = args + 1
            }
            let producer = shifted[0], consumer = shifted[1]
            fiber.stack[calleeIndex] = consumer
            fiber.stack[calleeIndex + 1] = producer
            fiber.truncateStack(to: calleeIndex + 2)
            guard case .closure(let c) = producer else {
                fiber.truncateStack(to: calleeIndex + 1)
                fiber.stack[calleeIndex + 1] = producer
                fiber.sp = calleeIndex + 2
                _ = try callSlow(argc: 0, tail: false, fiber)
                return try spreadIntoConsumer(fiber, tail: tail, expected: expected)
            }
            try enterClosure(c, positional: 0, keywords: [], tail: tail, marker: FrameMarker.make(FrameMarker.values, expected + 1), fiber)
            return nil
        case .raise:
            throw SchemeError(.raised, "uncaught exception: \(Printer.write(args[0], limit: 500))", payload: args[0])
        case .finish:
            throw VMSignal.finish(args[0])
        case .finishError:
            throw VMSignal.finishError(Printer.display(args[0]))
        case .awaitSettled:
            guard case .object(let o) = args[0], let pending = o as? Pending else {
                throw SchemeError.contract("%await-settled", expected: "future?", given: args[0])
            }
            if pending.isSettled { return complete(args[0], calleeIndex: calleeIndex, tail: tail, fiber) }
            return suspend(fiber, calleeIndex: calleeIndex, tail: tail, on: [pending]) { _, p in .object(p) }
        case .awaitAnySettled:
            guard let list = args[0].listToArray(), !list.isEmpty else {
                throw SchemeError.contract("%await-any-settled", expected: "(non-empty-listof future?)", given: args[0])
            }
            var pendings: [Pending] = []
            for v in list {
                guard case .object(let o) = v, let pending = o as? Pending else {
                    throw SchemeError.contract("%await-any-settled", expected: "future?", given: v)
                }
                pendings.append(pending)
            }
            // Already settled: the one that settled first wins.
            if let first = pendings.indices.filter({ pendings[$0].isSettled }).min(by: { pendings[$0].settleOrder < pendings[$1].settleOrder }) {
                return complete(.int(first), calleeIndex: calleeIndex, tail: tail, fiber)
            }
            return suspend(fiber, calleeIndex: calleeIndex, tail: tail, on: pendings) { i, _ in .int(i) }
        }
    }

    /// Parks `fiber` in the middle of a call: the call's slot will receive the value it resumes with.
    private func suspend(_ fiber: Fiber, calleeIndex: Int, tail: Bool, on pendings: [Pending],
                         value: @escaping (Int, Pending) -> Value) -> RunOutcome {
        fiber.truncateStack(to: calleeIndex)
        fiber.stack[calleeIndex] = .void
        fiber.sp = calleeIndex + 1
        fiber.resumeTail = tail
        runtime.models.scheduler.suspend(fiber, on: pendings, value: value)
        return .suspended
    }

    private func newMarkerID() -> Int {
        markerCounter += 1
        return markerCounter
    }

    /// Jumps out to the `call/ec` that made `ec`, returning the arguments from it.
    func escape(_ ec: EscapeContinuation, argc: Int, _ fiber: Fiber) throws {
        let inactive = SchemeError(.contract, "continuation application: attempt to jump into an escape continuation that is no longer active")
        guard ec.fiber === fiber else { throw inactive }
        let base = fiber.stack + fiber.sp - argc
        let value: Value = argc == 1 ? base[0] : .object(MultipleValues((0..<argc).map { base[$0] }))
        let target = FrameMarker.make(FrameMarker.escape, ec.markerID)
        var j = fiber.frameCount - 1
        while j >= 0 && fiber.frames[j].marker != target { j -= 1 }
        guard j >= 0 else { throw inactive }
        if fiber.handlers.count > ec.handlerDepth { fiber.handlers.removeLast(fiber.handlers.count - ec.handlerDepth) }
        if fiber.parameters.count > ec.parameterDepth { fiber.parameters.removeLast(fiber.parameters.count - ec.parameterDepth) }
        fiber.truncateFrames(to: j + 1)
        fiber.truncateStack(to: ec.stackBase)
        fiber.stack[ec.stackBase] = value
        fiber.sp = ec.stackBase + 1
        fiber.frameCount -= 1
        let f = (fiber.frames + fiber.frameCount).move()
        fiber.code = f.code; fiber.closure = f.closure; fiber.ip = f.ip; fiber.fp = f.fp
    }
}

extension Prototype {
    /// Whether a call with `argc` positional arguments fits this arity.
    func accepts(_ argc: Int) -> Bool {
        argc >= requiredCount && (hasRest || argc <= requiredCount + optionalCount)
    }
}
