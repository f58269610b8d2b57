import Foundation

/// The outcome of evaluating one program (one `eval` command, reference §4.1).
public struct EvalResult: Sendable {
    public enum Status: String, Sendable { case ok, finished, error }
    public var status: Status
    /// `finish`'s value rendered with display semantics; "" unless finished.
    public var result: String
    /// What the program printed, also when an error followed (the sandbox-server protocol drops it
    /// on error, as the original does; `eval` and `run` show it).
    public var stdout: String
    /// Set when status is `.error`.
    public var error: SchemeError?
    /// `finish`'s value itself; for status `ok`, the value of the last form (nil when none).
    public var value: Value?

    /// The REPL rendering of `value` (Racket's print style), nil for void or no value.
    public var printedValue: String? {
        guard let value else { return nil }
        if case .void = value { return nil }
        return Printer.print(value)
    }
}

/// One audit-trail entry (reference §4.4).
public struct ScopeLogEntry: Sendable, Equatable {
    public var op: String
    public var datumPreview: String
    public var scope: String
}

/// A sandbox: a Scheme environment whose state persists across evaluations until `reset`.
///
/// All evaluation happens on the session's own VM thread (large stack, one thread of Scheme).
/// `evaluate` awaits it without blocking the caller; `eval` and the other methods block until
/// that thread answers. `interrupt`, `cancelCall`, `events` and `activeCalls` may be called from
/// any thread while an evaluation runs (see `SandboxSession+Host.swift`).
public final class SandboxSession: @unchecked Sendable {
    let thread = VMThread()
    private(set) var evaluator: Evaluator!
    /// The host's interrupt request, shared by every evaluator of this session (resets too).
    let interruption = InterruptSignal()
    public let limits: Limits
    private let seed: UInt64?
    /// The workspace store (checkpoints), kept across `reset`; opened on first use.
    private let store: Store
    /// Where model calls go (shared by resets and child sandboxes); nil = none configured.
    public let gateway: ModelGateway?
    /// Callback mode: the host owns model calls (reference §4.8); nil = native calls.
    private let callbacks: CallbackChannel?
    /// What Python may touch (`.copyOnWrite` in simulations).
    public let pythonReach: PythonReach
    /// The copy-on-write scratch area and change record; nil for `.full`.
    private let pythonDryRun: PythonDryRunArea?

    /// - Parameter storePath: the store's database file; nil means `$RLM_STORE`, else
    ///   `.rlm/state.sqlite`, relative to the current directory.
    /// - Parameter gateway: where model calls go; nil means none (calls raise a clear error).
    /// - Parameter callbacks: callback mode: model calls, checkpoints and heartbeats go to the host
    ///   over this channel instead (`installCallbackMode`).
    /// - Parameter pythonReach: what the Python worker may touch; `.copyOnWrite` keeps every file
    ///   change in a scratch copy (discarded with the session) and records it in `pythonChanges`.
    public init(limits: Limits = Limits(), seed: UInt64? = nil, storePath: String? = nil, gateway: ModelGateway? = nil,
                callbacks: CallbackChannel? = nil, pythonReach: PythonReach = .full) {
        self.limits = limits
        self.seed = seed
        let store = Store(path: Store.resolvePath(storePath))
        self.store = store
        self.gateway = gateway
        self.callbacks = callbacks
        self.pythonReach = pythonReach
        let dryRun = pythonReach.mode == .copyOnWrite ? PythonDryRunArea(workingFolder: pythonReach.resolvedWorkingFolder) : nil
        self.pythonDryRun = dryRun
        gateway?.store = store
        let interruption = self.interruption
        evaluator = thread.sync { SandboxSession.makeEvaluator(limits, seed, store, gateway, callbacks, interruption, (pythonReach, dryRun)) }
    }

    deinit {
        let e = evaluator
        evaluator = nil
        thread.sync { e?.runtime.shutdownPython(); e?.retire() }
        thread.stop()
    }

    private static func makeEvaluator(_ limits: Limits, _ seed: UInt64?, _ store: Store, _ gateway: ModelGateway?,
                                      _ callbacks: CallbackChannel?, _ interruption: InterruptSignal,
                                      _ python: (PythonReach, PythonDryRunArea?)) -> Evaluator {
        do {
            let e = try Evaluator(limits: limits, seed: seed)
            e.runtime.interrupt = interruption
            e.runtime.configurePython(reach: python.0, area: python.1)
            e.runtime.store = store
            e.runtime.models.gateway = gateway
            if let callbacks { try e.installCallbackMode(callbacks) }
            return e
        } catch {
            // The preludes are part of the binary; failing to load them is a build defect.
            preconditionFailure("sandbox start-up failed: \(error)")
        }
    }

    /// Evaluates a whole program under the sandbox rules: definitions, `finish`, limits.
    /// Blocks the caller; `evaluate` is the same without blocking, with the evaluation's usage.
    public func eval(_ code: String, sourceName: String? = nil) -> EvalResult {
        let e = evaluator!
        let interruption = self.interruption
        interruption.evaluationQueued()
        return thread.sync {
            defer { interruption.evaluationEnded() }
            return e.evalProgram(code, sourceName: sourceName)
        }
    }

    /// Evaluates one datum as an expression and returns its value (test driver, REPL).
    public func evaluate(datum: Value) throws -> Value {
        let e = evaluator!
        let r: Result<Value, SchemeError> = thread.sync {
            do { return .success(try e.evaluate(datum: datum)) }
            catch let err as SchemeError { return .failure(err) }
            catch { return .failure(SchemeError(.internal, "\(error)")) }
        }
        return try r.get()
    }

    /// Loads data into `context` (and `context-store` under `name`); returns the confirmation text.
    public func loadContext(_ data: String, name: String? = nil) -> String {
        let e = evaluator!
        return thread.sync { e.runtime.loadContext(data, name: name) }
    }

    /// The audit trail since the last reset.
    public var scopeLog: [ScopeLogEntry] {
        let e = evaluator!
        return thread.sync { e.runtime.scopeLog }
    }

    /// Names the user defined at top level (reference §4.5 "User variables").
    public func userVariables() -> [String] {
        let e = evaluator!
        return thread.sync { e.userVariables() }
    }

    /// The checkpoint keys in the store, sorted (for `get_sandbox_state`, reference §4.5).
    ///
    /// Empty when the store does not exist yet (it is not created just to be listed) or cannot
    /// be read, as the original lists an absent checkpoint directory as empty.
    public func checkpointNames() -> [String] {
        let store = self.store
        return thread.sync {
            if !store.isOpen && !FileManager.default.fileExists(atPath: store.path) { return [] }
            return (try? store.keys()) ?? []
        }
    }

    /// The store's database file (absolute).
    public var storePath: String { store.path }

    /// Forgets every user definition, the context and the scope log; checkpoints stay (§2.7).
    public func reset() {
        let limits = self.limits, seed = self.seed, store = self.store, gateway = self.gateway, callbacks = self.callbacks
        let interruption = self.interruption
        let python = (pythonReach, pythonDryRun)
        let fresh = thread.sync { SandboxSession.makeEvaluator(limits, seed, store, gateway, callbacks, interruption, python) }
        let old = evaluator
        evaluator = fresh
        thread.sync { old?.runtime.shutdownPython(); old?.retire() }
    }

    /// Cumulative model-call usage of this session (across resets).
    public var usage: UsageTotals {
        guard let gateway else { return UsageTotals() }
        return thread.sync { gateway.usage }
    }

    /// Seconds calls were held back by rate limits, summed over calls.
    public var rateLimitWaitSeconds: Double {
        guard let gateway else { return 0 }
        return thread.sync { gateway.rateLimitWaitSeconds }
    }

    /// Every model call's record so far, in completion order.
    public var callRecords: [CallRecord] {
        guard let gateway else { return [] }
        return thread.sync { gateway.records }
    }

    /// Forgets the calls journaled under `journal` (a fresh `rlm-plan run` without `--resume`).
    public func clearJournal(_ journal: String) {
        let store = self.store
        thread.sync { try? store.clearJournal(journal) }
    }

    /// The current runtime (tests check that retired ones are freed).
    var runtimeForTesting: Runtime? {
        let e = evaluator
        return thread.sync { e?.runtime }
    }

    /// Whether the Python worker is alive (`inspect-state`'s `python_available`); it starts on
    /// the first Python call, so this is false until then.
    public var pythonAvailable: Bool {
        let e = evaluator!
        return thread.sync { e.runtime.pythonAvailable }
    }

    /// The file changes the Python code would have made, in order (copy-on-write sessions; empty
    /// for `.full`). They are in the scratch copy only, which is deleted when the session ends.
    public var pythonChanges: [PythonFileChange] {
        pythonDryRun?.changes ?? []
    }

    /// The Python worker's process id while it runs (tests kill it to simulate a crash).
    var pythonProcessIdentifier: Int32? {
        let e = evaluator!
        return thread.sync { e.runtime.pythonProcessIdentifier }
    }
}
