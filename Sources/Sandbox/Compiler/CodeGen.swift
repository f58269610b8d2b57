/// Turns `Node` trees into flat `Code`: instructions addressed by index, with lexical addressing
/// already resolved (frame slot, closure slot, or global cell).
final class CodeGen {
    let sourceName: String?

    init(sourceName: String?) { self.sourceName = sourceName }

    /// Compiles a top-level form into a zero-argument procedure.
    func compileTopLevel(_ node: Node, function: FunctionState) -> Prototype {
        let b = CodeBuilder(function: function)
        compile(node, b, tail: true)
        let proto = Prototype(name: nil, requiredCount: 0, optionalCount: 0, hasRest: false, keywords: [],
                              frameSize: function.slotCount, captures: [])
        proto.code = b.finish(sourceName: sourceName)
        proto.maxStack = b.maxDepth + 2
        return proto
    }

    private func compileFunction(_ info: LambdaInfo, creator: FunctionState) -> Prototype {
        let fn = info.function
        let b = CodeBuilder(function: fn)
        if let pos = info.position { b.line = pos.packed }
        func boxIfNeeded(_ v: LocalVar) { if v.needsBox { b.emit(.boxLocal(v.slot)) } }
        func defaulting(_ v: LocalVar, _ expr: Node) {
            b.emit(.localMissing(v.slot))
            let jump = b.emitJump(.jumpIfFalse(0))
            compile(expr, b, tail: false)
            b.emit(.setLocal(v.slot))
            b.patch(jump)
        }
        info.required.forEach(boxIfNeeded)
        for (v, d) in info.optional { defaulting(v, d); boxIfNeeded(v) }
        if let r = info.rest { boxIfNeeded(r) }
        for kw in info.keywords {
            if let d = kw.defaultValue { defaulting(kw.variable, d) }
            boxIfNeeded(kw.variable)
        }
        compile(info.body, b, tail: true)
        let captures: [Int] = fn.freeVars.map { v in
            if v.owner === creator { return v.slot }
            return -(creator.existingFreeSlot(of: v)! + 1)
        }
        let proto = Prototype(name: info.name, requiredCount: info.required.count, optionalCount: info.optional.count,
                              hasRest: info.rest != nil,
                              keywords: info.keywords.map { ($0.keyword, $0.required, $0.variable.slot) },
                              frameSize: fn.slotCount, captures: captures)
        proto.code = b.finish(sourceName: sourceName)
        proto.maxStack = b.maxDepth + 2
        return proto
    }

    // MARK: Expressions

    /// A local owned by the function being compiled, read without a box, and a small int:
    /// the operands of the fused instructions.
    private func localAndInt(_ args: [Node], _ b: CodeBuilder) -> (slot: Int, imm: Int)? {
        guard args.count == 2, case .localRef(let v) = args[0], v.owner === b.function, !v.needsBox, !v.needsInitCheck,
              case .constant(.int(let k)) = args[1], FusedOperand.fits(slot: v.slot, imm: k) else { return nil }
        return (v.slot, k)
    }

    /// The single argument is a local of this function read without a box or a check.
    private func plainLocal(_ args: [Node], _ b: CodeBuilder) -> Int? {
        guard args.count == 1, case .localRef(let v) = args[0], v.owner === b.function, !v.needsBox, !v.needsInitCheck else { return nil }
        return v.slot
    }

    func compile(_ node: Node, _ b: CodeBuilder, tail: Bool) {
        switch node {
        case .localRef(let v) where tail && v.owner === b.function && !v.needsBox && !v.needsInitCheck:
            b.emit(.retLocal(v.slot))
            return
        case .inline(let op, let args, let pos) where [.car, .cdr, .isNull, .isPair].contains(op) && plainLocal(args, b) != nil:
            let slot = plainLocal(args, b)!
            if let pos { b.line = pos.packed }
            switch op {
            case .car: b.emit(.carLocal(slot))
            case .cdr: b.emit(.cdrLocal(slot))
            case .isNull: b.emit(.isNullLocal(slot))
            default: b.emit(.isPairLocal(slot))
            }
            if tail { b.emit(.ret) }
            return
        case .inline(let op, let args, let pos) where (op == .add || op == .sub) && localAndInt(args, b) != nil:
            let (slot, k) = localAndInt(args, b)!
            if let pos { b.line = pos.packed }
            let packed = FusedOperand.pack(slot: slot, imm: k)
            b.emit(op == .add ? .addLocalInt(packed) : .subLocalInt(packed))
            if tail { b.emit(.ret) }
            return
        case .ifNode(.inline(let op, let args, let pos), let t, let e) where FusedOperand.comparison(for: op) != nil && localAndInt(args, b) != nil:
            let (slot, k) = localAndInt(args, b)!
            if let pos { b.line = pos.packed }
            b.emit(.compareLocalIntSkip(FusedOperand.pack(slot: slot, imm: k, comparison: FusedOperand.comparison(for: op)!)))
            compileBranches(t, e, toElse: b.emitJump(.jump(0)), b, tail: tail)
            return
        case .constant(let v):
            b.emitConstant(v)
        case .localRef(let v):
            b.emitLoad(v)
        case .selfRef:
            b.emit(.selfClosure)
        case .globalRef(let cell):
            b.emit(.global(b.cellIndex(cell)))
        case .setLocal, .setGlobal:
            compileEffect(node, b)
            b.emit(.void)
        case .ifNode(let c, let t, let e):
            compile(c, b, tail: false)
            compileBranches(t, e, toElse: b.emitJump(.jumpIfFalse(0)), b, tail: tail)
            return
        case .sequence(let nodes):
            for n in nodes.dropLast() { compileEffect(n, b) }
            if let last = nodes.last { compile(last, b, tail: tail) } else { b.emit(.void) }
            return
        case .lambda(let info):
            let proto = compileFunction(info, creator: b.function)
            b.emit(.closure(b.addPrototype(proto)))
        case .call(.globalRef(let cell), let args, let keywords, let pos) where keywords.isEmpty && args.count < 0xFFFF:
            // The callee is borrowed from the global's cell: push a placeholder for its slot.
            if let pos { b.line = pos.packed }
            b.emit(.null)
            for a in args { compile(a, b, tail: false) }
            if let pos { b.line = pos.packed }
            let operand = b.cellIndex(cell) << 16 | args.count
            b.emit(tail ? .tailCallGlobal(operand) : .callGlobal(operand))
            if tail { return }
        case .call(let f, let args, let keywords, let pos):
            if let pos { b.line = pos.packed }
            compile(f, b, tail: false)
            for a in args { compile(a, b, tail: false) }
            for (_, v) in keywords { compile(v, b, tail: false) }
            if let pos { b.line = pos.packed }
            if keywords.isEmpty {
                b.emit(tail ? .tailCall(args.count) : .call(args.count))
            } else {
                let site = b.addKeywordSite(KeywordCallSite(positional: args.count, keywords: keywords.map { $0.0 }))
                b.emit(tail ? .tailCallKw(site) : .callKw(site), effect: -(args.count + keywords.count))
            }
            if tail { return }
        case .inline(let op, let args, let pos):
            for a in args { compile(a, b, tail: false) }
            if let pos { b.line = pos.packed }
            b.emit(op.instruction)
        case .bind(let vars, let inits, let body):
            for (v, e) in zip(vars, inits) {
                compile(e, b, tail: false)
                b.emit(.setLocal(v.slot))
                if v.needsBox { b.emit(.boxLocal(v.slot)) }
            }
            compile(body, b, tail: tail)
            return
        case .letrec(let vars, let inits, let body):
            for v in vars where v.needsBox || v.needsInitCheck {
                b.emit(.uninitialized(v.slot))
                if v.needsBox { b.emit(.boxLocal(v.slot)) }
            }
            for (v, e) in zip(vars, inits) {
                compile(e, b, tail: false)
                b.emitStore(v)
            }
            compile(body, b, tail: tail)
            return
        }
        if tail { b.emit(.ret) }
    }

    /// The two arms of an `if` after its test; `toElse` is the jump taken when the test fails.
    private func compileBranches(_ t: Node, _ e: Node, toElse: Int, _ b: CodeBuilder, tail: Bool) {
        let depth = b.depth
        compile(t, b, tail: tail)
        if tail {
            b.patch(toElse)
            b.depth = depth
            compile(e, b, tail: true)
            return
        }
        let toEnd = b.emitJump(.jump(0))
        b.patch(toElse)
        b.depth = depth
        compile(e, b, tail: false)
        b.patch(toEnd)
    }

    /// Compiles `node` for its effect only (no value left on the stack).
    private func compileEffect(_ node: Node, _ b: CodeBuilder) {
        switch node {
        case .constant, .localRef, .globalRef, .lambda, .selfRef:
            return
        case .setLocal(let v, let value):
            compile(value, b, tail: false)
            b.emitStore(v)
        case .setGlobal(let cell, let value, let define):
            compile(value, b, tail: false)
            let k = b.cellIndex(cell)
            b.emit(define ? .defineGlobal(k) : .setGlobal(k))
        case .sequence(let nodes):
            for n in nodes { compileEffect(n, b) }
        default:
            compile(node, b, tail: false)
            b.emit(.pop)
        }
    }
}

extension InlineOp {
    var instruction: Instruction {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .numEq: return .numEq
        case .lt: return .lt
        case .gt: return .gt
        case .le: return .le
        case .ge: return .ge
        case .car: return .car
        case .cdr: return .cdr
        case .cons: return .cons
        case .isNull: return .isNull
        case .isPair: return .isPair
        case .not: return .not
        case .eq: return .eq
        case .isZero: return .isZero
        case .add1: return .add1
        case .sub1: return .sub1
        }
    }
}

/// Accumulates one function's instructions, constants and tables, tracking stack depth.
final class CodeBuilder {
    let function: FunctionState
    private var instructions: [Instruction] = []
    private var lines: [Int64] = []
    private var constants: [Value] = []
    private var cells: [GlobalCell] = []
    private var cellIndices: [ObjectIdentifier: Int] = [:]
    private var prototypes: [Prototype] = []
    private var kwSites: [KeywordCallSite] = []
    var depth = 0
    private(set) var maxDepth = 0
    var line: Int64 = 0

    init(function: FunctionState) { self.function = function }

    func emit(_ i: Instruction, effect: Int? = nil) {
        instructions.append(i)
        lines.append(line)
        depth += effect ?? i.stackEffect
        if depth > maxDepth { maxDepth = depth }
    }

    /// Emits a jump whose target is filled in by `patch`.
    func emitJump(_ i: Instruction) -> Int {
        emit(i)
        return instructions.count - 1
    }

    /// Points the jump at `index` to the next instruction.
    func patch(_ index: Int) {
        let target = instructions.count
        switch instructions[index] {
        case .jump: instructions[index] = .jump(target)
        case .jumpIfFalse: instructions[index] = .jumpIfFalse(target)
        default: preconditionFailure("patching a non-jump")
        }
    }

    func emitConstant(_ v: Value) {
        switch v {
        case .null: emit(.null)
        case .void: emit(.void)
        case .bool(let x): emit(x ? .true : .false)
        case .int(let i): emit(.int(i))
        default:
            constants.append(v)
            emit(.const(constants.count - 1))
        }
    }

    func emitLoad(_ v: LocalVar) {
        if v.owner === function {
            emit(v.needsBox ? .localBoxed(v.slot) : (v.needsInitCheck ? .localChecked(v.slot) : .local(v.slot)))
        } else {
            let i = function.existingFreeSlot(of: v)!
            emit(v.needsBox ? .freeBoxed(i) : .free(i))
        }
    }

    func emitStore(_ v: LocalVar) {
        if v.owner === function {
            emit(v.needsBox ? .setLocalBoxed(v.slot) : .setLocal(v.slot))
        } else {
            emit(.setFreeBoxed(function.existingFreeSlot(of: v)!))
        }
    }

    func cellIndex(_ c: GlobalCell) -> Int {
        if let i = cellIndices[ObjectIdentifier(c)] { return i }
        cells.append(c)
        cellIndices[ObjectIdentifier(c)] = cells.count - 1
        return cells.count - 1
    }

    func addPrototype(_ p: Prototype) -> Int {
        prototypes.append(p)
        return prototypes.count - 1
    }

    func addKeywordSite(_ s: KeywordCallSite) -> Int {
        kwSites.append(s)
        return kwSites.count - 1
    }

    func finish(sourceName: String?) -> Code {
        let code = Code(instructions: instructions, constants: constants, cells: cells, prototypes: prototypes,
                        kwSites: kwSites, lines: lines, sourceName: sourceName)
        code.slotNames = function.slotNames
        code.freeNames = function.freeVars.map { $0.name.name }
        return code
    }
}

extension SourcePosition {
    /// `line << 20 | column`, the form kept per instruction.
    var packed: Int64 { Int64(line) << 20 | Int64(min(column, 0xFFFFF)) }
}

extension FusedOperand {
    /// The fused comparison for an inline numeric comparison.
    static func comparison(for op: InlineOp) -> Comparison? {
        switch op {
        case .lt: return .lt
        case .gt: return .gt
        case .le: return .le
        case .ge: return .ge
        case .numEq: return .eq
        default: return nil
        }
    }
}
