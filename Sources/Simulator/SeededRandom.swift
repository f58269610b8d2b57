import Sandbox

/// The simulator's draws: the sandbox's SplitMix64 generator (`RandomState`), so the same seed
/// gives the same draws on every machine, which "same seed, same report" needs (Swift's own
/// generators are not specified), plus the distributions the mock provider samples.
struct SeededRandom: RandomNumberGenerator {
    private var core: RandomState

    init(seed: UInt64) { core = RandomState(seed: seed) }

    /// A generator for one call, independent of the order calls are made in.
    init(seed: UInt64, key: UInt64, occurrence: Int) {
        core = RandomState(seed: seed ^ key ^ (UInt64(truncatingIfNeeded: occurrence) &* 0x9E37_79B9_7F4A_7C15))
        _ = next()
    }

    mutating func next() -> UInt64 { core.next() }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { core.nextDouble() }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Log-normal with median `median` and sigma `sigma`.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * _exp(sigma * normal())
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Foundation
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
#endif
