/// A position in Scheme source text (1-based line and column).
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var source: String?
    public init(line: Int, column: Int, source: String? = nil) {
        self.line = line
        self.column = column
        self.source = source
    }
    public var description: String {
        "\(source ?? "string"):\(line):\(column)"
    }
}

/// Every error the sandbox reports: reader, compiler, runtime, limits and protocol.
///
/// `code` says what kind of failure it is (a struct over a private enum, so adding codes never
/// breaks callers); `message` is the text a person reads, in Racket's wording where users match on
/// it (reference §4.10). Build errors with the static factories, never ad hoc.
public struct SchemeError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case read, syntax, contract, arity, divideByZero, unbound, user, userError, raised
            case fuel, time, memory, output, depth, recursion, expansion
            case protected, llm, python, io, finishError, budget, `internal`
            case interrupted
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        public static let read = Code(.read)
        public static let syntax = Code(.syntax)
        public static let contract = Code(.contract)
        public static let arity = Code(.arity)
        public static let divideByZero = Code(.divideByZero)
        public static let unbound = Code(.unbound)
        /// `(error …)` called by Scheme code (Racket's plain `exn:fail`).
        public static let user = Code(.user)
        /// `(raise-user-error …)`: `exn:fail:user`.
        public static let userError = Code(.userError)
        /// `(raise v)` of a value that is not an `exn`.
        public static let raised = Code(.raised)
        public static let fuelExhausted = Code(.fuel)
        public static let timeLimit = Code(.time)
        public static let memoryLimit = Code(.memory)
        public static let outputLimit = Code(.output)
        public static let depthLimit = Code(.depth)
        public static let recursionLimit = Code(.recursion)
        /// Macro expansion took more steps or made more code than `Limits.expansionSteps`/`expansionSize`.
        public static let expansionLimit = Code(.expansion)
        public static let protectedBinding = Code(.protected)
        public static let llm = Code(.llm)
        public static let python = Code(.python)
        public static let io = Code(.io)
        /// `(finish-error msg)`: the command ends with an error result.
        public static let finishError = Code(.finishError)
        /// A `token-budget` or `cost-budget` would be or was overdrawn (Racket's plain `exn:fail`,
        /// catchable); hosts recognise budget failures by this code, not by the message.
        public static let budgetExceeded = Code(.budget)
        public static let `internal` = Code(.internal)
        /// The host interrupted the evaluation (`SandboxSession.interrupt()`, Ctrl-C in `run`).
        public static let interrupted = Code(.interrupted)

        /// Limit errors end the evaluation: `try`/`with-handlers` cannot catch them, so a loop
        /// that swallows errors still stops.
        public var isLimit: Bool {
            switch kind {
            case .fuel, .time, .memory, .output, .depth, .recursion, .expansion, .interrupted: return true
            default: return false
            }
        }
        /// Racket's exception struct name for this code (`exn:fail:contract`, …).
        public var exnKind: String {
            switch kind {
            case .read: return "exn:fail:read"
            case .syntax, .protected: return "exn:fail:syntax"
            case .contract: return "exn:fail:contract"
            case .arity: return "exn:fail:contract:arity"
            case .divideByZero: return "exn:fail:contract:divide-by-zero"
            case .unbound: return "exn:fail:contract:variable"
            case .userError: return "exn:fail:user"
            case .llm: return "exn:fail:llm"
            case .python: return "exn:fail:python"
            case .io: return "exn:fail:filesystem"
            case .fuel, .time, .memory, .output, .depth, .recursion, .expansion: return "exn:fail:resource"
            case .interrupted: return "exn:break"
            default: return "exn:fail"
            }
        }
        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var message: String
    public var irritants: [Value]
    public var position: SourcePosition?
    /// For `.raised`: the raised value. For exceptions re-raised from Scheme: the exn object.
    public var payload: Value?
    /// Scheme call sites, innermost first, filled in while unwinding.
    public var trace: [SourcePosition]

    public init(_ code: Code, _ message: String, irritants: [Value] = [], position: SourcePosition? = nil,
                payload: Value? = nil) {
        self.code = code
        self.message = message
        self.irritants = irritants
        self.position = position
        self.payload = payload
        self.trace = []
    }

    public var description: String { message }

    /// The message with its source position, for CLI output: `string:3:7: car: contract violation …`.
    public var messageWithPosition: String {
        if let position, !message.hasPrefix(position.description) { return "\(position): \(message)" }
        return message
    }
}

// MARK: - Factories (Racket's wording, reference §4.10)

extension SchemeError {
    /// `<who>: contract violation\n  expected: <pred>\n  given: <v>`.
    public static func contract(_ who: String, expected: String, given: Value) -> SchemeError {
        SchemeError(.contract, "\(who): contract violation\n  expected: \(expected)\n  given: \(Printer.print(given, limit: 200))",
                    irritants: [given])
    }
    /// A contract violation naming the argument position, for multi-argument primitives.
    public static func contract(_ who: String, expected: String, given: Value, argument: Int, of args: [Value]) -> SchemeError {
        var msg = "\(who): contract violation\n  expected: \(expected)\n  given: \(Printer.print(given, limit: 200))"
        if args.count > 1 {
            msg += "\n  argument position: \(ordinal(argument + 1))"
        }
        return SchemeError(.contract, msg, irritants: [given])
    }
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (1, let h) where h != 11: suffix = "st"
        case (2, let h) where h != 12: suffix = "nd"
        case (3, let h) where h != 13: suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
    /// Wrong number of arguments. `name` nil for anonymous procedures.
    public static func arity(_ name: String?, expected: String, given: Int) -> SchemeError {
        let prefix = name.map { "\($0): " } ?? ""
        return SchemeError(.arity, "\(prefix)arity mismatch;\n the expected number of arguments does not match the given number\n  expected: \(expected)\n  given: \(given)")
    }
    public static func unbound(_ name: String) -> SchemeError {
        SchemeError(.unbound, "\(name): undefined;\n cannot reference an identifier before its definition\n  in module: 'program")
    }
    public static func divideByZero(_ who: String) -> SchemeError {
        SchemeError(.divideByZero, "\(who): division by zero")
    }
    public static func syntax(_ message: String, at position: SourcePosition? = nil) -> SchemeError {
        SchemeError(.syntax, message, position: position)
    }
    public static func read(_ message: String, at position: SourcePosition) -> SchemeError {
        SchemeError(.read, "\(position): read: \(message)", position: position)
    }
    /// `<who>: index is out of range` (Racket's message shape).
    public static func range(_ who: String, index: Value, valid: String, for value: Value) -> SchemeError {
        SchemeError(.contract, "\(who): index is out of range\n  index: \(Printer.print(index, limit: 60))\n  valid range: \(valid)\n  \(value.racketTypeLabel): \(Printer.print(value, limit: 200))")
    }
    /// A general failure with Racket's `who: message` shape.
    public static func fail(_ who: String, _ message: String) -> SchemeError {
        SchemeError(.user, "\(who): \(message)")
    }
}

extension Value {
    /// The label Racket uses in range errors (`list`, `vector`, `string`).
    var racketTypeLabel: String {
        switch self {
        case .pair, .null: return "list"
        case .vector: return "vector"
        case .string: return "string"
        default: return "value"
        }
    }
}

/// A raised exception value (`exn:fail` and its subtypes), as Scheme code sees it.
public final class ExnObject: SchemeObject, @unchecked Sendable {
    /// Racket struct name, e.g. `exn:fail:contract:divide-by-zero`.
    public let kind: String
    public let message: String
    /// The original Swift error, kept so an uncaught exn reports its code and position.
    public let error: SchemeError?
    /// Extra fields for `exn:llm` (status code etc.).
    public var fields: [String: Value]

    public init(kind: String, message: String, error: SchemeError? = nil, fields: [String: Value] = [:]) {
        self.kind = kind
        self.message = message
        self.error = error
        self.fields = fields
    }
    public override var typeName: String { kind }

    /// True when this exception is `kind` or a subtype (`exn:fail:contract` is an `exn:fail`).
    public func isA(_ kind: String) -> Bool {
        self.kind == kind || self.kind.hasPrefix(kind + ":")
    }
}
