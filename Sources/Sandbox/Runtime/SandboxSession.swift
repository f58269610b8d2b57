/// The outcome of evaluating one program (one `eval` command, reference §4.1).
public struct EvalResult: Sendable {
    public enum Status: String, Sendable { case ok, finished, error }
    public var status: Status
    /// `finish`'s value rendered with display semantics; "" unless finished.
    public var result: String
    /// What the program printed (dropped on error, as the original does).
    public var stdout: String
    /// Set when status is `.error`.
    public var error: SchemeError?
    /// `finish`'s value itself.
    public var value: Value?
}

/// One audit-trail entry (reference §4.4).
public struct ScopeLogEntry: Sendable, Equatable {
    public var op: String
    public var datumPreview: String
    public var scope: String
}

/// A sandbox: a Scheme environment whose state persists across evaluations until `reset`.
///
/// All evaluation happens on the session's own VM thread (large stack, one thread of Scheme);
/// the methods here block the caller until that thread answers.
public final class SandboxSession: @unchecked Sendable {
    public init(limits: Limits = Limits(), seed: UInt64? = nil) {}

    /// Evaluates a whole program under the sandbox rules: definitions, `finish`, limits.
    public func eval(_ code: String, sourceName: String? = nil) -> EvalResult {
        EvalResult(status: .error, result: "", stdout: "", error: SchemeError(.internal, "not ready"), value: nil)
    }
    /// Evaluates one datum as an expression and returns its value (test driver, REPL).
    public func evaluate(datum: Value) throws -> Value { .void }
    /// Loads data into `context` (and `context-store` under `name`); returns the confirmation text.
    public func loadContext(_ data: String, name: String? = nil) -> String { "context loaded" }
    /// The audit trail since the last reset.
    public var scopeLog: [ScopeLogEntry] { [] }
    /// Names the user defined at top level (reference §4.5 "User variables").
    public func userVariables() -> [String] { [] }
    /// Forgets every user definition, the context and the scope log.
    public func reset() {}
}
