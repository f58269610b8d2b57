/// What a runtime needs from the evaluator that owns it.
protocol RuntimeHost: AnyObject {
    /// The value of `parameter` in the running fiber's parameterization.
    func parameterValue(_ parameter: Parameter) -> Value
    /// Compiles a datum as a top-level form into a thunk (`eval`, `unsafe-exec-sub-output`).
    func compileTopLevel(_ datum: Value) throws -> Value
    /// Compiles one prelude `(define (name …) …)` against the built-in bindings into the
    /// procedure it defines, without running anything (prelude procedures compiled on first use).
    func compileProcedureDefinition(_ source: String) throws -> Value
}

/// The state of one sandbox session that primitives and the VM share: globals, output,
/// limits, randomness and resource accounting.
///
/// Everything here is touched only from the session's VM thread.
public final class Runtime: @unchecked Sendable {
    var globals: [Symbol: GlobalCell] = [:]
    /// The built-in bindings the Scheme preludes are compiled against, apart from the user's
    /// (see `LazyPrelude.swift`): user redefinitions of core names cannot reach library code.
    let system = SystemNamespace()
    /// Macros and special forms visible at top level (the compiler's global syntactic environment).
    var syntaxBindings: [Symbol: SyntaxBinding] = [:]
    public var limits: Limits
    /// Where `display` & co. write when no port is given: the evaluation's captured stdout.
    var currentOutput: OutputPort
    /// Diagnostic output (`eprintf`): captured and discarded, as in the original (reference §2.8).
    var currentError: OutputPort
    var random: RandomState
    /// `current-output-port` / `current-error-port` as parameters (so `parameterize` and
    /// `with-output-to-string` redirect output); their global values are the two ports above.
    let outputParameter: Parameter
    let errorParameter: Parameter
    /// The evaluator that owns this runtime: parameter lookups in the running fiber and the
    /// compiler (weak: the evaluator owns the runtime).
    weak var host: (any RuntimeHost)?
    /// Fuel charged by primitives since the VM last looked (folded in at its next check).
    var pendingFuel: Int = 0
    /// Fuel left in the current evaluation.
    var fuelRemaining: Int = 0
    /// When the current evaluation must stop (see `checkLimits()` in Limits.swift).
    var deadlines = EvaluationDeadlines()
    /// Heap in use (bytes) when the session started, the base of the memory limit.
    var memoryBaseline: Int = 0
    /// Bytes primitives announced they are about to allocate since the last measurement.
    var reservedSinceCheck: Int = 0
    var lastMeasuredHeap: Int = 0
    /// Prelude procedures not compiled yet, by name (see `LazyPrelude.swift`).
    var lazyDefinitions: [Symbol: String] = [:]
    var lazyFailures: [String: String] = [:]
    /// Field names of each struct type by name, for `struct-copy`.
    var structFields: [String: [String]] = [:]
    /// The audit trail (reference §4.4), cleared only by `reset`.
    var scopeLog: [ScopeLogEntry] = []
    /// `context-store`: named contexts (an `equal?` hash, name → data).
    let contextStore = HashTable(kind: .equal, mutable: true)
    /// The workspace store behind `checkpoint`/`restore`, owned by the session so it outlives `reset`.
    var store: Store?
    /// The host's interrupt request, shared with the session (and its child sandboxes).
    var interrupt = InterruptSignal()

    // MARK: Orchestration (see Runtime+Models.swift)

    /// The fiber the VM is running (parameter lookups, who owns a new model call).
    var currentFiber: Fiber?
    /// Model calls, their fibers and budgets, and `#:recursive` children (ModelOrchestration.swift).
    let models = ModelOrchestration()

    /// Appends an audit entry; the preview is the display rendering cut to 80 code points.
    func log(_ op: String, _ preview: String, scope: String = "sandbox") {
        scopeLog.append(ScopeLogEntry(op: op, datumPreview: String(preview.unicodeScalars.prefix(80).map(Character.init)), scope: scope))
    }

    init(limits: Limits, seed: UInt64? = nil) {
        self.limits = limits
        self.currentOutput = OutputPort(limit: limits.outputBytes)
        self.currentError = OutputPort(limit: limits.outputBytes)
        self.random = RandomState(seed: seed)
        self.outputParameter = Parameter(.object(currentOutput), name: "current-output-port")
        self.errorParameter = Parameter(.object(currentError), name: "current-error-port")
        // Measured again once the preludes are loaded (`Evaluator.init`); this one serves a runtime
        // used without an evaluator.
        self.memoryBaseline = MemoryProbe.heapInUse()
        self.lastMeasuredHeap = memoryBaseline
    }

    /// The current value of a parameter in the running fiber.
    func parameterValue(_ p: Parameter) -> Value {
        host?.parameterValue(p) ?? p.globalValue
    }

    /// The port `display` writes to when none is given.
    func currentOutputPort() -> OutputPort {
        if case .object(let port as OutputPort) = parameterValue(outputParameter) { return port }
        return currentOutput
    }

    // MARK: Globals

    /// The cell for `name`, created unbound if it does not exist yet.
    func cell(_ name: Symbol) -> GlobalCell {
        if let c = globals[name] { return c }
        let c = GlobalCell(name: name)
        globals[name] = c
        return c
    }

    func defineBuiltin(_ name: String, _ value: Value) {
        let c = cell(Symbol.intern(name))
        c.value = value
        c.isBuiltin = true
        if system.isSealed {
            let s = systemCell(c.name)
            s.value = value
            s.isBuiltin = true
        }
    }

    /// The value of a global, nil when unbound.
    public func global(_ name: String) -> Value? {
        guard let c = globals[Symbol.intern(name)] else { return nil }
        if c.value.isMissing && !loadLazyDefinition(c) { return nil }
        return c.value
    }

    /// Marks names as protected scaffold bindings (reference §4.2).
    func protect(_ names: [String]) {
        for n in names { cell(Symbol.intern(n)).isProtected = true }
    }

    // MARK: Resource accounting

    /// Charges `steps` of fuel for work done inside a primitive (long loops, big copies); every
    /// `checkInterval` steps it also checks time and memory (`checkLimits()`, Limits.swift).
    @inline(__always)
    func charge(_ steps: Int) throws {
        pendingFuel &+= steps
        if pendingFuel > fuelRemaining || pendingFuel >= Runtime.checkInterval {
            try checkLimits()
        }
    }

    /// Announces an allocation of about `bytes`; throws if it would pass the memory limit.
    func reserve(bytes: Int) throws {
        guard limits.memoryBytes != .max else { return }
        reservedSinceCheck = reservedSinceCheck.addingReportingOverflow(max(bytes, 0)).overflow ? .max : reservedSinceCheck + max(bytes, 0)
        if bytes > limits.memoryBytes || lastMeasuredHeap - memoryBaseline > limits.memoryBytes - min(reservedSinceCheck, limits.memoryBytes) {
            try checkMemory(extra: bytes)
        }
    }

    /// Measures the heap and throws when it is above the limit (plus `extra` about to be allocated).
    func checkMemory(extra: Int = 0) throws {
        guard limits.memoryBytes != .max else { return }
        // A periodic check (no `extra`) may pass on a recent reading: measuring walks malloc's
        // free lists (perf: 26% of the strings benchmark when measured at every check).
        let recent = extra > 0 ? (MemoryProbe.heapInUse(), true) : MemoryProbe.recentHeapInUse()
        var used = recent.0 - memoryBaseline
        if recent.1 { lastMeasuredHeap = recent.0; reservedSinceCheck = 0 }
        if !recent.1 && used > limits.memoryBytes {
            lastMeasuredHeap = MemoryProbe.heapInUse()
            reservedSinceCheck = 0
            used = lastMeasuredHeap - memoryBaseline
        }
        if extra > limits.memoryBytes || used > limits.memoryBytes - max(extra, 0) {
            throw SchemeError(.memoryLimit, "out of memory: the evaluation needs more than \(limits.memoryBytes >> 20) MiB (limit memory; in use \(max(used, 0) >> 20) MiB, requested \(extra >> 20) MiB more)")
        }
    }
}

/// A seedable pseudo-random generator (SplitMix64), so `random` is reproducible under a seed
/// (also the simulator's generator: the same draws on every machine).
package struct RandomState {
    private var state: UInt64
    package init(seed: UInt64?) {
        state = seed ?? UInt64.random(in: .min ... .max)
    }
    mutating func reseed(_ seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    package mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    /// Uniform in [0, n), n > 0.
    mutating func next(below n: UInt64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % n
        while true {
            let x = next()
            if x < limit { return x % n }
        }
    }
}
