/// The storage of one top-level variable. Compiled code holds the cell itself, so a global
/// reference is one pointer load; an unbound global holds `.missing`.
final class GlobalCell: @unchecked Sendable {
    let name: Symbol
    var value: Value
    /// Scaffold bindings (reference §4.2): neither `define` nor `set!` may change them.
    var isProtected: Bool
    /// Defined by the system (listed neither as a user variable nor reported by `get-variables`).
    var isBuiltin: Bool

    init(name: Symbol, value: Value = .missing, isProtected: Bool = false, isBuiltin: Bool = false) {
        self.name = name
        self.value = value
        self.isProtected = isProtected
        self.isBuiltin = isBuiltin
    }
}
