/// Arguments of a variadic primitive: a read-only view of the VM stack slots.
///
/// Valid only for the duration of the primitive call; never store it.
public struct Arguments {
    @usableFromInline let base: UnsafePointer<Value>
    public let count: Int

    init(base: UnsafePointer<Value>, count: Int) {
        self.base = base
        self.count = count
    }
    @inline(__always) public subscript(i: Int) -> Value { base[i] }
    /// The arguments from index `from` on, copied.
    public func array(from: Int = 0) -> [Value] {
        from >= count ? [] : Array(UnsafeBufferPointer(start: base + from, count: count - from))
    }
    /// Argument `i` if it was passed, else nil.
    public func optional(_ i: Int) -> Value? { i < count ? base[i] : nil }
    public var isEmpty: Bool { count == 0 }

    /// Runs `body` with an `Arguments` view over a Swift array (for calls made from Swift code).
    public static func with<R>(_ values: [Value], _ body: (Arguments) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { buf in
            try body(Arguments(base: buf.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: buf.count))
        }
    }
}

/// Keyword arguments given to a keyword-accepting primitive, by keyword name (without `#:`).
public typealias KeywordArguments = [Symbol: Value]

/// The Swift implementation of a primitive, specialised by arity so fixed-arity calls build no
/// argument array (style guide §6 "Primitive arity").
public enum PrimitiveBody {
    case fixed0(() throws -> Value)
    case fixed1((Value) throws -> Value)
    case fixed2((Value, Value) throws -> Value)
    case fixed3((Value, Value, Value) throws -> Value)
    /// Any count within the primitive's arity range.
    case variadic((Arguments) throws -> Value)
    /// Accepts keyword arguments; only the listed keywords are allowed.
    case keywords((Arguments, KeywordArguments) throws -> Value)
    /// Handled inside the VM loop because it manipulates the continuation.
    case special(SpecialPrimitive)
}

/// Primitives the VM implements itself (they call procedures or unwind the stack).
public enum SpecialPrimitive: Sendable {
    case apply
    case callWithEscape          // call/ec
    case callWithHandlers        // (%call-with-handlers handlers thunk)
    case callWithParameterization // (%call-with-parameterization params values thunk)
    case raise
    case finish
    case finishError
    case callWithValues
    /// `(%receive-values n producer consumer)`: like call-with-values, but exactly n values.
    case receiveValues
    case keywordApply
    /// `(%await-settled pending)`: suspends the fiber until `pending` settles, then returns it.
    case awaitSettled
    /// `(%await-any-settled (pending …))`: suspends until one settles; returns its index.
    case awaitAnySettled
    /// `(%sort list less? keyed? wrapped-less?)`: `sort`'s merge sort (Interpreter+Sort.swift).
    case sort
}

/// A built-in procedure.
public final class Primitive: @unchecked Sendable {
    public let name: String
    public let minArgs: Int
    /// nil = no upper bound.
    public let maxArgs: Int?
    public let body: PrimitiveBody
    /// Allowed keywords for `.keywords` bodies (sorted by name), required ones flagged.
    public let keywordNames: Set<Symbol>
    public let requiredKeywords: Set<Symbol>
    /// Set when the compiler may replace a call by an instruction (`car`, `+`, …).
    var inlineOp: InlineOp?

    public init(name: String, minArgs: Int, maxArgs: Int?, body: PrimitiveBody,
                keywords: Set<Symbol> = [], requiredKeywords: Set<Symbol> = []) {
        self.name = name
        self.minArgs = minArgs
        self.maxArgs = maxArgs
        self.body = body
        self.keywordNames = keywords
        self.requiredKeywords = requiredKeywords
    }

    /// Racket's arity description for error messages: `1`, `1 to 3`, `at least 2`.
    public var arityDescription: String {
        if let maxArgs {
            return minArgs == maxArgs ? "\(minArgs)" : "\(minArgs) to \(maxArgs)"
        }
        return "at least \(minArgs)"
    }
}

/// Instructions a primitive call can be compiled to (the compiler checks the callee still is the
/// built-in primitive at compile time, as Racket's top level does).
enum InlineOp: Sendable {
    case add, sub, mul, numEq, lt, gt, le, ge
    case car, cdr, cons, isNull, isPair, not, eq, isZero, add1, sub1
}

/// A Scheme parameter (`make-parameter`): a procedure whose value is dynamically scoped.
public final class Parameter: ProcedureObject, @unchecked Sendable {
    /// The value outside every `parameterize` of this parameter.
    public var globalValue: Value
    public let guardProc: Value?
    public let name: String?
    public init(_ value: Value, guard guardProc: Value? = nil, name: String? = nil) {
        self.globalValue = value
        self.guardProc = guardProc
        self.name = name
    }
    public override var typeName: String { "parameter" }
    public override var procedureName: String? { "parameter-procedure" }
}

/// One `parameterize` binding. The value is mutable because `(p v)` inside the scope updates it
/// (the token budget relies on this, reference §2.6).
final class ParameterBinding {
    let parameter: Parameter
    var value: Value
    init(_ parameter: Parameter, _ value: Value) {
        self.parameter = parameter
        self.value = value
    }
}

/// A procedure made of several closures, chosen by argument count (`case-lambda`).
public final class CaseLambda: ProcedureObject, @unchecked Sendable {
    let clauses: [Closure]
    let name: String?
    init(clauses: [Closure], name: String?) {
        self.clauses = clauses
        self.name = name
    }
    public override var typeName: String { "procedure" }
    public override var procedureName: String? { name }
}

/// An escape continuation from `call/ec` / `let/ec`: valid while its frame is live on the
/// stack of the fiber that created it.
public final class EscapeContinuation: ProcedureObject, @unchecked Sendable {
    let markerID: Int
    weak var fiber: Fiber?
    /// Where the `call/ec` call's result goes, and the handler/parameter depths to restore.
    let stackBase: Int
    let handlerDepth: Int
    let parameterDepth: Int
    init(markerID: Int, fiber: Fiber, stackBase: Int, handlerDepth: Int, parameterDepth: Int) {
        self.markerID = markerID
        self.fiber = fiber
        self.stackBase = stackBase
        self.handlerDepth = handlerDepth
        self.parameterDepth = parameterDepth
    }
    public override var typeName: String { "continuation" }
    public override var procedureName: String? { "escape-continuation" }
}

extension Primitive {
    /// Calls the primitive from Swift with an array of arguments (tests and tools; the VM calls
    /// primitives on its stack). Special primitives exist only inside the VM.
    func call(_ args: [Value], keywords: KeywordArguments = [:]) throws -> Value {
        switch body {
        case .fixed0(let f): return try f()
        case .fixed1(let f): return try f(args[0])
        case .fixed2(let f): return try f(args[0], args[1])
        case .fixed3(let f): return try f(args[0], args[1], args[2])
        case .variadic(let f): return try Arguments.with(args) { try f($0) }
        case .keywords(let f): return try Arguments.with(args) { try f($0, keywords) }
        case .special: throw SchemeError(.internal, "\(name) is handled by the VM")
        }
    }
}
