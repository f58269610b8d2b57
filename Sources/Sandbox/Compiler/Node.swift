/// The compiler's core language: what the expander produces and code generation consumes.
/// Every derived form (cond, for/list, struct, …) has been rewritten into these by then.
indirect enum Node {
    case constant(Value)
    case localRef(LocalVar)
    /// A lambda's reference to its own `letrec` name inside its body: the running closure
    /// (no capture, so no reference cycle).
    case selfRef
    case globalRef(GlobalCell)
    /// `set!` of a local; the expression's value is `#<void>`.
    case setLocal(LocalVar, Node)
    /// `set!` (define: false) or top-level `define` (define: true) of a global.
    case setGlobal(GlobalCell, Node, define: Bool)
    case ifNode(Node, Node, Node)
    case sequence([Node])
    case lambda(LambdaInfo)
    /// Application; keyword arguments in source order.
    case call(Node, [Node], keywords: [(Symbol, Node)], position: SourcePosition?)
    /// A primitive compiled to an instruction.
    case inline(InlineOp, [Node], position: SourcePosition?)
    /// `let`: evaluate inits in the outer scope, bind, run body.
    case bind([LocalVar], [Node], Node)
    /// `letrec*`: variables in scope for the inits, initialised in order.
    case letrec([LocalVar], [Node], Node)
}

/// A lexical variable: a slot in its owning function's frame.
final class LocalVar {
    let name: Symbol
    unowned let owner: FunctionState
    let slot: Int
    /// Referenced from a nested lambda (so its value is copied into closures).
    var isCaptured = false
    /// Target of `set!` (or an internal definition, initialised after closures may capture it).
    var isAssigned = false
    /// Bound by `letrec`: initialised after the closures of its inits may have captured it.
    var isLetrecBound = false
    /// Bound by `letrec` or an internal definition: reading it before its initialisation is an
    /// error (`x: undefined; cannot use before initialization`), so reads are checked.
    var needsInitCheck = false

    init(name: Symbol, owner: FunctionState, slot: Int) {
        self.name = name
        self.owner = owner
        self.slot = slot
    }
    /// Captured and mutable variables live in a `Box` shared by the frame and its closures.
    var needsBox: Bool { isCaptured && (isAssigned || isLetrecBound) }
}

/// Compile-time state of one function (lambda body or top-level form): frame slots and the
/// variables it captures from enclosing functions.
final class FunctionState {
    let parent: FunctionState?
    private(set) var slotCount = 0
    /// Variable name of each frame slot, for error messages.
    private(set) var slotNames: [String] = []
    private(set) var freeVars: [LocalVar] = []
    /// The `letrec` variable this function's lambda is bound to, if any.
    var selfVar: LocalVar?
    private var freeIndex: [ObjectIdentifier: Int] = [:]

    init(parent: FunctionState?) { self.parent = parent }

    func newLocal(_ name: Symbol) -> LocalVar {
        let v = LocalVar(name: name, owner: self, slot: slotCount)
        slotCount += 1
        slotNames.append(name.name)
        return v
    }

    /// Index of a captured variable in this function's closure, registering it on first use.
    func freeSlot(of v: LocalVar) -> Int {
        if let i = freeIndex[ObjectIdentifier(v)] { return i }
        let i = freeVars.count
        freeVars.append(v)
        freeIndex[ObjectIdentifier(v)] = i
        return i
    }

    func existingFreeSlot(of v: LocalVar) -> Int? { freeIndex[ObjectIdentifier(v)] }
}

/// A lambda's parameters and body.
final class LambdaInfo {
    let function: FunctionState
    var name: String?
    var required: [LocalVar] = []
    var optional: [(LocalVar, Node)] = []
    var rest: LocalVar?
    var keywords: [(keyword: Symbol, variable: LocalVar, required: Bool, defaultValue: Node?)] = []
    var body: Node = .constant(.void)
    var position: SourcePosition?

    init(function: FunctionState, name: String?) {
        self.function = function
        self.name = name
    }
}
