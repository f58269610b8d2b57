/// Runs programs in one sandbox environment under the sandbox rules (reference §4.1).
///
/// Lives on the session's VM thread. Each top-level form is expanded, compiled and run before the
/// next is expanded, so a macro defined by one form is usable by the next.
final class Evaluator: RuntimeHost {
    let runtime: Runtime
    let interpreter: Interpreter
    let fiber = Fiber()

    init(limits: Limits, seed: UInt64?) throws {
        runtime = Runtime(limits: limits, seed: seed)
        for form in SpecialForm.allCases {
            runtime.syntaxBindings[Symbol.intern(form.rawValue)] = .special(form)
        }
        StandardLibrary.install(into: runtime)
        interpreter = Interpreter(runtime: runtime)
        runtime.host = self
        // The preludes run unlimited; what they define is part of the system, not the user's.
        // Procedure definitions are compiled on first use; everything else runs now.
        let saved = runtime.limits
        runtime.limits = .unlimited
        for prelude in StandardLibrary.preludes {
            var eager: [Substring] = []
            for form in PreludeSplitter.split(prelude.source) {
                if let name = form.procedureName, runtime.global(name) == nil,
                   !StandardLibrary.eagerPreludeNames.contains(name) {
                    let cell = runtime.cell(Symbol.intern(name))
                    cell.isBuiltin = true
                    runtime.lazyDefinitions[cell.name] = String(form.text)
                } else {
                    eager.append(form.text)
                }
            }
            let r = evalProgram(eager.joined(separator: "\n"), sourceName: prelude.name)
            if r.status == .error {
                throw SchemeError(.internal, "prelude \(prelude.name) failed: \(r.error?.messageWithPosition ?? "?")")
            }
        }
        runtime.limits = saved
        for cell in runtime.globals.values where !cell.value.isMissing { cell.isBuiltin = true }
        runtime.protect(StandardLibrary.protectedNames)
        for (sym, cell) in runtime.globals where sym.name.hasPrefix("%") { cell.isProtected = true }
        // From here on user code gets its own copies of these bindings (LazyPrelude.swift).
        runtime.sealSystemNamespace()
        runtime.memoryBaseline = MemoryProbe.heapInUse()
        runtime.lastMeasuredHeap = runtime.memoryBaseline
        if case .closure(let c)? = runtime.global("call-with-values") { Interpreter.checkValueLayout(c) }
    }

    /// Compiles `(define (name …) …)` and returns the procedure, without running anything:
    /// the top-level code of such a form only makes a closure of its first prototype.
    func compileProcedureDefinition(_ source: String) throws -> Value {
        var reader = Reader(source, sourceName: "prelude")
        guard let datum = try reader.read() else { throw SchemeError(.internal, "empty prelude form") }
        let expander = Expander(runtime: runtime, sourceMap: reader.positions, maxDepth: runtime.limits.printDepth, sealed: true)
        // Compile the lambda itself (not the define, which protection would refuse for scaffold names).
        let (target, lambda) = try expander.parseDefine(datum)
        let (fn, scope) = topScope()
        let node = try expander.expand(lambda, scope, name: target.symbolValue?.name)
        let thunkProto = CodeGen(sourceName: "prelude").compileTopLevel(node, function: fn)
        guard let proto = thunkProto.code.prototypes.first, proto.captures.isEmpty else {
            throw SchemeError(.internal, "prelude form is not a procedure definition: \(source.prefix(60))")
        }
        return .closure(Closure(proto: proto, free: []))
    }

    // MARK: RuntimeHost

    func parameterValue(_ parameter: Parameter) -> Value {
        (runtime.currentFiber ?? fiber).parameterValue(parameter)
    }

    func compileTopLevel(_ datum: Value) throws -> Value {
        let expander = Expander(runtime: runtime, sourceMap: SourceMap(), maxDepth: runtime.limits.printDepth)
        return .closure(try compile(datum, expander, sourceName: "eval"))
    }

    func topScope() -> (FunctionState, Scope) {
        let fn = FunctionState(parent: nil)
        return (fn, Scope(parent: nil, function: fn, isTopLevel: true))
    }

    func compile(_ datum: Value, _ expander: Expander, sourceName: String?) throws -> Closure {
        let (fn, scope) = topScope()
        let node = try expander.expand(datum, scope)
        let proto = CodeGen(sourceName: sourceName).compileTopLevel(node, function: fn)
        return Closure(proto: proto, free: [])
    }

    /// Resets the per-evaluation budgets: fuel, deadlines, captured output.
    func beginEvaluation() {
        // Closures replaced in globals during the last evaluation can go now: nothing runs.
        for cell in runtime.globals.values { cell.releaseRetired() }
        // What the last evaluation left on the stacks is garbage now (Fiber+Release.swift).
        fiber.releaseIdleCapacity()
        let limits = runtime.limits
        runtime.fuelRemaining = limits.fuel
        runtime.pendingFuel = 0
        runtime.deadlines = EvaluationDeadlines(
            cpu: limits.cpuSeconds.isFinite ? MemoryProbe.threadCPUSeconds() + limits.cpuSeconds : .infinity,
            wall: limits.wallSeconds.isFinite ? MonotonicClock.seconds() + limits.wallSeconds : .infinity)
        _ = runtime.currentOutput.take()
        runtime.currentOutput.limit = limits.outputBytes
        runtime.models.hostWaitAtStart = runtime.models.hostWaitSeconds?() ?? 0
        runtime.reservedSinceCheck = 0
    }

    /// Evaluates a whole program: forms in order, `finish` ends it, an error stops it. Every
    /// phase (reading, expanding, compiling, running, printing the result) answers to the limits.
    func evalProgram(_ code: String, sourceName: String? = nil) -> EvalResult {
        runtime.asCurrent { evalProgramAsCurrent(code, sourceName: sourceName) }
    }

    private func evalProgramAsCurrent(_ code: String, sourceName: String?) -> EvalResult {
        beginEvaluation()
        runtime.models.childPool.reset()
        let forms: [Value]
        var reader = Reader("", sourceName: sourceName)
        do {
            // The reader holds the text as code points (4 bytes each) before reading a token.
            try runtime.reserve(bytes: code.utf8.count &* 4)
            reader = Reader(code, sourceName: sourceName)
            reader.meter = runtime
            forms = try reader.readAll()
        } catch let e as SchemeError {
            return .failure(e)
        } catch {
            return .failure(SchemeError(.internal, "\(error)"))
        }
        let expander = Expander(runtime: runtime, sourceMap: reader.positions, maxDepth: runtime.limits.printDepth)
        let (_, scope) = topScope()
        var queue = forms[...]
        var stdout = ""
        var lastValue: Value?
        while let form = queue.popFirst() {
            do {
                let f = try expander.expandHeadMacros(form, scope)
                if case .pair(let p) = f, case .symbol(let h) = p.car, case .special(.begin) = expander.resolve(h, scope),
                   let sub = p.cdr.listToArray() {
                    queue = sub[...] + queue
                    continue
                }
                let thunk = try compile(f, expander, sourceName: sourceName)
                var outcome = runOnMainFiber(.closure(thunk))
                stdout += runtime.currentOutput.take()
                // A limit reached where it could not be thrown (printer, number formatting) ends
                // the evaluation even if the form completed with a placeholder value.
                if let e = runtime.deadlines.deferredError { outcome = .error(e) }
                switch outcome {
                case .done(let v):
                    lastValue = v
                    continue
                case .finished(let v):
                    if case .object(let o as MultipleValues) = v {
                        return .failure(Interpreter.arityMismatch(received: o.values.count))
                    }
                    do {
                        // The result shares the output limit with what the program printed.
                        let room = runtime.limits.outputBytes == .max ? Int.max : runtime.limits.outputBytes - stdout.utf8.count
                        let text = try Printer.finishText(v, maxDepth: runtime.limits.printDepth, limitBytes: room)
                        return EvalResult(status: .finished, result: text, stdout: stdout, error: nil, value: v)
                    } catch let e as SchemeError {
                        return .failure(e, stdout: stdout)
                    }
                case .finishError(let message):
                    return .failure(SchemeError(.finishError, message), stdout: stdout)
                case .error(let e):
                    return .failure(e, stdout: stdout)
                case .suspended:
                    return .failure(SchemeError(.internal, "evaluation ended suspended"), stdout: stdout)
                }
            } catch let e as SchemeError {
                stdout += runtime.currentOutput.take()
                return .failure(e, stdout: stdout)
            } catch {
                return .failure(SchemeError(.internal, "\(error)"), stdout: stdout)
            }
        }
        // `value` carries the last form's value (the REPL shows it); `result` stays "" as in the original.
        return EvalResult(status: .ok, result: "", stdout: stdout, error: nil, value: lastValue)
    }

    /// Evaluates one datum as a top-level form and returns its value.
    func evaluate(datum: Value) throws -> Value {
        try runtime.asCurrent { try evaluateAsCurrent(datum: datum) }
    }

    private func evaluateAsCurrent(datum: Value) throws -> Value {
        beginEvaluation()
        let expander = Expander(runtime: runtime, sourceMap: SourceMap(), maxDepth: runtime.limits.printDepth)
        let thunk = try compile(datum, expander, sourceName: nil)
        let outcome = runOnMainFiber(.closure(thunk))
        switch outcome {
        case .suspended: throw SchemeError(.internal, "evaluation ended suspended")
        case .done(let v), .finished(let v): return v
        case .finishError(let m): throw SchemeError(.finishError, m)
        case .error(let e): throw e
        }
    }

    /// Releases the environment: primitives hold their runtime strongly (runtime → globals →
    /// primitive → runtime), so without this a reset or closed session would never be freed.
    func retire() {
        runtime.globals.removeAll()
        runtime.syntaxBindings.removeAll()
        runtime.system.cells.removeAll()
        runtime.system.syntaxBindings.removeAll()
        runtime.lazyDefinitions.removeAll()
        runtime.host = nil
        runtime.models.liveChildren.removeAll()
        if runtime.models.recursion.depth == 0 { runtime.models.childPool.retireAll() }
        // The fiber's stack may still hold the last primitive called, which holds the runtime.
        runtime.currentFiber = nil
        runtime.models.hostWaitSeconds = nil
        runtime.models.asyncCalls.removeAll()
    }

    /// Names the user defined at top level (reference §4.5).
    func userVariables() -> [String] {
        runtime.globals.values
            .filter { !$0.isBuiltin && !$0.isProtected && !$0.value.isMissing }
            .map { $0.name.name }
            .sorted()
    }
}

extension EvalResult {
    /// An error result keeping what the program printed before the error (front ends that follow
    /// the original protocol drop it, see docs/compatibility.md).
    static func failure(_ e: SchemeError, stdout: String = "") -> EvalResult {
        EvalResult(status: .error, result: "", stdout: stdout, error: e, value: nil)
    }
}
