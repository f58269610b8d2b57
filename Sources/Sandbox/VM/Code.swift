/// Compiled code of one procedure body (or one top-level form): flat instructions addressed by
/// index, a constant pool, global cells, nested prototypes and a line per instruction.
final class Code: @unchecked Sendable {
    let instructions: UnsafeMutablePointer<Instruction>
    let count: Int
    let constants: ContiguousArray<Value>
    let cells: ContiguousArray<GlobalCell>
    let prototypes: ContiguousArray<Prototype>
    let kwSites: ContiguousArray<KeywordCallSite>
    /// Source position of each instruction as `line << 20 | column` (0 = unknown), for error
    /// positions and call-site profiles.
    let lines: ContiguousArray<Int64>
    let sourceName: String?
    /// Names of frame slots and captured variables, for "used before initialization" errors.
    var slotNames: [String] = []
    var freeNames: [String] = []
    /// Raw views of `constants` and `cells` for the interpreter loop (no array retain per access;
    /// the arrays above own the values).
    let constantsBase: UnsafeMutablePointer<Value>
    let cellsBase: UnsafeMutablePointer<Unmanaged<GlobalCell>>

    init(instructions: [Instruction], constants: [Value], cells: [GlobalCell], prototypes: [Prototype],
         kwSites: [KeywordCallSite], lines: [Int64], sourceName: String?) {
        count = instructions.count
        self.instructions = .allocate(capacity: max(count, 1))
        self.instructions.initialize(from: instructions, count: count)
        self.constants = ContiguousArray(constants)
        self.cells = ContiguousArray(cells)
        self.prototypes = ContiguousArray(prototypes)
        self.kwSites = ContiguousArray(kwSites)
        self.lines = ContiguousArray(lines)
        self.sourceName = sourceName
        constantsBase = .allocate(capacity: max(constants.count, 1))
        constantsBase.initialize(from: constants, count: constants.count)
        cellsBase = .allocate(capacity: max(cells.count, 1))
        cellsBase.initialize(from: cells.map { Unmanaged.passUnretained($0) }, count: cells.count)
    }
    deinit {
        instructions.deinitialize(count: count)
        instructions.deallocate()
        constantsBase.deinitialize(count: constants.count)
        constantsBase.deallocate()
        cellsBase.deallocate()
    }

    /// Code that just returns, for prototypes made without a body (tests, placeholders).
    nonisolated(unsafe) static let empty = Code(instructions: [.void, .ret], constants: [], cells: [], prototypes: [],
                                                kwSites: [], lines: [0, 0], sourceName: nil)

    func position(at ip: Int) -> SourcePosition? {
        guard ip >= 0, ip < lines.count, lines[ip] > 0 else { return nil }
        return SourcePosition(line: Int(lines[ip] >> 20), column: Int(lines[ip] & 0xFFFFF), source: sourceName)
    }
}

/// How a lambda takes its arguments and lays out its frame.
///
/// Frame slots: required params, optional params, rest list (if any), keyword params, then locals.
final class Prototype: @unchecked Sendable {
    var code: Code!
    let name: String?
    let requiredCount: Int
    let optionalCount: Int
    let hasRest: Bool
    /// Keyword parameters: name, whether required, frame slot.
    let keywords: [(name: Symbol, required: Bool, slot: Int)]
    let frameSize: Int
    /// Where each captured variable comes from in the creating frame: `slot >= 0` a local slot,
    /// `slot < 0` the creating closure's free variable `-slot - 1`.
    let captures: [Int]
    /// Only required parameters: the fast call path applies.
    let isSimple: Bool
    /// Deepest temporary stack use above the frame, so a call reserves room once.
    var maxStack = 0

    init(name: String?, requiredCount: Int, optionalCount: Int, hasRest: Bool,
         keywords: [(name: Symbol, required: Bool, slot: Int)], frameSize: Int, captures: [Int]) {
        self.name = name
        self.requiredCount = requiredCount
        self.optionalCount = optionalCount
        self.hasRest = hasRest
        self.keywords = keywords
        self.frameSize = frameSize
        self.captures = captures
        self.isSimple = optionalCount == 0 && !hasRest && keywords.isEmpty
        self.isModelCallEntry = !keywords.isEmpty && Prototype.modelCallEntries.contains(name ?? "")
    }

    /// Procedures whose user call line is noted: `llm-query` & co. (for the call trace) and the
    /// fan-outs (so an error naming their failed items points at the user's call).
    static let modelCallEntries: Set<String> = ["llm-query", "llm-query-async", "unsafe-raw-query", "map-async",
                                                "fan-out-aggregate", "tiered", "active-learning"]

    /// `llm-query` & co.: a keyword call of it records the caller's line for the call trace.
    let isModelCallEntry: Bool

    var positionalSlots: Int { requiredCount + optionalCount + (hasRest ? 1 : 0) }

    var arityDescription: String {
        if hasRest { return "at least \(requiredCount)" }
        if optionalCount > 0 { return "\(requiredCount) to \(requiredCount + optionalCount)" }
        return "\(requiredCount)"
    }
}

/// A procedure made by `lambda`: a prototype plus the values of its free variables.
public final class Closure: @unchecked Sendable {
    let proto: Prototype
    /// The prototype's code, unretained (`proto` owns it): the VM reads it with no reference counting.
    let codeRef: Unmanaged<Code>
    var code: Code { codeRef.takeUnretainedValue() }
    let frameSize: Int
    let requiredCount: Int
    let isSimple: Bool
    let maxStack: Int
    /// Captured values (`freeCount` of them).
    let free: UnsafeMutablePointer<Value>
    let freeCount: Int

    init(proto: Prototype, free: ContiguousArray<Value>) {
        self.proto = proto
        codeRef = Unmanaged.passUnretained(proto.code ?? Code.empty)
        frameSize = proto.frameSize
        requiredCount = proto.requiredCount
        isSimple = proto.isSimple
        maxStack = proto.maxStack
        freeCount = free.count
        self.free = .allocate(capacity: max(free.count, 1))
        self.free.initialize(from: Array(free), count: free.count)
    }
    deinit {
        free.deinitialize(count: freeCount)
        free.deallocate()
    }
    /// The name Racket would print (`#<procedure:f>`), nil for anonymous lambdas.
    public var name: String? { proto.name }
}
