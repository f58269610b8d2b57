import OrderedCollections

/// Which equality a hash table uses for its keys.
public enum HashKind: UInt8, Sendable {
    case equal, eqv, eq
}

/// A key wrapper that hashes and compares according to a table's `HashKind`.
public struct HashKey: Hashable, @unchecked Sendable {
    public let value: Value
    public let kind: HashKind

    public init(_ value: Value, kind: HashKind) {
        self.value = value
        self.kind = kind
    }

    public static func == (a: HashKey, b: HashKey) -> Bool {
        switch a.kind {
        case .eq: return Equality.eq(a.value, b.value)
        case .eqv: return Equality.eqv(a.value, b.value)
        case .equal: return Equality.equal(a.value, b.value)
        }
    }

    public func hash(into h: inout Hasher) {
        // Strings and atoms, the usual keys, are hashed without the work list (no allocation).
        switch value {
        case .string(let s) where kind == .equal: HashKey.hashString(s, into: &h)
        case .pair, .vector, .hash, .object, .string: HashKey.hashValue(value, kind: kind, into: &h, budget: 64)
        case .null: h.combine(0 as UInt8)
        case .void: h.combine(1 as UInt8)
        case .missing: h.combine(2 as UInt8)
        case .bool(let b): h.combine(b)
        case .int(let i): h.combine(i)
        case .double(let d): h.combine(d.isNaN ? Double.nan.bitPattern : d.bitPattern)
        case .char(let c): h.combine(c.value)
        case .symbol(let s): h.combine(ObjectIdentifier(s))
        case .keyword(let s): h.combine(3 as UInt8); h.combine(ObjectIdentifier(s))
        case .closure(let c): h.combine(ObjectIdentifier(c))
        case .primitive(let p): h.combine(ObjectIdentifier(p))
        }
    }

    /// A string's count and its first 256 code points, hashed as one block of bytes (combining
    /// code point by code point was most of `hash-ref` on string keys).
    @inline(__always)
    private static func hashString(_ s: MString, into h: inout Hasher) {
        h.combine(s.scalars.count)
        s.scalars.withUnsafeBufferPointer { buffer in
            h.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer.prefix(256))))
        }
    }

    /// Hashes at most `budget` nodes so that keys that are long lists stay cheap to hash;
    /// equal values always visit the same prefix, so the hash stays consistent with equality.
    private static func hashValue(_ v: Value, kind: HashKind, into h: inout Hasher, budget: Int) {
        var work: [Value] = [v]
        var remaining = budget
        while let x = work.popLast(), remaining > 0 {
            remaining -= 1
            switch x {
            case .null: h.combine(0 as UInt8)
            case .void: h.combine(1 as UInt8)
            case .missing: h.combine(2 as UInt8)
            case .bool(let b): h.combine(b)
            case .int(let i): h.combine(i)
            case .double(let d): h.combine(d.isNaN ? Double.nan.bitPattern : d.bitPattern)
            case .char(let c): h.combine(c.value)
            case .symbol(let s): h.combine(ObjectIdentifier(s))
            case .keyword(let s): h.combine(3 as UInt8); h.combine(ObjectIdentifier(s))
            case .string(let s):
                if kind == .equal { hashString(s, into: &h) } else { h.combine(ObjectIdentifier(s)) }
            case .pair(let p):
                if kind == .equal { h.combine(4 as UInt8); work.append(p.cdr); work.append(p.car) }
                else { h.combine(ObjectIdentifier(p)) }
            case .vector(let vec):
                if kind == .equal { h.combine(vec.items.count); work.append(contentsOf: vec.items.prefix(16)) }
                else { h.combine(ObjectIdentifier(vec)) }
            case .hash(let t):
                if kind == .equal { h.combine(t.count) } else { h.combine(ObjectIdentifier(t)) }
            case .closure(let c): h.combine(ObjectIdentifier(c))
            case .primitive(let p): h.combine(ObjectIdentifier(p))
            case .object(let o):
                if kind != .eq, let b = o as? BigNum { h.combine(b.value) }
                else if kind != .eq, let r = o as? Ratnum { h.combine(r.numerator); h.combine(r.denominator) }
                else if kind == .equal, let b = o as? Box { work.append(b.value) }
                else if kind == .equal, let s = o as? StructInstance, s.type.isTransparent {
                    h.combine(ObjectIdentifier(s.type)); work.append(contentsOf: s.fields)
                } else { h.combine(ObjectIdentifier(o)) }
            }
        }
    }
}

/// A Racket hash table: mutable (`make-hash`) or immutable (`hash`, functional `hash-set`).
/// Iteration follows insertion order, so runs are reproducible.
public final class HashTable: @unchecked Sendable {
    public var storage: OrderedDictionary<HashKey, Value>
    public let kind: HashKind
    public let isMutable: Bool

    public init(kind: HashKind, mutable: Bool, storage: OrderedDictionary<HashKey, Value> = [:]) {
        self.kind = kind
        self.isMutable = mutable
        self.storage = storage
    }

    public var count: Int { storage.count }

    public func get(_ key: Value) -> Value? { storage[HashKey(key, kind: kind)] }
    public func set(_ key: Value, _ value: Value) { storage[HashKey(key, kind: kind)] = value }
    @discardableResult
    public func remove(_ key: Value) -> Value? { storage.removeValue(forKey: HashKey(key, kind: kind)) }

    /// A copy with the same kind and mutability (functional update of immutable tables).
    public func copy(mutable: Bool? = nil) -> HashTable {
        HashTable(kind: kind, mutable: mutable ?? isMutable, storage: storage)
    }
}
