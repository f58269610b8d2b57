/// A `#:recursive #t` child sandbox running as fibers on its parent's scheduler (issue 9 item 4).
///
/// The child has its own environment (a fresh `Evaluator`: globals, `context`), its own fuel and
/// deadlines, and its depth; its fibers share the parent's scheduler, so several children, and
/// the parent's other fibers, overlap while they wait on models — in real runs and on the
/// simulator's virtual clock alike. Its calls go through the same gateway, charged to the
/// parent's budgets at every depth (`RecursionContext`).
///
/// The child's program runs form by form on its root fiber, as a top-level evaluation does (a
/// macro defined by one form is usable by the next): a small Scheme loop asks
/// `%child-next-form` for the next compiled form and calls it. `finish` anywhere in the child
/// ends the child with that value; an error or a limit ends it with a catchable `exn:fail:llm`
/// in the parent; an interrupt ends the parent's whole evaluation.
final class ChildSandbox {
    let evaluator: Evaluator
    /// Settles with the child's `finish` value as display text, or the error the parent raises.
    let result = Pending()
    /// The fiber running the program's forms (weak: the fiber holds the child, not the reverse).
    private weak var root: Fiber?
    private var ended = false
    /// The parent's runtime, which lists its live children (to end them on an interrupt).
    private weak var parent: Runtime?

    private init(evaluator: Evaluator, parent: Runtime) {
        self.evaluator = evaluator
        self.parent = parent
    }

    /// Builds the child for `request` and queues its root fiber on the parent's scheduler.
    static func start(_ request: ChildSandboxRequest, parent: Runtime) throws -> ChildSandbox {
        let e = try parent.models.childPool.take(limits: parent.limits)
        e.runtime.models.childPool = parent.models.childPool
        e.runtime.models.gateway = request.gateway
        e.runtime.models.scheduler = parent.models.scheduler
        e.runtime.store = parent.store
        e.runtime.inheritPython(from: parent)
        e.runtime.models.recursion = request.context
        e.runtime.interrupt = parent.interrupt
        if !request.data.isEmpty { _ = e.runtime.loadContext(request.data, name: nil) }
        e.beginEvaluation()
        let child = ChildSandbox(evaluator: e, parent: parent)
        let program = ChildProgram(evaluator: e, code: request.code)
        e.runtime.defineBuiltin("%child-next-form", .primitive(Primitive(name: "%child-next-form", minArgs: 0, maxArgs: 0,
                                                                          body: .fixed0 { try program.next() })))
        e.runtime.protect(["%child-next-form"])
        // The loop is compiled in the child, so it runs against the child's globals.
        var reader = Reader("(let loop () (let ([form (%child-next-form)]) (when form (form) (loop))))", sourceName: "prelude-child")
        guard let datum = try reader.read() else { throw SchemeError(.internal, "child sandbox loop did not read") }
        let expander = Expander(runtime: e.runtime, sourceMap: reader.positions, maxDepth: e.runtime.limits.printDepth)
        let loop = try e.compile(datum, expander, sourceName: "prelude-child")
        let fiber = Fiber(stackCapacity: 256, frameCapacity: 64)
        fiber.childSandbox = child
        child.root = fiber
        parent.models.liveChildren.append(child)
        parent.models.scheduler.enqueueStart(fiber, thunk: .closure(loop))
        return child
    }

    /// Handles how a run of one of the child's fibers ended; returns an outcome only when it must
    /// end the parent's whole evaluation (an interrupt).
    func settle(_ fiber: Fiber, _ outcome: RunOutcome) -> RunOutcome? {
        if case .suspended = outcome { return nil }
        if case .error(let e) = outcome, e.code == .interrupted {
            end(.failure(e))
            return outcome
        }
        if fiber !== root, let future = fiber.future {
            // A fiber the child spawned: its future settles as in a top-level evaluation.
            future.fiber = nil
            switch outcome {
            case .done(let v):
                future.settle(.success(v))
                return nil
            case .error(let e):
                future.settle(.failure(e))
                if !e.code.isLimit { return nil }
            case .finished, .finishError:
                future.settle(.failure(SchemeError(.user, "future ended by finish")))
            case .suspended:
                return nil
            }
        }
        switch outcome {
        case .finished(let v):
            do { end(.success(.str(try Printer.checkedDisplay(v, maxDepth: evaluator.runtime.limits.printDepth)))) }
            catch let e as SchemeError { end(.failure(ChildSandbox.failure(e.message))) }
            catch { end(.failure(ChildSandbox.failure("\(error)"))) }
        case .done:
            end(.failure(SchemeError(.llm, "llm-query: the sub-model's program ended without (finish value)")))
        case .finishError(let message):
            end(.failure(ChildSandbox.failure(message)))
        case .error(let e):
            end(.failure(ChildSandbox.failure(e.message)))
        case .suspended:
            break
        }
        return nil
    }

    private static func failure(_ message: String) -> SchemeError {
        SchemeError(.llm, "llm-query: the sub-model's program failed: \(message)")
    }

    /// Ends the child: its fibers and calls are cancelled, its environment released, and the
    /// parent's waiting fiber woken with `outcome`.
    func end(_ outcome: Result<Value, SchemeError>) {
        guard !ended else { return }
        ended = true
        let runtime = evaluator.runtime
        if let root {
            root.isCancelled = true
            for call in root.ownedCalls { call.cancel() }
            for future in root.children { runtime.cancel(future) }
            evaluator.interpreter.abandonSuspended(root)
        }
        parent?.models.liveChildren.removeAll { $0 === self }
        evaluator.retire()
        result.settle(outcome)
    }
}

/// The forms of a child's program, compiled one at a time as its root fiber asks for them.
private final class ChildProgram {
    private let evaluator: Evaluator
    private let code: String
    private var reader: Reader?
    private var expander: Expander?
    private var queue: ArraySlice<Value> = []
    private var scope: Scope?

    init(evaluator: Evaluator, code: String) {
        self.evaluator = evaluator
        self.code = code
    }

    /// The next form as a thunk, #f when the program has no more forms. Read errors surface at
    /// the first call, as a top-level evaluation reports them before running anything.
    func next() throws -> Value {
        if reader == nil {
            var r = Reader(code, sourceName: "sub-model")
            queue = try r.readAll()[...]
            expander = Expander(runtime: evaluator.runtime, sourceMap: r.positions, maxDepth: evaluator.runtime.limits.printDepth)
            scope = evaluator.topScope().1
            reader = r
        }
        guard let expander, let scope else { return .false }
        while let form = queue.popFirst() {
            let f = try expander.expandHeadMacros(form, scope)
            if case .pair(let p) = f, case .symbol(let h) = p.car, case .special(.begin) = expander.resolve(h, scope),
               let sub = p.cdr.listToArray() {
                queue = sub[...] + queue
                continue
            }
            return .closure(try evaluator.compile(f, expander, sourceName: "sub-model"))
        }
        return .false
    }
}
