/// One VM instruction. Operands are `Int` payloads; stack effect and fuel cost are listed per case
/// (the compiler tracks stack depth with `stackEffect`). Fuel is charged on calls and jumps only.
enum Instruction: Sendable {
    /// Push `constants[k]`. Stack +1.
    case const(Int)
    /// Push the fixnum. Stack +1.
    case int(Int)
    /// Push `'()`, `#<void>`, `#t`, `#f`. Stack +1.
    case null, void, `true`, `false`
    /// Push frame slot `i`. Stack +1.
    case local(Int)
    /// Pop into frame slot `i`. Stack −1.
    case setLocal(Int)
    /// Push the contents of the box in frame slot `i`. Stack +1.
    case localBoxed(Int)
    /// Pop into the box in frame slot `i`. Stack −1.
    case setLocalBoxed(Int)
    /// Replace frame slot `i` by a box holding its value (captured + assigned variables). Stack 0.
    case boxLocal(Int)
    /// Push frame slot `i`, which must have been initialised (letrec / internal define). Stack +1.
    case localChecked(Int)
    /// Mark frame slot `i` as not yet initialised. Stack 0.
    case uninitialized(Int)
    /// Push #t when frame slot `i` holds the not-supplied marker (optional-argument prologue). Stack +1.
    case localMissing(Int)
    /// Push captured variable `i` of the running closure. Stack +1.
    case free(Int)
    /// Push the contents of the box in captured variable `i`. Stack +1.
    case freeBoxed(Int)
    /// Pop into the box in captured variable `i`. Stack −1.
    case setFreeBoxed(Int)
    /// Push the value of global `cells[k]`; unbound → error. Stack +1.
    case global(Int)
    /// Pop into global `cells[k]`, which must be defined. Stack −1.
    case setGlobal(Int)
    /// Pop and define global `cells[k]`. Stack −1.
    case defineGlobal(Int)
    /// Push the running closure (a lambda's reference to its own letrec name). Stack +1.
    case selfClosure
    /// Push a closure of `prototypes[k]`, capturing per its capture list. Stack +1.
    case closure(Int)
    /// Jump to absolute instruction index. Fuel 1.
    case jump(Int)
    /// Pop; jump when it is #f. Stack −1. Fuel 1.
    case jumpIfFalse(Int)
    /// Call the procedure below `argc` arguments. Stack −argc (callee replaced by result). Fuel 1.
    case call(Int)
    /// Same, replacing the current frame. Fuel 1.
    case tailCall(Int)
    /// Call with keyword arguments described by `kwSites[k]`. Fuel 1.
    case callKw(Int)
    case tailCallKw(Int)
    /// Call the closure in global `cells[k]` with `argc` arguments (operand `k << 16 | argc`),
    /// borrowed from the cell: the callee slot below the arguments holds a trivial placeholder.
    /// Falls back to an ordinary call for anything but a simple closure. Fuel 1.
    case callGlobal(Int)
    case tailCallGlobal(Int)
    /// Return the top of stack to the caller.
    case ret
    /// Discard the top of stack. Stack −1.
    case pop
    /// Fused forms the code generator emits for common shapes (operands packed by `FusedOperand`).
    /// Push `local + imm` (`(+ x 1)`). Stack +1.
    case addLocalInt(Int)
    /// Push `local - imm` (`(- n 1)`). Stack +1.
    case subLocalInt(Int)
    /// Compare a local with an immediate (`(< n 2)`); when true, skip the next instruction (the
    /// `jump` to the else branch). Stack 0.
    case compareLocalIntSkip(Int)
    /// Return frame slot `i`.
    case retLocal(Int)
    /// `(car x)`, `(cdr x)`, `(null? x)`, `(pair? x)` of frame slot `i`: no reference count traffic
    /// on the pair itself. Stack +1.
    case carLocal(Int), cdrLocal(Int), isNullLocal(Int), isPairLocal(Int)
    /// Inline primitives over the top one or two slots (fixnum fast path, general path otherwise).
    case add, sub, mul, numEq, lt, gt, le, ge
    case car, cdr, cons, isNull, isPair, not, eq, isZero, add1, sub1

    /// Net change of stack depth (calls: the callee slot is replaced by the result).
    var stackEffect: Int {
        switch self {
        case .const, .int, .null, .void, .true, .false, .local, .localBoxed, .localMissing, .localChecked,
             .free, .freeBoxed, .global, .closure, .selfClosure:
            return 1
        case .setLocal, .setLocalBoxed, .setFreeBoxed, .setGlobal, .defineGlobal, .jumpIfFalse, .pop:
            return -1
        case .boxLocal, .jump, .ret, .compareLocalIntSkip, .retLocal, .uninitialized: return 0
        case .addLocalInt, .subLocalInt, .carLocal, .cdrLocal, .isNullLocal, .isPairLocal: return 1
        case .call(let n), .tailCall(let n): return -n
        case .callKw, .tailCallKw: return 0 // adjusted by the compiler from the site
        case .callGlobal(let x), .tailCallGlobal(let x): return -(x & 0xFFFF)
        case .add, .sub, .mul, .numEq, .lt, .gt, .le, .ge, .cons, .eq: return -1
        case .car, .cdr, .isNull, .isPair, .not, .isZero, .add1, .sub1: return 0
        }
    }
}

/// A call site with keyword arguments: `positional` values then one value per keyword, in source order.
struct KeywordCallSite: Sendable {
    let positional: Int
    let keywords: [Symbol]
    var total: Int { positional + keywords.count }
}

/// Packs a frame slot, a comparison and a 32-bit immediate into one operand.
enum FusedOperand {
    enum Comparison: Int { case lt = 0, gt, le, ge, eq }
    static func pack(slot: Int, imm: Int, comparison: Comparison = .lt) -> Int {
        (slot & 0xFF_FFFF) | (comparison.rawValue << 24) | (imm << 32)
    }
    @inline(__always) static func slot(_ x: Int) -> Int { x & 0xFF_FFFF }
    @inline(__always) static func imm(_ x: Int) -> Int { x >> 32 }
    @inline(__always) static func comparison(_ x: Int) -> Int { (x >> 24) & 0xFF }
    /// Whether an immediate and a slot fit the packing.
    static func fits(slot: Int, imm: Int) -> Bool {
        slot >= 0 && slot < 0xFF_FFFF && imm >= Int(Int32.min) && imm <= Int(Int32.max)
    }
}
