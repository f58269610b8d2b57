/// Resource limits of one evaluation (one `eval` command), each reported as a clear error.
public struct Limits: Sendable, Equatable {
    /// VM steps (calls and branches, plus work done inside long primitives). Deterministic.
    public var fuel: Int = 2_000_000_000
    /// Seconds the VM may spend computing; time waiting on model calls or Python is not counted.
    public var cpuSeconds: Double = 8
    /// Seconds one evaluation may take in all, waiting included.
    public var wallSeconds: Double = 300
    /// Heap growth allowed above the level at session start.
    public var memoryBytes: Int = 256 << 20
    /// Bytes a single evaluation may print to its captured stdout.
    public var outputBytes: Int = 4 << 20
    /// Nesting depth of data the printer will render (and of code the compiler accepts).
    public var printDepth: Int = 10_000
    /// Non-tail call depth (Scheme frames, which live on the heap, not the Swift stack).
    public var maxCallDepth: Int = 10_000_000
    /// Macro expansions (uses of `syntax-rules` macros) one evaluation may perform.
    public var expansionSteps: Int = 100_000
    /// Pairs of code macro templates may produce in one evaluation (a macro that doubles its
    /// input grows past any memory in a few dozen steps).
    public var expansionSize: Int = 500_000
    /// Seconds one Python bridge call (`py-exec` & co.) may take; on expiry the worker is killed
    /// and restarted on the next call. Waiting on Python is not charged to `cpuSeconds`.
    public var pythonSeconds: Double = 30

    public init() {}

    /// Unlimited except for the nesting depths (which protect the Swift stack).
    public static var unlimited: Limits {
        var l = Limits()
        l.fuel = .max
        l.cpuSeconds = .infinity
        l.wallSeconds = .infinity
        l.memoryBytes = .max
        l.outputBytes = .max
        l.pythonSeconds = .infinity
        l.expansionSteps = .max
        l.expansionSize = .max
        return l
    }
}

/// When the current evaluation must stop: compute time (thread CPU) and elapsed time.
struct EvaluationDeadlines {
    /// Thread CPU seconds (`MemoryProbe.threadCPUSeconds`) after which the evaluation stops.
    var cpu = Double.infinity
    /// Monotonic seconds after which the evaluation stops (host waits excluded).
    var wall = Double.infinity
    /// A limit hit where no error could be thrown (inside the printer or number formatting);
    /// the next check throws it, and keeps throwing it until the evaluation ends.
    var deferredError: SchemeError?
}

/// The one place every phase answers to the limits.
///
/// Reading, expanding, compiling, running bytecode, long primitives (big-number arithmetic,
/// number formatting, string building) and printing all call `checkLimits()` — directly or through
/// `burn(_:)` every `Runtime.checkInterval` steps — so a limit (or a host's interrupt, checked
/// here too) stops an evaluation in whatever phase it is.
extension Runtime {
    /// Steps of work between two checks of the clocks and the heap outside the VM loop (the VM
    /// checks every `Interpreter.fuelChunk` steps).
    static let checkInterval = 20_000

    /// Folds pending fuel in and throws when fuel, compute time, elapsed time or memory is over its limit.
    func checkLimits() throws {
        // A host's interrupt (`SandboxSession.interrupt()`) stops every phase here, like a limit.
        try interrupt.check()
        if let e = deadlines.deferredError { throw e }
        if pendingFuel > 0 {
            fuelRemaining -= pendingFuel
            pendingFuel = 0
        }
        if fuelRemaining <= 0 {
            throw SchemeError(.fuelExhausted, "out of fuel: the evaluation took more than \(limits.fuel) steps (limit fuel)")
        }
        if deadlines.cpu.isFinite, MemoryProbe.threadCPUSeconds() > deadlines.cpu {
            throw SchemeError(.timeLimit, "time limit: the evaluation computed for more than \(limits.cpuSeconds) s (limit cpu-seconds)")
        }
        if deadlines.wall.isFinite, MonotonicClock.seconds() > deadlines.wall + hostWaitSinceStart {
            throw SchemeError(.timeLimit, "time limit: the evaluation ran for more than \(limits.wallSeconds) s (limit wall-seconds)")
        }
        try checkMemory()
    }

    /// Charges `steps` of work done outside the VM loop (reader, expander, compiler, printer, a
    /// long primitive) and checks every limit once enough work has piled up since the last check.
    ///
    /// Charge *before* an expensive step with its estimated cost, so work that could never fit in
    /// the fuel left is refused before it starts.
    func burn(_ steps: Int) throws {
        let s = max(steps, 0)
        pendingFuel = pendingFuel.addingReportingOverflow(s).overflow ? .max : pendingFuel + s
        if pendingFuel > fuelRemaining || pendingFuel >= Runtime.checkInterval || deadlines.deferredError != nil {
            try checkLimits()
        }
    }

    /// Runs limit-checked work where errors cannot be thrown: a limit error is kept for the next
    /// check (`deferredError`) and `fallback` is returned instead.
    func deferringLimits<T>(_ fallback: T, _ body: () throws -> T) -> T {
        do { return try body() } catch let e as SchemeError {
            if deadlines.deferredError == nil { deadlines.deferredError = e }
            return fallback
        } catch {
            return fallback
        }
    }

    /// `burn` plus `reserve`: work and the bytes it is about to allocate.
    func burn(_ steps: Int, allocating bytes: Int) throws {
        try reserve(bytes: bytes)
        try burn(steps)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runtime whose evaluation runs on the current thread, so code without a runtime at hand
/// (big-number arithmetic, the printer) can still charge its work to the right limits.
extension Runtime {
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The runtime evaluating on this thread, nil outside an evaluation.
    static var current: Runtime? {
        guard let raw = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<Runtime>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Runs `body` with this runtime as `Runtime.current` (restoring the previous one after, so a
    /// child sandbox evaluated inside a parent's evaluation hands the thread back to the parent).
    func asCurrent<T>(_ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(Runtime.currentKey)
        pthread_setspecific(Runtime.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Runtime.currentKey, previous) }
        return try body()
    }
}
