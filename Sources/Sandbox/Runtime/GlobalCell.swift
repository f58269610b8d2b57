/// The storage of one top-level variable. Compiled code holds the cell itself, so a global
/// reference is one pointer load; an unbound global holds `.missing`.
final class GlobalCell: @unchecked Sendable {
    let name: Symbol
    /// The value. When it is a closure, `closure` mirrors it unretained, so `callGlobal` can call
    /// it without reference counting; a closure that is replaced stays alive in `retired` until
    /// the evaluation ends (a running call may still be using it).
    var value: Value {
        didSet {
            if case .closure = oldValue { retired.append(oldValue) }
            if case .closure(let c) = value { closureRef = Unmanaged.passUnretained(c) } else { closureRef = nil }
        }
    }
    /// Unretained: reading it costs no reference counting (see `value`).
    private(set) var closureRef: Unmanaged<Closure>?
    private(set) var retired: [Value] = []
    /// Scaffold bindings (reference §4.2): neither `define` nor `set!` may change them.
    var isProtected: Bool
    /// Defined by the system (listed neither as a user variable nor reported by `get-variables`).
    var isBuiltin: Bool

    init(name: Symbol, value: Value = .missing, isProtected: Bool = false, isBuiltin: Bool = false) {
        self.name = name
        self.value = value
        self.isProtected = isProtected
        self.isBuiltin = isBuiltin
        if case .closure(let c) = value { closureRef = Unmanaged.passUnretained(c) }
    }

    /// Drops closures replaced during an evaluation (no call can be using them any more).
    func releaseRetired() {
        if !retired.isEmpty { retired.removeAll() }
    }
}
