#if canImport(Glibc)
import Glibc
#endif

/// How a run of the VM ended.
enum RunOutcome {
    /// The thunk returned normally.
    case done(Value)
    /// `finish` was called.
    case finished(Value)
    /// `finish-error` was called.
    case finishError(String)
    /// An uncaught exception or a limit.
    case error(SchemeError)
    /// The fiber waits on a `Pending`; the scheduler resumes it when that settles.
    case suspended
}

/// Internal signals raised by special primitives (never user-visible errors).
enum VMSignal: Error {
    case finish(Value)
    case finishError(String)
}

/// The bytecode interpreter.
///
/// Hot state (instruction pointer, stack pointer, frame pointer, code) lives in locals of `run`
/// and is written back to the fiber only around slow paths (style guide: "run() state"). Fuel is
/// charged on calls and jumps in chunks; every chunk also checks the time and memory limits.
final class Interpreter {
    let runtime: Runtime
    /// A one-instruction `ret` used as the return point when a marker frame is pushed from a tail call.
    let returnTrampoline: Code
    var markerCounter = 0
    /// Deadlines of the current evaluation (kept by the runtime, which checks them in every phase).
    var cpuDeadline: Double {
        get { runtime.deadlines.cpu }
        set { runtime.deadlines.cpu = newValue }
    }
    var wallDeadline: Double {
        get { runtime.deadlines.wall }
        set { runtime.deadlines.wall = newValue }
    }
    let dispatchCell: GlobalCell
    /// How many steps between limit checks.
    static let fuelChunk = 20_000

    init(runtime: Runtime) {
        self.runtime = runtime
        returnTrampoline = Code(instructions: [.ret], constants: [], cells: [], prototypes: [], kwSites: [], lines: [0], sourceName: nil)
        dispatchCell = runtime.cell(Symbol.intern("%dispatch-exception"))
    }

    // MARK: Entry

    /// Calls `proc` with `args` on `fiber` (which must be idle) and runs until it returns.
    func apply(_ proc: Value, _ args: [Value], on fiber: Fiber) -> RunOutcome {
        let base = fiber.sp
        if fiber.stackCapacity < base + args.count + 8 { fiber.growStack(to: base + args.count + 8) }
        fiber.stack[base] = proc
        for (i, a) in args.enumerated() { fiber.stack[base + 1 + i] = a }
        fiber.sp = base + 1 + args.count
        // The exit frame records no closure: nothing runs after returning through it, and a stale
        // closure reference there would not be kept alive.
        fiber.code = returnTrampoline
        fiber.closure = nil
        guard case .closure(let c) = proc else {
            fiber.truncateStack(to: base)
            return .error(SchemeError.contract("apply", expected: "procedure?", given: proc))
        }
        do {
            // The call's return frame is the exit marker: returning through it ends the run.
            try enterClosure(c, positional: args.count, keywords: [], tail: false,
                             marker: FrameMarker.make(FrameMarker.exit, 0), fiber)
        } catch let e as SchemeError {
            fiber.truncateStack(to: base)
            return .error(e)
        } catch {
            return .error(SchemeError(.internal, "\(error)"))
        }
        fiber.exitDepth = fiber.frameCount
        let outcome = run(fiber, exitDepth: fiber.frameCount)
        switch outcome {
        case .done, .suspended: break
        default: abandon(fiber, base: base)
        }
        return outcome
    }

    /// Resumes a suspended fiber with the settled value of what it waited on (or raises the error in it).
    func resume(_ fiber: Fiber, with result: Result<Value, SchemeError>) -> RunOutcome {
        var injected: SchemeError? = nil
        switch result {
        case .success(let v):
            fiber.stack[fiber.sp - 1] = v
            if fiber.resumeTail, let done = returnFromFrame(fiber) { return done }
        case .failure(let e):
            injected = e
        }
        let outcome = run(fiber, exitDepth: fiber.exitDepth, injected: injected)
        switch outcome {
        case .done, .suspended: break
        default: abandon(fiber, base: 0)
        }
        return outcome
    }

    /// Drops a suspended fiber's computation (the evaluation ended elsewhere).
    func abandonSuspended(_ fiber: Fiber) {
        abandon(fiber, base: 0)
    }

    /// Drops whatever was running on `fiber` (finish, error).
    private func abandon(_ fiber: Fiber, base: Int) {
        do {
            fiber.truncateFrames(to: 0)
            fiber.handlers.removeAll()
            fiber.parameters.removeAll()
            fiber.truncateStack(to: base)
            fiber.fp = 0
            fiber.code = returnTrampoline
        }
    }

    /// The VM's limit check: the same one every other phase uses (`Runtime.checkLimits`, Limits.swift).
    private func checkLimits() throws {
        try runtime.checkLimits()
    }

    // MARK: The loop

    /// Runs `fiber` from a pending call of `argc` arguments (callee below them on the stack).
    private func run(_ fiber: Fiber, exitDepth: Int, injected: SchemeError? = nil) -> RunOutcome {
        runtime.currentFiber = fiber
        var injected = injected
        var stack = fiber.stack
        var sp = fiber.sp
        var fp = fiber.fp
        var ip = fiber.ip
        // Registers. Code and closure are unmanaged: the stack keeps them alive (see `Frame`).
        var codeRef = Unmanaged.passUnretained(fiber.code!)
        var closureRef = fiber.closure.map { Unmanaged.passUnretained($0) }
        var instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions }
        var fuel = min(Interpreter.fuelChunk, max(runtime.fuelRemaining, 0))
        runtime.fuelRemaining -= fuel
        // Unused fuel goes back when the run returns (a suspended fiber resumes with a fresh chunk).
        defer { runtime.fuelRemaining += max(fuel, 0) }

        while true {
            do {
                if let e = injected { injected = nil; throw e }
                while true {
                    var argc: Int
                    var tail: Bool
                    // Set by callGlobal: the callee, borrowed from its global cell (its slot holds a placeholder).
                    var borrowedCallee: Unmanaged<Closure>? = nil
                    do {
                        let ins = instrs[ip]
                        ip &+= 1
                        switch ins {
                        case .const(let k):
                            (stack + sp).initialize(to: codeRef._withUnsafeGuaranteedRef { $0.constantsBase[k] }); sp &+= 1; continue
                        case .int(let i):
                            (stack + sp).initialize(to: .int(i)); sp &+= 1; continue
                        case .null:
                            (stack + sp).initialize(to: .null); sp &+= 1; continue
                        case .void:
                            (stack + sp).initialize(to: .void); sp &+= 1; continue
                        case .true:
                            (stack + sp).initialize(to: .true); sp &+= 1; continue
                        case .false:
                            (stack + sp).initialize(to: .false); sp &+= 1; continue
                        case .local(let i):
                            let src = stack + (fp &+ i)
                            if case .int(let x) = src.pointee { (stack + sp).initialize(to: .int(x)) }
                            else { (stack + sp).initialize(to: src.pointee) }
                            sp &+= 1; continue
                        case .setLocal(let i):
                            sp &-= 1; stack[fp &+ i] = (stack + sp).move(); (stack + sp).initialize(to: .null); continue
                        case .localBoxed(let i):
                            guard case .object(let o) = stack[fp &+ i] else { preconditionFailure("unboxed local") }
                            let box = unsafeDowncast(o, to: Box.self)
                            if case .missing = box.value { throw Interpreter.uninitialized(codeRef.takeUnretainedValue().slotNames, i) }
                            (stack + sp).initialize(to: box.value); sp &+= 1; continue
                        case .setLocalBoxed(let i):
                            guard case .object(let o) = stack[fp &+ i] else { preconditionFailure("unboxed local") }
                            let box = unsafeDowncast(o, to: Box.self)
                            sp &-= 1; box.value = (stack + sp).move(); (stack + sp).initialize(to: .null); continue
                        case .boxLocal(let i):
                            stack[fp &+ i] = .object(Box(stack[fp &+ i])); continue
                        case .localChecked(let i):
                            let v = (stack + (fp &+ i)).pointee
                            if case .missing = v { throw Interpreter.uninitialized(codeRef.takeUnretainedValue().slotNames, i) }
                            (stack + sp).initialize(to: v); sp &+= 1; continue
                        case .uninitialized(let i):
                            (stack + (fp &+ i)).pointee = .missing; continue
                        case .localMissing(let i):
                            (stack + sp).initialize(to: .bool(stack[fp &+ i].isMissing)); sp &+= 1; continue
                        case .free(let i):
                            (stack + sp).initialize(to: closureRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.free[i] }); sp &+= 1; continue
                        case .freeBoxed(let i):
                            guard case .object(let o) = (closureRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.free[i] }) else { preconditionFailure("unboxed free") }
                            let box = unsafeDowncast(o, to: Box.self)
                            if case .missing = box.value { throw Interpreter.uninitialized(codeRef.takeUnretainedValue().freeNames, i) }
                            (stack + sp).initialize(to: box.value); sp &+= 1; continue
                        case .setFreeBoxed(let i):
                            guard case .object(let o) = (closureRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.free[i] }) else { preconditionFailure("unboxed free") }
                            let box = unsafeDowncast(o, to: Box.self)
                            sp &-= 1; box.value = (stack + sp).move(); (stack + sp).initialize(to: .null); continue
                        case .global(let k):
                            let v = codeRef._withUnsafeGuaranteedRef { $0.cellsBase[k] }._withUnsafeGuaranteedRef { $0.value }
                            if case .missing = v {
                                let cell = codeRef._withUnsafeGuaranteedRef { $0.cellsBase[k] }.takeUnretainedValue()
                                guard runtime.loadLazyDefinition(cell) else { throw SchemeError.unbound(cell.name.name) }
                                (stack + sp).initialize(to: cell.value); sp &+= 1; continue
                            }
                            (stack + sp).initialize(to: v); sp &+= 1; continue
                        case .setGlobal(let k):
                            let cell = codeRef._withUnsafeGuaranteedRef { $0.cellsBase[k] }.takeUnretainedValue()
                            if case .missing = cell.value, !runtime.loadLazyDefinition(cell) {
                                throw SchemeError(.unbound, "set!: assignment disallowed;\n cannot set variable before its definition\n  variable: \(cell.name.name)\n  in module: 'program")
                            }
                            sp &-= 1; cell.value = (stack + sp).move(); (stack + sp).initialize(to: .null); continue
                        case .defineGlobal(let k):
                            let cell = codeRef._withUnsafeGuaranteedRef { $0.cellsBase[k] }.takeUnretainedValue()
                            sp &-= 1; cell.value = (stack + sp).move(); (stack + sp).initialize(to: .null)
                            continue
                        case .selfClosure:
                            (stack + sp).initialize(to: .closure(closureRef.unsafelyUnwrapped.takeUnretainedValue())); sp &+= 1; continue
                        case .closure(let k):
                            let proto = codeRef._withUnsafeGuaranteedRef { $0.prototypes[k] }
                            var free = ContiguousArray<Value>()
                            free.reserveCapacity(proto.captures.count)
                            for c in proto.captures {
                                free.append(c >= 0 ? stack[fp &+ c] : closureRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.free[-c - 1] })
                            }
                            (stack + sp).initialize(to: .closure(Closure(proto: proto, free: free))); sp &+= 1; continue
                        case .jump(let t):
                            ip = t
                            fuel &-= 1
                            if fuel <= 0 { fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue(); try refuel(&fuel) }
                            continue
                        case .jumpIfFalse(let t):
                            sp &-= 1
                            if case .bool(false) = (stack + sp).pointee { ip = t }
                            else { (stack + sp).pointee = .null }
                            continue
                        case .pop:
                            sp &-= 1; stack[sp] = .null; continue
                        case .retLocal(let i):
                            (stack + sp).initialize(to: (stack + (fp &+ i)).pointee); sp &+= 1
                            fallthrough
                        case .ret:
                            let result = (stack + (sp &- 1)).move()
                            (stack + (sp &- 1)).initialize(to: .null)
                            var i = fp &- 1
                            while i < sp { Interpreter.clear(stack + i); i &+= 1 }
                            sp = fp &- 1
                            (stack + sp).initialize(to: result); sp &+= 1
                            fiber.frameCount &-= 1
                            let f = (fiber.frames + fiber.frameCount).move()
                            codeRef = f.codeRef; closureRef = f.closureRef; ip = f.ip; fp = f.fp
                            instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions }
                            if f.marker == 0, case .object = result { try Interpreter.checkSingleValue(result, next: instrs[ip]) }
                            if f.marker != 0 {
                                if FrameMarker.kind(f.marker) == FrameMarker.exit {
                                    sp &-= 1
                                    let v = stack[sp]
                                    stack[sp] = .null
                                    fiber.sp = sp; fiber.fp = fp
                                    return .done(v)
                                }
                                fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue(); if let done = try finishMarker(f.marker, fiber) { return done }; stack = fiber.stack; sp = fiber.sp; fp = fiber.fp; ip = fiber.ip; codeRef = Unmanaged.passUnretained(fiber.code!); closureRef = fiber.closure.map { Unmanaged.passUnretained($0) }; instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions };
                            }
                            continue
                        case .callGlobal(let x), .tailCallGlobal(let x):
                            argc = x & 0xFFFF
                            if case .tailCallGlobal = ins { tail = true } else { tail = false }
                            let cell = codeRef._withUnsafeGuaranteedRef { $0.cellsBase[x >> 16] }
                            let borrowed = cell._withUnsafeGuaranteedRef { $0.closureRef }
                            if let cRef = borrowed, cRef._withUnsafeGuaranteedRef({ $0.isSimple }) {
                                borrowedCallee = cRef
                            } else {
                                // Not a simple closure: put the value in the callee slot, call as usual.
                                let c = cell.takeUnretainedValue()
                                if case .missing = c.value, !runtime.loadLazyDefinition(c) { throw SchemeError.unbound(c.name.name) }
                                stack[sp &- argc &- 1] = c.value
                            }
                        case .call(let n):
                            argc = n; tail = false
                        case .tailCall(let n):
                            argc = n; tail = true
                        case .callKw(let s), .tailCallKw(let s):
                            fuel &-= 1
                            if fuel <= 0 { fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue(); try refuel(&fuel) }
                            var isTail = false
                            if case .tailCallKw = ins { isTail = true }
                            fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue()
                            if let done = try callWithKeywords(fiber.code!.kwSites[s], tail: isTail, fiber) { return done }
                            stack = fiber.stack; sp = fiber.sp; fp = fiber.fp; ip = fiber.ip; codeRef = Unmanaged.passUnretained(fiber.code!); closureRef = fiber.closure.map { Unmanaged.passUnretained($0) }; instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions };
                            continue
                        case .addLocalInt(let x), .subLocalInt(let x):
                            let local = (stack + (fp &+ FusedOperand.slot(x))).pointee
                            let imm = FusedOperand.imm(x)
                            var isAdd = true
                            if case .subLocalInt = ins { isAdd = false }
                            if case .int(let a) = local {
                                let (r, o) = isAdd ? a.addingReportingOverflow(imm) : a.subtractingReportingOverflow(imm)
                                if !o { (stack + sp).initialize(to: .int(r)); sp &+= 1; continue }
                            }
                            (stack + sp).initialize(to: isAdd ? try Arithmetic.add(local, .int(imm)) : try Arithmetic.sub(local, .int(imm)))
                            sp &+= 1; continue
                        case .compareLocalIntSkip(let x):
                            let imm = FusedOperand.imm(x)
                            let c: Int?
                            if case .int(let a) = (stack + (fp &+ FusedOperand.slot(x))).pointee {
                                c = a < imm ? -1 : (a == imm ? 0 : 1)
                            } else {
                                let local = (stack + (fp &+ FusedOperand.slot(x))).pointee
                                if FusedOperand.comparison(x) == FusedOperand.Comparison.eq.rawValue {
                                    c = try Arithmetic.numEqual(local, .int(imm)) ? 0 : 1
                                } else {
                                    let names = ["<", ">", "<=", ">="]
                                    c = try Arithmetic.compare(local, .int(imm), who: names[FusedOperand.comparison(x)])
                                }
                            }
                            let holds: Bool
                            if let c {
                                switch FusedOperand.comparison(x) {
                                case 0: holds = c < 0
                                case 1: holds = c > 0
                                case 2: holds = c <= 0
                                case 3: holds = c >= 0
                                default: holds = c == 0
                                }
                            } else { holds = false }
                            if holds { ip &+= 1 }
                            continue
                        case .add:
                            if case .int(let x) = (stack + (sp &- 2)).pointee, case .int(let y) = (stack + (sp &- 1)).pointee {
                                let (r, o) = x.addingReportingOverflow(y)
                                if !o { (stack + (sp &- 2)).initialize(to: .int(r)); sp &-= 1; (stack + sp).initialize(to: .null); continue }
                            }
                            let b = stack[sp &- 1], a = stack[sp &- 2]
                            stack[sp &- 2] = try Arithmetic.add(a, b); sp &-= 1; stack[sp] = .null; continue
                        case .sub:
                            if case .int(let x) = (stack + (sp &- 2)).pointee, case .int(let y) = (stack + (sp &- 1)).pointee {
                                let (r, o) = x.subtractingReportingOverflow(y)
                                if !o { (stack + (sp &- 2)).initialize(to: .int(r)); sp &-= 1; (stack + sp).initialize(to: .null); continue }
                            }
                            let b = stack[sp &- 1], a = stack[sp &- 2]
                            stack[sp &- 2] = try Arithmetic.sub(a, b); sp &-= 1; stack[sp] = .null; continue
                        case .mul:
                            if case .int(let x) = (stack + (sp &- 2)).pointee, case .int(let y) = (stack + (sp &- 1)).pointee {
                                let (r, o) = x.multipliedReportingOverflow(by: y)
                                if !o { (stack + (sp &- 2)).initialize(to: .int(r)); sp &-= 1; (stack + sp).initialize(to: .null); continue }
                            }
                            let b = stack[sp &- 1], a = stack[sp &- 2]
                            stack[sp &- 2] = try Arithmetic.mul(a, b); sp &-= 1; stack[sp] = .null; continue
                        case .numEq:
                            if case .int(let x) = (stack + (sp &- 2)).pointee, case .int(let y) = (stack + (sp &- 1)).pointee {
                                (stack + (sp &- 2)).initialize(to: .bool(x == y)); sp &-= 1; (stack + sp).initialize(to: .null); continue
                            }
                            let b = stack[sp &- 1], a = stack[sp &- 2]
                            stack[sp &- 2] = .bool(try Arithmetic.numEqual(a, b)); sp &-= 1; stack[sp] = .null; continue
                        case .lt, .gt, .le, .ge:
                            let result: Bool
                            if case .int(let x) = (stack + (sp &- 2)).pointee, case .int(let y) = (stack + (sp &- 1)).pointee {
                                switch ins {
                                case .lt: result = x < y
                                case .gt: result = x > y
                                case .le: result = x <= y
                                default: result = x >= y
                                }
                            } else {
                                let b = stack[sp &- 1], a = stack[sp &- 2]
                                let who: String
                                switch ins { case .lt: who = "<"; case .gt: who = ">"; case .le: who = "<="; default: who = ">=" }
                                if let c = try Arithmetic.compare(a, b, who: who) {
                                    switch ins {
                                    case .lt: result = c < 0
                                    case .gt: result = c > 0
                                    case .le: result = c <= 0
                                    default: result = c >= 0
                                    }
                                } else { result = false }
                            }
                            stack[sp &- 2] = .bool(result); sp &-= 1; stack[sp] = .null; continue
                        case .carLocal(let i), .cdrLocal(let i):
                            let slot = stack + (fp &+ i)
                            guard case .pair = slot.pointee else {
                                if case .carLocal = ins { throw SchemeError.contract("car", expected: "pair?", given: slot.pointee) }
                                throw SchemeError.contract("cdr", expected: "pair?", given: slot.pointee)
                            }
                            if case .carLocal = ins {
                                (stack + sp).initialize(to: Interpreter.pairRef(at: slot)._withUnsafeGuaranteedRef { $0.car })
                            } else {
                                (stack + sp).initialize(to: Interpreter.pairRef(at: slot)._withUnsafeGuaranteedRef { $0.cdr })
                            }
                            sp &+= 1; continue
                        case .isNullLocal(let i):
                            if case .null = (stack + (fp &+ i)).pointee { (stack + sp).initialize(to: .true) } else { (stack + sp).initialize(to: .false) }
                            sp &+= 1; continue
                        case .isPairLocal(let i):
                            if case .pair = (stack + (fp &+ i)).pointee { (stack + sp).initialize(to: .true) } else { (stack + sp).initialize(to: .false) }
                            sp &+= 1; continue
                        case .car:
                            let top = stack + (sp &- 1)
                            guard case .pair = top.pointee else { throw SchemeError.contract("car", expected: "pair?", given: top.pointee) }
                            top.pointee = Interpreter.pairRef(at: top)._withUnsafeGuaranteedRef { $0.car }; continue
                        case .cdr:
                            let top = stack + (sp &- 1)
                            guard case .pair = top.pointee else { throw SchemeError.contract("cdr", expected: "pair?", given: top.pointee) }
                            top.pointee = Interpreter.pairRef(at: top)._withUnsafeGuaranteedRef { $0.cdr }; continue
                        case .cons:
                            stack[sp &- 2] = .pair(Pair(stack[sp &- 2], stack[sp &- 1])); sp &-= 1; stack[sp] = .null; continue
                        case .isNull:
                            let top = stack + (sp &- 1)
                            if case .null = top.pointee { top.initialize(to: .true) } else { top.pointee = .false }
                            continue
                        case .isPair:
                            let top = stack + (sp &- 1)
                            if case .pair = top.pointee { top.pointee = .true } else { top.pointee = .false }
                            continue
                        case .not:
                            stack[sp &- 1] = .bool(stack[sp &- 1].isFalse); continue
                        case .eq:
                            stack[sp &- 2] = .bool(Equality.eq(stack[sp &- 2], stack[sp &- 1])); sp &-= 1; stack[sp] = .null; continue
                        case .isZero:
                            if case .int(let x) = stack[sp &- 1] { stack[sp &- 1] = .bool(x == 0); continue }
                            stack[sp &- 1] = .bool(try Arithmetic.isZero(stack[sp &- 1])); continue
                        case .add1:
                            if case .int(let x) = stack[sp &- 1], x < Int.max { stack[sp &- 1] = .int(x &+ 1); continue }
                            stack[sp &- 1] = try Arithmetic.add(stack[sp &- 1], .int(1)); continue
                        case .sub1:
                            if case .int(let x) = stack[sp &- 1], x > Int.min { stack[sp &- 1] = .int(x &- 1); continue }
                            stack[sp &- 1] = try Arithmetic.sub(stack[sp &- 1], .int(1)); continue
                        }
                    }

                    // MARK: Call dispatch (call / tailCall / pending)
                    fuel &-= 1
                    if fuel <= 0 { fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue(); try refuel(&fuel) }
                    let calleeIndex = sp &- argc &- 1
                    if let cRef = borrowedCallee ?? Interpreter.simpleClosure(at: stack + calleeIndex) {
                        let (required, frameSize, maxStack, calleeCode) = cRef._withUnsafeGuaranteedRef {
                            ($0.requiredCount, $0.frameSize, $0.maxStack, $0.codeRef)
                        }
                        guard argc == required else {
                            let c = cRef.takeUnretainedValue()
                            throw SchemeError.arity(c.proto.name, expected: c.proto.arityDescription, given: argc)
                        }
                        if tail {
                            // Slide callee (or placeholder) and arguments down over the current frame.
                            var i = 0
                            while i <= argc {
                                (stack + (fp &- 1 &+ i)).pointee = (stack + (calleeIndex &+ i)).move()
                                (stack + (calleeIndex &+ i)).initialize(to: .null)
                                i &+= 1
                            }
                            let newTop = fp &+ argc
                            i = newTop
                            while i < sp { Interpreter.clear(stack + i); i &+= 1 }
                        } else {
                            if fiber.frameCount == fiber.frameCapacity {
                                if fiber.frameCount >= runtime.limits.maxCallDepth {
                                    throw SchemeError(.recursionLimit, "recursion too deep: more than \(runtime.limits.maxCallDepth) nested calls (limit call-depth)")
                                }
                                fiber.growFrames()
                            }
                            (fiber.frames + fiber.frameCount).initialize(to: Frame(codeRef: codeRef, closureRef: closureRef, ip: ip, fp: fp, marker: 0))
                            fiber.frameCount &+= 1
                            fp = calleeIndex &+ 1
                        }
                        sp = fp &+ frameSize
                        let needed = sp &+ maxStack
                        if needed > fiber.stackCapacity {
                            fiber.growStack(to: needed)
                            stack = fiber.stack
                        }
                        codeRef = calleeCode
                        closureRef = cRef
                        instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions }
                        ip = 0
                        continue
                    }
                    let callee = stack[calleeIndex]
                    if case .primitive(let prim) = callee {
                        let result: Value
                        switch prim.body {
                        case .fixed1(let f) where argc == 1: result = try f(stack[sp &- 1])
                        case .fixed2(let f) where argc == 2: result = try f(stack[sp &- 2], stack[sp &- 1])
                        case .fixed0(let f) where argc == 0: result = try f()
                        case .fixed3(let f) where argc == 3: result = try f(stack[sp &- 3], stack[sp &- 2], stack[sp &- 1])
                        case .variadic(let f):
                            if argc < prim.minArgs || (prim.maxArgs.map { argc > $0 } ?? false) {
                                throw SchemeError.arity(prim.name, expected: prim.arityDescription, given: argc)
                            }
                            result = try f(Arguments(base: stack + calleeIndex + 1, count: argc))
                        default:
                            fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue()
                            if let done = try callSlow(argc: argc, tail: tail, fiber) { return done }
                            stack = fiber.stack; sp = fiber.sp; fp = fiber.fp; ip = fiber.ip; codeRef = Unmanaged.passUnretained(fiber.code!); closureRef = fiber.closure.map { Unmanaged.passUnretained($0) }; instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions };
                            continue
                        }
                        // Replace callee and arguments by the result.
                        var i = calleeIndex &+ 1
                        while i < sp { Interpreter.clear(stack + i); i &+= 1 }
                        stack[calleeIndex] = result
                        sp = calleeIndex &+ 1
                        if !tail, case .object = result { try Interpreter.checkSingleValue(result, next: instrs[ip]) }
                        if tail {
                            // Return the result from the current frame: run the shared `ret`.
                            instrs = returnTrampoline.instructions
                            ip = 0
                        }
                        continue
                    }
                    fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue()
                    if let done = try callSlow(argc: argc, tail: tail, fiber) { return done }
                    stack = fiber.stack; sp = fiber.sp; fp = fiber.fp; ip = fiber.ip; codeRef = Unmanaged.passUnretained(fiber.code!); closureRef = fiber.closure.map { Unmanaged.passUnretained($0) }; instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions };
                }
            } catch let signal as VMSignal {
                switch signal {
                case .finish(let v): return .finished(v)
                case .finishError(let m): return .finishError(m)
                }
            } catch var error as SchemeError {
                if error.position == nil {
                    error.position = userPosition(codeRef.takeUnretainedValue(), ip: ip, closure: closureRef?.takeUnretainedValue(), fiber)
                }
                if error.code.isLimit || error.code == .finishError { return .error(error) }
                fiber.stack = stack; fiber.sp = sp; fiber.fp = fp; fiber.ip = ip; fiber.code = codeRef.takeUnretainedValue(); fiber.closure = closureRef?.takeUnretainedValue()
                let exn: Value = error.payload ?? .object(ExnObject(kind: error.code.exnKind, message: error.message, error: error))
                do {
                    if var uncaught = try raise(exn, fiber, exitDepth: exitDepth) {
                        if uncaught.position == nil { uncaught.position = error.position }
                        return .error(uncaught)
                    }
                } catch let e as SchemeError {
                    return .error(e)
                } catch {
                    return .error(SchemeError(.internal, "\(error)"))
                }
                stack = fiber.stack; sp = fiber.sp; fp = fiber.fp; ip = fiber.ip; codeRef = Unmanaged.passUnretained(fiber.code!); closureRef = fiber.closure.map { Unmanaged.passUnretained($0) }; instrs = codeRef._withUnsafeGuaranteedRef { $0.instructions };
            } catch {
                return .error(SchemeError(.internal, "internal error: \(error)"))
            }
        }
    }

    /// Where an error is reported: the failing instruction, or, when that is inside a prelude
    /// procedure (`llm-query`, `map-async`, …), the innermost user call that led there.
    func userPosition(_ code: Code, ip: Int, closure: Closure?, _ fiber: Fiber) -> SourcePosition? {
        guard Runtime.isSystemSource(code.sourceName) else { return code.position(at: ip - 1) }
        var i = fiber.frameCount - 1
        while i >= 0 {
            let f = fiber.frames[i]
            if !Runtime.isSystemSource(f.code.sourceName), let p = f.code.position(at: f.ip - 1) { return p }
            i -= 1
        }
        // A tail call left no user frame. If the failing procedure is `llm-query` & co., the line
        // that called it was noted at the call; otherwise the prelude's own position is all there is.
        if closure?.proto.isModelCallEntry == true, let site = runtime.models.modelCallSite { return site }
        return code.position(at: ip - 1)
    }

    /// The closure in a stack slot known to hold `.closure`, without retaining it.
    ///
    /// `Value` keeps a class payload as the pointer in its first word (the tag is a separate byte,
    /// since `.int` and `.double` use all 64 bits); `checkValueLayout` verifies this at start-up.
    /// Binding the closure with `case .closure(let c)` instead costs a retain/release pair per
    /// call (perf, fib 30: ~20% of run time).
    @inline(__always)
    static func closureRef(at p: UnsafeMutablePointer<Value>) -> Unmanaged<Closure> {
        Unmanaged<Closure>.fromOpaque(UnsafeRawPointer(p).load(as: UnsafeRawPointer.self))
    }

    /// The closure in a stack slot when it is a simple closure (only required parameters), unretained.
    @inline(__always)
    static func simpleClosure(at p: UnsafeMutablePointer<Value>) -> Unmanaged<Closure>? {
        guard case .closure = p.pointee else { return nil }
        let c = closureRef(at: p)
        return c._withUnsafeGuaranteedRef { $0.isSimple } ? c : nil
    }

    /// The pair in a stack slot known to hold `.pair`, without retaining it (see `closureRef(at:)`).
    @inline(__always)
    static func pairRef(at p: UnsafeMutablePointer<Value>) -> Unmanaged<Pair> {
        Unmanaged<Pair>.fromOpaque(UnsafeRawPointer(p).load(as: UnsafeRawPointer.self))
    }

    /// Verifies the layout assumption of `closureRef(at:)`.
    static func checkValueLayout(_ sample: Closure) {
        var v = Value.closure(sample)
        let ok = withUnsafeMutablePointer(to: &v) { closureRef(at: $0).toOpaque() == Unmanaged.passUnretained(sample).toOpaque() }
        let pair = Pair(.null, .null)
        var pv = Value.pair(pair)
        let pairOK = withUnsafeMutablePointer(to: &pv) { pairRef(at: $0).toOpaque() == Unmanaged.passUnretained(pair).toOpaque() }
        precondition(ok && pairOK, "Value layout changed: closureRef(at:)/pairRef(at:) must be updated")
    }

    /// Several values may only flow where they are discarded (`pop`) or passed on (`ret`);
    /// anywhere else Racket reports a result arity mismatch.
    @inline(never)
    static func checkSingleValue(_ v: Value, next: Instruction) throws {
        guard case .object(let o as MultipleValues) = v else { return }
        switch next {
        case .ret, .pop: return
        default: throw arityMismatch(received: o.values.count)
        }
    }

    static func arityMismatch(received: Int, expected: Int = 1) -> SchemeError {
        SchemeError(.arity, "result arity mismatch;\n expected number of values not received\n  expected: \(expected)\n  received: \(received)")
    }

    /// "x: undefined; cannot use before initialization" for slot or capture `i`.
    static func uninitialized(_ names: [String], _ i: Int) -> SchemeError {
        let name = i < names.count ? names[i] : "variable"
        return SchemeError(.unbound, "\(name): undefined;\n cannot use before initialization")
    }

    /// Empties a stack slot, skipping the release call when the old value holds no object.
    @inline(__always)
    static func clear(_ p: UnsafeMutablePointer<Value>) {
        switch p.pointee {
        case .null, .void, .bool, .int, .double, .char, .missing: p.initialize(to: .null)
        default: p.pointee = .null
        }
    }

    /// Charges a used-up fuel chunk, checks the limits, and hands out the next chunk.
    private func refuel(_ fuel: inout Int) throws {
        try checkLimits()
        fuel = min(Interpreter.fuelChunk, runtime.fuelRemaining)
        runtime.fuelRemaining -= fuel
        if fuel <= 0 { try checkLimits(); fuel = 1 }
    }

    /// Performs the action of a marker frame a value just returned through.
    /// Performs the action of a marker frame a value just returned through. A `call-with-values`
    /// marker starts the consumer's call; an outcome is returned only if the run ends.
    private func finishMarker(_ marker: Int, _ fiber: Fiber) throws -> RunOutcome? {
        switch FrameMarker.kind(marker) {
        case FrameMarker.handler:
            fiber.handlers.removeLast()
        case FrameMarker.parameters:
            fiber.parameters.removeLast(fiber.parameters.count - FrameMarker.data(marker))
        case FrameMarker.values:
            return try spreadIntoConsumer(fiber, expected: FrameMarker.data(marker) - 1)
        default:
            break
        }
        return nil
    }

    /// Replaces the producer's result (top of stack) by its values and calls the consumer below.
    func spreadIntoConsumer(_ fiber: Fiber, tail: Bool = false, expected: Int = -1) throws -> RunOutcome? {
        fiber.sp -= 1
        let result = (fiber.stack + fiber.sp).move()
        (fiber.stack + fiber.sp).initialize(to: .null)
        var values: [Value] = [result]
        if case .object(let o as MultipleValues) = result { values = o.values }
        if expected >= 0 && values.count != expected {
            throw Interpreter.arityMismatch(received: values.count, expected: expected)
        }
        if fiber.sp + values.count + 8 > fiber.stackCapacity { fiber.growStack(to: fiber.sp + values.count + 8) }
        for v in values { fiber.stack[fiber.sp] = v; fiber.sp += 1 }
        return try callSlow(argc: values.count, tail: tail, fiber)
    }

    // MARK: Raising

    /// Unwinds to the innermost handler and sets up `(%dispatch-exception exn handlers)` as a
    /// pending 2-argument call there; returns the error to report when nothing handles `exn`.
    private func raise(_ exn: Value, _ fiber: Fiber, exitDepth: Int) throws -> SchemeError? {
        guard let h = fiber.handlers.last, h.frameIndex >= exitDepth else {
            return Interpreter.uncaught(exn)
        }
        fiber.handlers.removeLast()
        fiber.truncateFrames(to: h.frameIndex + 1)
        fiber.parameters.removeLast(max(0, fiber.parameters.count - h.parameterDepth))
        fiber.truncateStack(to: h.stackBase)
        // Reuse the marker frame as an ordinary return point for the dispatcher's call.
        fiber.frameCount -= 1
        var f = (fiber.frames + fiber.frameCount).move()
        f.marker = 0
        fiber.code = f.code; fiber.closure = f.closure; fiber.ip = f.ip; fiber.fp = f.fp
        fiber.stack[fiber.sp] = dispatchCell.value
        fiber.stack[fiber.sp + 1] = exn
        fiber.stack[fiber.sp + 2] = h.handlers
        fiber.sp += 3
        guard case .closure(let dispatcher) = dispatchCell.value else {
            return Interpreter.uncaught(exn)
        }
        try enterClosure(dispatcher, positional: 2, keywords: [], tail: false, marker: 0, fiber)
        return nil
    }

    /// The error reported for an exception nobody caught.
    static func uncaught(_ exn: Value) -> SchemeError {
        if case .object(let o as ExnObject) = exn {
            // Keep the exn itself, so re-raising the error elsewhere (a fiber's failure awaited by
            // map-async) still carries its fields (exn:llm-status).
            if var e = o.error {
                if e.payload == nil { e.payload = exn }
                return e
            }
            return SchemeError(.user, o.message)
        }
        return SchemeError(.raised, "uncaught exception: \(Printer.write(exn, limit: 500))", payload: exn)
    }
}

/// Monotonic seconds for wall-clock limits.
enum MonotonicClock {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
