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
        return l
    }
}
