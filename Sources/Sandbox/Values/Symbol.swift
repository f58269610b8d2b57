import Synchronization

/// An interned (or, for hygiene, uninterned) symbol. Interned symbols compare by identity.
public final class Symbol: Hashable, @unchecked Sendable, CustomStringConvertible {
    public let name: String
    /// Uninterned symbols (`gensym`, macro renames) are never equal to an interned one.
    public let isInterned: Bool

    private init(name: String, interned: Bool) {
        self.name = name
        self.isInterned = interned
    }

    private static let table = Mutex<[String: Symbol]>([:])

    /// Returns the unique interned symbol with this name.
    public static func intern(_ name: String) -> Symbol {
        table.withLock { t in
            if let s = t[name] { return s }
            let s = Symbol(name: name, interned: true)
            t[name] = s
            return s
        }
    }

    /// A fresh symbol that prints as `name` but is distinct from every other symbol.
    public static func uninterned(_ name: String) -> Symbol {
        Symbol(name: name, interned: false)
    }

    public static func == (a: Symbol, b: Symbol) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
    public var description: String { name }
}
