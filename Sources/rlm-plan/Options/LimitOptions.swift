import ArgumentParser
import Sandbox

/// The resource limits of every evaluation, shared by `eval`, `repl` and `sandbox-server`.
///
/// Defaults are `Limits()`'s; a value that is not positive fails in `validate()` (exit 64).
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("fuel"), help: ArgumentHelp("VM steps one evaluation may take.", valueName: "N"))
    var fuel: Int = Limits().fuel

    @Option(name: .customLong("cpu-seconds"),
            help: ArgumentHelp("Seconds of computing one evaluation may use.", valueName: "S"))
    var cpuSeconds: Double = Limits().cpuSeconds

    @Option(name: .customLong("wall-seconds"),
            help: ArgumentHelp("Seconds one evaluation may take in all, waiting for models included (default: 300; for run: 86400).",
                               valueName: "S"))
    var wallSeconds: Double?

    @Option(name: .customLong("memory-mb"),
            help: ArgumentHelp("Megabytes of heap growth one evaluation may use.", valueName: "N"))
    var memoryMB: Int = Limits().memoryBytes >> 20

    @Option(name: .customLong("output-bytes"),
            help: ArgumentHelp("Bytes one evaluation may print.", valueName: "N"))
    var outputBytes: Int = Limits().outputBytes

    @Option(name: .customLong("print-depth"),
            help: ArgumentHelp("Nesting depth of data the printer renders and of code the compiler accepts.",
                               valueName: "N"))
    var printDepth: Int = Limits().printDepth

    @Option(name: .customLong("seed"),
            help: ArgumentHelp("Seed for `random`, so runs repeat exactly (default: a fresh seed).", valueName: "N"))
    var seed: UInt64?

    mutating func validate() throws {
        try Self.requirePositive(fuel, "--fuel")
        try Self.requirePositive(cpuSeconds, "--cpu-seconds")
        if let wallSeconds { try Self.requirePositive(wallSeconds, "--wall-seconds") }
        try Self.requirePositive(memoryMB, "--memory-mb")
        if memoryMB > Int.max >> 20 {
            throw ValidationError("--memory-mb must be at most \(Int.max >> 20), not \(memoryMB).")
        }
        try Self.requirePositive(outputBytes, "--output-bytes")
        try Self.requirePositive(printDepth, "--print-depth")
    }

    /// The limits these options describe.
    var limits: Limits {
        var l = Limits()
        l.fuel = fuel
        l.cpuSeconds = cpuSeconds
        l.wallSeconds = wallSeconds ?? Limits().wallSeconds
        l.memoryBytes = memoryMB << 20
        l.outputBytes = outputBytes
        l.printDepth = printDepth
        return l
    }

    /// A fresh sandbox session under these limits and seed; in callback mode when `callbacks` is given.
    func makeSession(callbacks: CallbackChannel? = nil) -> SandboxSession {
        SandboxSession(limits: limits, seed: seed, callbacks: callbacks)
    }

    private static func requirePositive(_ value: Int, _ flag: String) throws {
        if value <= 0 { throw ValidationError("\(flag) must be a positive whole number, not \(value).") }
    }

    private static func requirePositive(_ value: Double, _ flag: String) throws {
        // `!(value > 0)` also refuses NaN.
        if !(value > 0) { throw ValidationError("\(flag) must be a positive number of seconds, not \(value).") }
    }
}
