import BigInt

/// A Scheme value.
///
/// Immediates (fixnums, flonums, chars, booleans) are stored inline; heap objects are `final class`
/// payloads (style guide, "A VM in Swift that is fast" §1). Hot heap kinds get their own case so the
/// VM can test them without a dynamic cast; everything rarer lives behind `.object`.
public enum Value: @unchecked Sendable {
    /// The empty list `'()`.
    case null
    /// The result of effects: renders `#<void>`.
    case void
    case bool(Bool)
    /// A fixnum. Arithmetic that would overflow promotes to `.object(BigNum)`.
    case int(Int)
    case double(Double)
    case char(Unicode.Scalar)
    case symbol(Symbol)
    /// A keyword such as `#:key`; the payload is the name without `#:`.
    case keyword(Symbol)
    case string(MString)
    case pair(Pair)
    case vector(SVector)
    case hash(HashTable)
    case closure(Closure)
    case primitive(Primitive)
    /// Everything else: bignums, rationals, syntax objects, exceptions, parameters, boxes, ports, …
    case object(SchemeObject)
    /// Internal sentinel: an unbound global, or an optional argument that was not supplied.
    /// Never visible to Scheme code.
    case missing
}

extension Value {
    @inline(__always) public var isFalse: Bool {
        if case .bool(false) = self { return true }
        return false
    }
    @inline(__always) public var isTrue: Bool { !isFalse }
    @inline(__always) public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
    @inline(__always) var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }
    public static let `true` = Value.bool(true)
    public static let `false` = Value.bool(false)

    /// Builds a Swift string value.
    public static func str(_ s: String) -> Value { .string(MString(s)) }
    /// Builds an interned symbol value.
    public static func sym(_ s: String) -> Value { .symbol(Symbol.intern(s)) }

    /// Builds a proper list from Swift values.
    public static func list(_ items: [Value]) -> Value { list(items[...]) }
    public static func list(_ items: ArraySlice<Value>, tail: Value = .null) -> Value {
        var result = tail
        for v in items.reversed() { result = .pair(Pair(v, result)) }
        return result
    }
    public static func list(_ items: Value...) -> Value { list(items) }

    /// True for every procedure kind (closures, primitives, parameters, continuations, …).
    public var isProcedure: Bool {
        switch self {
        case .closure, .primitive: return true
        case .object(let o): return o is ProcedureObject
        default: return false
        }
    }

    /// An exact integer of any size as a BigInt, if this is one.
    public var exactInteger: BigInt? {
        switch self {
        case .int(let i): return BigInt(i)
        case .object(let o as BigNum): return o.value
        default: return nil
        }
    }

    /// Walks a proper list into an array; nil if the value is not a proper list (improper, or a
    /// cdr chain that loops back on itself — detected with a half-speed second cursor).
    public func listToArray() -> [Value]? {
        var out: [Value] = []
        var cur = self
        var slow = self
        while true {
            switch cur {
            case .null: return out
            case .pair(let p):
                out.append(p.car)
                cur = p.cdr
                if out.count & 1 == 0, case .pair(let s) = slow {
                    slow = s.cdr
                    if case .pair(let a) = cur, case .pair(let b) = slow, a === b { return nil }
                }
            default: return nil
            }
        }
    }
}

/// Base class of heap values that have no case of their own in `Value`.
open class SchemeObject: @unchecked Sendable {
    public init() {}
    /// Racket's name for the kind of value, used in error messages (`vector?`, `syntax?`, …).
    open var typeName: String { "object" }
}

/// Marker for objects that can be applied like procedures (parameters, escape continuations,
/// case-lambda, struct procedures).
open class ProcedureObject: SchemeObject, @unchecked Sendable {
    open var procedureName: String? { nil }
}

/// A mutable cons cell.
///
/// `deinit` releases long chains iteratively: a million-element list (or a 100k-deep nested list
/// from the reader) would otherwise free itself recursively and overflow the Swift stack.
public final class Pair: @unchecked Sendable {
    public var car: Value
    public var cdr: Value
    @inline(__always) public init(_ car: Value, _ cdr: Value) {
        self.car = car
        self.cdr = cdr
    }
    deinit {
        var work: [AnyObject] = []
        DeepRelease.detach(&car, into: &work)
        DeepRelease.detach(&cdr, into: &work)
        if !work.isEmpty { DeepRelease.drain(&work) }
    }
}

/// A mutable vector.
public final class SVector: @unchecked Sendable {
    public var items: [Value]
    public var isMutable: Bool
    public init(_ items: [Value], mutable: Bool = true) {
        self.items = items
        self.isMutable = mutable
    }
    deinit {
        var work: [AnyObject] = []
        for i in items.indices { DeepRelease.detach(&items[i], into: &work) }
        if !work.isEmpty { DeepRelease.drain(&work) }
    }
}

/// Iterative release of deep pair/vector structures (see `Pair.deinit`).
enum DeepRelease {
    /// Moves a uniquely referenced pair or vector out of `slot` into `work`, leaving `.null`.
    @inline(__always)
    static func detach(_ slot: inout Value, into work: inout [AnyObject]) {
        switch slot {
        case .pair, .vector: break
        default: return
        }
        // Move the object out of the slot (no copy), so the local is the only reference when unique;
        // a `switch` over the slot itself would hold a second reference in debug builds.
        var taken = Value.null
        swap(&taken, &slot)
        if case .pair = taken {
            if var p = takePair(consume taken), isKnownUniquelyReferenced(&p) { work.append(p) }
        } else {
            if var v = takeVector(consume taken), isKnownUniquelyReferenced(&v) { work.append(v) }
        }
    }

    /// The pair in `v`, with `v` consumed (so no second reference stays behind, even unoptimised).
    private static func takePair(_ v: consuming Value) -> Pair? {
        if case .pair(let p) = v { return p }
        return nil
    }

    private static func takeVector(_ v: consuming Value) -> SVector? {
        if case .vector(let x) = v { return x }
        return nil
    }

    static func drain(_ work: inout [AnyObject]) {
        while let obj = work.popLast() {
            if let p = obj as? Pair {
                detach(&p.car, into: &work)
                detach(&p.cdr, into: &work)
            } else if let v = obj as? SVector {
                for i in v.items.indices { detach(&v.items[i], into: &work) }
            }
        }
    }
}

/// A box (`box`, `unbox`, `set-box!`), also used by the compiler for captured mutable variables.
public final class Box: SchemeObject, @unchecked Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
    public override var typeName: String { "box" }
}

/// An exact integer too large for a fixnum. Always normalised: a value that fits in `Int`
/// is never stored as a `BigNum` (see `Value.integer(_:)`).
public final class BigNum: SchemeObject, @unchecked Sendable {
    public let value: BigInt
    public init(_ value: BigInt) { self.value = value }
    public override var typeName: String { "exact-integer" }
}

/// An exact non-integer rational in lowest terms with a positive denominator.
public final class Ratnum: SchemeObject, @unchecked Sendable {
    public let numerator: BigInt
    public let denominator: BigInt
    public init(numerator: BigInt, denominator: BigInt) {
        self.numerator = numerator
        self.denominator = denominator
    }
    public override var typeName: String { "rational" }
}

extension Value {
    /// Normalises a BigInt to a fixnum when it fits.
    public static func integer(_ b: BigInt) -> Value {
        if let i = Int(exactly: b) { return .int(i) }
        return .object(BigNum(b))
    }
}

/// The unique end-of-file object.
public final class EofObject: SchemeObject, @unchecked Sendable {
    public static let shared = EofObject()
    public override var typeName: String { "eof-object" }
}

/// Several values returned by `values` (anything but exactly one).
public final class MultipleValues: SchemeObject, @unchecked Sendable {
    public let values: [Value]
    public init(_ values: [Value]) { self.values = values }
    public override var typeName: String { "values" }
}

/// An opaque wrapper around model output (reference §2.2): not a string until `syntax-e`.
public final class SyntaxObject: SchemeObject, @unchecked Sendable {
    public let datum: Value
    public init(_ datum: Value) { self.datum = datum }
    public override var typeName: String { "syntax" }
}
