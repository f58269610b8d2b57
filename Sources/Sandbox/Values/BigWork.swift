import BigInt
import Foundation

/// Charges big-number work to the running evaluation's limits.
///
/// One multiplication, division or radix conversion of million-digit integers runs inside BigInt,
/// where neither fuel nor the clocks can interrupt it: `(expt 10 1000000)` took 10.9 s and
/// printing it 47.9 s of CPU under `--cpu-seconds 2`. So each big operation first burns fuel in
/// proportion to its estimated cost (in word operations, `Runtime.burn`), and is refused when the
/// time it would take — predicted from the measured speed of earlier operations of the same kind
/// in this process — would run past the evaluation's deadline. Long algorithms (radix conversion,
/// `expt`) are split into steps, each charged, so the limits are checked between them.
enum BigWork {
    enum Kind: Int, CaseIterable {
        case multiply, divide, convert
    }

    /// Operations estimated below this many word operations are not charged (no thread-local lookup).
    static let freeCost = 20_000.0
    /// Word operations per step of fuel (a VM step does several machine words of work).
    static let costPerFuel = 8.0

    /// Word operations of `x * y` (schoolbook under BigInt's Karatsuba cut-off of 1024 words).
    static func multiplyCost(_ x: BigInt, _ y: BigInt) -> Double {
        multiplyCost(words(x), words(y))
    }

    static func multiplyCost(_ a: Double, _ b: Double) -> Double {
        let small = min(a, b), large = max(a, b)
        if small <= 1024 { return small * large }
        // Karatsuba: about 3^log2(n) products for n-word halves, times the per-level additions.
        return (large / small) * 4 * pow(small, 1.585)
    }

    /// Word operations of dividing `x` by `y` (or a gcd of the two): schoolbook.
    static func divideCost(_ x: BigInt, _ y: BigInt) -> Double {
        let a = words(x), b = words(y)
        return max(a, b) * max(min(a, b), 1)
    }

    static func words(_ x: BigInt) -> Double { Double(x.magnitude.bitWidth / 64 + 1) }

    /// Runs `body` after charging `cost` word operations of `kind` (see the type's comment).
    static func perform<T>(_ kind: Kind, cost: Double, _ body: () throws -> T) throws -> T {
        guard cost >= freeCost, let runtime = Runtime.current else { return try body() }
        try charge(kind, cost: cost, runtime)
        let cpuStart = MemoryProbe.threadCPUSeconds(), wallStart = MonotonicClock.seconds()
        let result = try body()
        rates.record(kind, cost: cost, cpu: MemoryProbe.threadCPUSeconds() - cpuStart, wall: MonotonicClock.seconds() - wallStart)
        return result
    }

    /// Burns fuel for `cost` and refuses work predicted to end past a deadline.
    static func charge(_ kind: Kind, cost: Double, _ runtime: Runtime) throws {
        try runtime.burn(cost >= Double(Int.max / 2) ? Int.max / 2 : Int(cost / costPerFuel))
        let (cpuRate, wallRate) = rates.secondsPerCost(kind)
        let cpuLeft = runtime.deadlines.cpu - MemoryProbe.threadCPUSeconds()
        let wallLeft = runtime.deadlines.wall + runtime.hostWaitSinceStart - MonotonicClock.seconds()
        // Wall time is predicted from measured wall time, so a loaded machine predicts slower.
        let cpuNeeded = cost * cpuRate, wallNeeded = cost * wallRate
        if cpuNeeded > cpuLeft {
            throw timeLimit(runtime.limits.cpuSeconds, "cpu-seconds", "compute", needed: cpuNeeded, left: cpuLeft)
        }
        if wallNeeded > wallLeft {
            throw timeLimit(runtime.limits.wallSeconds, "wall-seconds", "run", needed: wallNeeded, left: wallLeft)
        }
    }

    private static func timeLimit(_ limit: Double, _ name: String, _ verb: String, needed: Double, left: Double) -> SchemeError {
        SchemeError(.timeLimit, "time limit: the evaluation would \(verb) for more than \(limit) s (limit \(name)): the next big-integer operation needs about \(format(needed)) s and \(format(max(left, 0))) s are left")
    }

    /// Charges `cost` of `kind` without measuring (a step of a longer algorithm that measures itself).
    static func chargeStep(_ kind: Kind, cost: Double) throws {
        guard cost >= freeCost, let runtime = Runtime.current else { return }
        try charge(kind, cost: cost, runtime)
    }

    private static func format(_ s: Double) -> String {
        s >= 100 ? String(Int(s)) : String(format: "%.1f", s)
    }

    /// Measured seconds per word operation of each kind, shared by every session of the process.
    static let rates = RateTable()

    final class RateTable: @unchecked Sendable {
        private let lock = NSLock()
        /// Until measured, a cautious guess: seconds per word operation of BigInt, CPU and wall
        /// (a debug build runs it about ten times slower).
        #if DEBUG
        private var cpu: [Double] = [20e-9, 40e-9, 40e-9]
        #else
        private var cpu: [Double] = [2e-9, 4e-9, 4e-9]
        #endif
        private lazy var wall: [Double] = cpu

        func secondsPerCost(_ kind: Kind) -> (cpu: Double, wall: Double) {
            lock.lock(); defer { lock.unlock() }
            return (cpu[kind.rawValue], wall[kind.rawValue])
        }

        /// Keeps the slowest recent speed (decaying), so predictions err toward stopping early.
        func record(_ kind: Kind, cost: Double, cpu cpuSeconds: Double, wall wallSeconds: Double) {
            guard cost >= 1_000_000, wallSeconds > 0.002 else { return }
            lock.lock(); defer { lock.unlock() }
            let i = kind.rawValue
            if cpuSeconds > 0 { cpu[i] = max(cpuSeconds / cost, cpu[i] * 0.75) }
            wall[i] = max(wallSeconds / cost, wall[i] * 0.75)
        }
    }
}
