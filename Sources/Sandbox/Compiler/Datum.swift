/// Small helpers for building and taking apart code as data inside the compiler.
enum Datum {
    static func sym(_ s: String) -> Value { .symbol(Symbol.intern(s)) }
    static func list(_ items: Value...) -> Value { Value.list(items) }
    static func list(_ items: [Value]) -> Value { Value.list(items) }
    static func quote(_ v: Value) -> Value { list(sym("quote"), v) }
}

extension Value {
    /// The symbol if this is one (interned or alias).
    var symbolValue: Symbol? {
        if case .symbol(let s) = self { return s }
        return nil
    }
    var pairValue: Pair? {
        if case .pair(let p) = self { return p }
        return nil
    }
}
