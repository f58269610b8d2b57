import Synchronization

/// A prelude procedure compiled once per process and instantiated in each session that uses it.
///
/// Every session compiles the same prelude procedures against a system namespace of the same
/// shape, so the compiled code differs between sessions only in *which* global cells it refers
/// to. A template is that code with each cell replaced by its name; instantiating it looks the
/// names up in the session's system namespace (`Runtime.systemCell`) and rebuilds the code.
/// Reading, expanding and compiling a procedure again was 8% of simulating a small program (perf).
///
/// Sessions run on different threads, so a template shares nothing mutable with any session:
/// constants are held as plain data (`Constant`) and copied into fresh values at each
/// instantiation, and no template holds a cell (cells hold primitives, which hold their runtime).
/// Code whose constants are not plain data (procedures, hash tables, host objects) gets no
/// template and is compiled in each session as before.
final class PreludeTemplate: Sendable {
    /// A constant of compiled code, as data no session owns.
    indirect enum Constant: Sendable {
        /// Immediate values and symbols (symbols are shared process-wide already).
        case atom(Value)
        case string([Unicode.Scalar], mutable: Bool)
        case pair(Constant, Constant)
        case vector([Constant], mutable: Bool)
    }

    struct CodeTemplate: Sendable {
        let instructions: [Instruction]
        let constants: [Constant]
        /// The names of the code's cells, in its order.
        let cellNames: [Symbol]
        let prototypes: [ProtoTemplate]
        let kwSites: [KeywordCallSite]
        let lines: [Int64]
        let sourceName: String?
        let slotNames: [String]
        let freeNames: [String]
    }

    struct ProtoTemplate: Sendable {
        let name: String?
        let requiredCount: Int
        let optionalCount: Int
        let hasRest: Bool
        let keywords: [(name: Symbol, required: Bool, slot: Int)]
        let frameSize: Int
        let captures: [Int]
        let maxStack: Int
        let code: CodeTemplate
    }

    let proto: ProtoTemplate
    /// The fuel compiling the definition took (the expander charges the evaluation that loads it).
    let fuel: Int

    /// The template of a compiled top-level procedure, nil when its code holds anything but plain data.
    init?(_ closure: Closure, fuel: Int) {
        guard closure.freeCount == 0, let p = PreludeTemplate.template(of: closure.proto, depth: 0) else { return nil }
        proto = p
        self.fuel = fuel
    }

    /// The procedure, with its code referring to `runtime`'s system namespace.
    func instantiate(in runtime: Runtime) -> Value {
        .closure(Closure(proto: PreludeTemplate.build(proto, runtime), free: []))
    }

    // MARK: Process-wide store, by definition source

    private static let store = Mutex<[String: PreludeTemplate]>([:])

    static func lookup(_ source: String) -> PreludeTemplate? { store.withLock { $0[source] } }

    static func remember(_ source: String, _ template: PreludeTemplate) {
        // The preludes have a few hundred procedures; the bound only guards against misuse.
        store.withLock { if $0.count < 4096 { $0[source] = template } }
    }

    /// Drops the template of `source`, so the next session compiles it again (tests).
    static func forget(_ source: String) { _ = store.withLock { $0.removeValue(forKey: source) } }

    // MARK: Capturing

    /// Nesting allowed in prototypes and constants (prelude code is shallow; deeper means "compile").
    private static let maxDepth = 64

    private static func template(of proto: Prototype, depth: Int) -> ProtoTemplate? {
        guard depth < maxDepth, let code = proto.code else { return nil }
        var constants: [Constant] = []
        constants.reserveCapacity(code.constants.count)
        for c in code.constants {
            guard let t = constant(c, depth: 0) else { return nil }
            constants.append(t)
        }
        var cellNames: [Symbol] = []
        for cell in code.cells {
            guard cell.name.isInterned else { return nil }
            cellNames.append(cell.name)
        }
        var prototypes: [ProtoTemplate] = []
        for p in code.prototypes {
            guard let t = template(of: p, depth: depth + 1) else { return nil }
            prototypes.append(t)
        }
        let body = CodeTemplate(
            instructions: Array(UnsafeBufferPointer(start: code.instructions, count: code.count)),
            constants: constants, cellNames: cellNames, prototypes: prototypes, kwSites: Array(code.kwSites),
            lines: Array(code.lines), sourceName: code.sourceName, slotNames: code.slotNames, freeNames: code.freeNames)
        return ProtoTemplate(
            name: proto.name, requiredCount: proto.requiredCount, optionalCount: proto.optionalCount, hasRest: proto.hasRest,
            keywords: proto.keywords,
            frameSize: proto.frameSize, captures: proto.captures, maxStack: proto.maxStack, code: body)
    }

    private static func constant(_ v: Value, depth: Int) -> Constant? {
        guard depth < maxDepth else { return nil }
        switch v {
        case .null, .void, .bool, .int, .double, .char, .symbol, .keyword:
            return .atom(v)
        case .string(let s):
            return .string(s.scalars, mutable: s.isMutable)
        case .pair(let p):
            guard let a = constant(p.car, depth: depth + 1), let d = constant(p.cdr, depth: depth + 1) else { return nil }
            return .pair(a, d)
        case .vector(let vec):
            var items: [Constant] = []
            for x in vec.items {
                guard let t = constant(x, depth: depth + 1) else { return nil }
                items.append(t)
            }
            return .vector(items, mutable: vec.isMutable)
        case .hash, .closure, .primitive, .object, .missing:
            return nil
        }
    }

    // MARK: Instantiating

    private static func build(_ t: ProtoTemplate, _ runtime: Runtime) -> Prototype {
        let proto = Prototype(name: t.name, requiredCount: t.requiredCount, optionalCount: t.optionalCount, hasRest: t.hasRest,
                              keywords: t.keywords,
                              frameSize: t.frameSize, captures: t.captures)
        proto.maxStack = t.maxStack
        let c = t.code
        let code = Code(instructions: c.instructions, constants: c.constants.map(value),
                        cells: c.cellNames.map { runtime.systemCell($0) },
                        prototypes: c.prototypes.map { build($0, runtime) },
                        kwSites: c.kwSites, lines: c.lines, sourceName: c.sourceName)
        code.slotNames = c.slotNames
        code.freeNames = c.freeNames
        proto.code = code
        return proto
    }

    private static func value(_ c: Constant) -> Value {
        switch c {
        case .atom(let v): return v
        case .string(let scalars, let mutable): return .string(MString(scalars, mutable: mutable))
        case .pair(let a, let d): return .pair(Pair(value(a), value(d)))
        case .vector(let items, let mutable): return .vector(SVector(items.map(value), mutable: mutable))
        }
    }
}
