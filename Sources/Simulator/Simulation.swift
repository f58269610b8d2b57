import Foundation
import Sandbox

/// Monte Carlo over `SimulationRunner`: `runs` executions with seeds `seed`, `seed+1`, …, and
/// the report a user reads before paying.
///
///     var options = try SimulationOptions.standard()
///     options.dataShape = .items(count: 100, chars: 2000)
///     options.runs = 20
///     let report = try await Simulation.simulate(program: code, sourceName: "fan-out.scm", options: options) { p in
///         print("\(p.runsDone)/\(p.runsTotal)")
///     }
///     print(report.cost.p95, report.warnings.map(\.code))
public enum Simulation {
    /// Simulates `program` (Scheme source) `options.runs` times and reports.
    ///
    /// Runs use every core; the report does not depend on which run finished first (same seed,
    /// same report). Cancelling the calling task stops the remaining runs and throws
    /// `CancellationError`.
    ///
    /// - Parameters:
    ///   - sourceName: the name call sites are reported under (`fan-out.scm:3`).
    ///   - progress: told after each run, from the simulation's threads, one call at a time,
    ///     with `runsDone` increasing.
    /// - Throws: `SimulationError` for invalid options (`SimulationOptions.validate()`),
    ///   `CancellationError` when the task was cancelled.
    public static func simulate(program: String, sourceName: String = "program", options: SimulationOptions,
                                progress: (@Sendable (SimulationProgress) -> Void)? = nil) async throws -> SimulationReport {
        try Task.checkCancellation()
        let cancellation = SimulationCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<SimulationReport, any Error>) in
                // The runs block their threads (each run's VM is synchronous), so they stay off
                // the cooperative pool.
                DispatchQueue.global(qos: .userInitiated).async {
                    continuation.resume(with: Result {
                        try simulateSynchronously(program: program, sourceName: sourceName, options: options,
                                                  progress: progress, cancellation: cancellation)
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// `simulate` for callers that are not async (blocks until the report is ready).
    ///
    /// - Parameter cancellation: cancel it (from any thread) to stop the remaining runs; the
    ///   call then throws `CancellationError`.
    public static func simulateSynchronously(program: String, sourceName: String = "program", options: SimulationOptions,
                                             progress: (@Sendable (SimulationProgress) -> Void)? = nil,
                                             cancellation: SimulationCancellation? = nil) throws -> SimulationReport {
        let options = try options.resolved()
        let count = options.runs
        let slots = RunSlots(count)
        let counter = ProgressCounter(total: count, report: progress)
        let workers = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var k = worker
            while k < count, cancellation?.isCancelled != true {
                slots.set(k, SimulationRunner.run(program: program, sourceName: sourceName, options: options,
                                                  seed: options.seed &+ UInt64(k)))
                counter.runFinished()
                k += workers
            }
        }
        if cancellation?.isCancelled == true { throw CancellationError() }
        return SimulationReport(runs: slots.values, options: options, sourceName: sourceName)
    }

    /// The simulation as before the host API: blocking and without errors. Options that do not
    /// validate give a report of no runs whose one warning (`strategy_failed`) says why; prefer
    /// `simulate` or `simulateSynchronously`, which throw instead.
    public static func simulate(program: String, sourceName: String, options: SimulationOptions) -> SimulationReport {
        do {
            return try simulateSynchronously(program: program, sourceName: sourceName, options: options)
        } catch {
            var report = SimulationReport(runs: [], options: options, sourceName: sourceName)
            var warning = SimulationWarning(.strategyFailed, "error: the simulation could not start: \(error)")
            warning.error = "\(error)"
            report.warnings = [warning]
            report.status = "error"
            report.error = "\(error)"
            return report
        }
    }
}

/// How far a simulation is: runs finished out of all.
public struct SimulationProgress: Sendable, Equatable {
    public var runsDone: Int
    public var runsTotal: Int
}

/// Stops a simulation's remaining runs when cancelled (from any thread).
public final class SimulationCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() { lock.lock(); cancelled = true; lock.unlock() }

    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
}

/// Counts finished runs and tells the progress callback, one call at a time.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (SimulationProgress) -> Void)?

    init(total: Int, report: (@Sendable (SimulationProgress) -> Void)?) {
        self.total = total
        self.report = report
    }

    func runFinished() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        report?(SimulationProgress(runsDone: done, runsTotal: total))
    }
}

/// Results of runs made on several threads, by index.
final class RunSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [SimulatedRun?]
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ run: SimulatedRun) { lock.lock(); slots[i] = run; lock.unlock() }
    var values: [SimulatedRun] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
