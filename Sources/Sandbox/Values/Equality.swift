import BigInt
import OrderedCollections

/// Two container identities compared together (cycle detection in `equal?`).
private struct PairKey: Hashable {
    let a: ObjectIdentifier, b: ObjectIdentifier
    init(_ a: ObjectIdentifier, _ b: ObjectIdentifier) { self.a = a; self.b = b }
}

/// `eq?`, `eqv?` and `equal?` (Racket semantics).
public enum Equality {
    /// `eq?`: identity for heap objects; value for fixnums, chars, booleans and other immediates.
    public static func eq(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null), (.void, .void), (.missing, .missing): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x.bitPattern == y.bitPattern
        case let (.char(x), .char(y)): return x == y
        case let (.symbol(x), .symbol(y)): return x === y
        case let (.keyword(x), .keyword(y)): return x === y
        case let (.string(x), .string(y)): return x === y
        case let (.pair(x), .pair(y)): return x === y
        case let (.vector(x), .vector(y)): return x === y
        case let (.hash(x), .hash(y)): return x === y
        case let (.closure(x), .closure(y)): return x === y
        case let (.primitive(x), .primitive(y)): return x === y
        case let (.object(x), .object(y)): return x === y
        default: return false
        }
    }

    /// `eqv?`: like `eq?`, but numbers compare by exactness and value.
    public static func eqv(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.object(x as BigNum), .object(y as BigNum)): return x.value == y.value
        case let (.object(x as Ratnum), .object(y as Ratnum)):
            return x.numerator == y.numerator && x.denominator == y.denominator
        case let (.double(x), .double(y)):
            return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        default: return eq(a, b)
        }
    }

    /// `equal?`: structural on pairs, vectors, strings, hashes, boxes and syntax objects.
    /// Iterative, so deeply nested data cannot overflow the Swift stack.
    public static func equal(_ a: Value, _ b: Value) -> Bool {
        // Atoms and strings need no work stack (the common case for assoc, member, hash keys).
        switch (a, b) {
        case let (.string(s), .string(t)):
            return s === t || s.scalars == t.scalars
        case (.pair, .pair), (.vector, .vector), (.hash, .hash), (.object, .object):
            break
        default:
            return eqv(a, b)
        }
        var work: [(Value, Value)] = [(a, b)]
        // After many steps, remember which pairs of containers were already compared: cyclic data
        // (made with set-cdr!) then compares coinductively, as in Racket, instead of looping forever.
        var steps = 0
        var seen = Set<PairKey>()
        func firstVisit(_ x: AnyObject, _ y: AnyObject) -> Bool {
            steps += 1
            if steps < 100_000 { return true }
            return seen.insert(PairKey(ObjectIdentifier(x), ObjectIdentifier(y))).inserted
        }
        while let (x, y) = work.popLast() {
            switch (x, y) {
            case let (.pair(p), .pair(q)):
                if p === q || !firstVisit(p, q) { continue }
                work.append((p.cdr, q.cdr))
                work.append((p.car, q.car))
            case let (.string(s), .string(t)):
                if s !== t && s.scalars != t.scalars { return false }
            case let (.vector(v), .vector(w)):
                if v === w || !firstVisit(v, w) { continue }
                if v.items.count != w.items.count { return false }
                for i in v.items.indices.reversed() { work.append((v.items[i], w.items[i])) }
            case let (.hash(h), .hash(k)):
                if h === k { continue }
                if h.kind != k.kind || h.isMutable != k.isMutable || h.count != k.count { return false }
                for (key, value) in h.storage {
                    guard let other = k.storage[key] else { return false }
                    work.append((value, other))
                }
            case let (.object(o as Box), .object(p as Box)):
                if o === p || !firstVisit(o, p) { continue }
                work.append((o.value, p.value))
            case let (.object(o as SyntaxObject), .object(p as SyntaxObject)):
                // Two wraps are distinct objects (reference §2.2): equal? compares identity.
                if o !== p { return false }
            case let (.object(o as StructInstance), .object(p as StructInstance)):
                if o === p || !firstVisit(o, p) { continue }
                guard o.type === p.type, o.type.isTransparent else { return false }
                for i in o.fields.indices.reversed() { work.append((o.fields[i], p.fields[i])) }
            default:
                if !eqv(x, y) { return false }
            }
        }
        return true
    }
}
