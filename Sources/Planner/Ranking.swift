import Foundation
import Simulator

/// A simulated candidate with what the ranking needs.
struct ScoredCandidate {
    var candidate: Candidate
    var estimate: CandidateEstimate
    /// Quality estimate (0–1): the pattern's prior adjusted for its models.
    var quality: Double
    /// Share of the items its outputs cover (0–1).
    var coverage: Double
    var violations: [String]
    var paretoOptimal = false

    var feasible: Bool { violations.isEmpty }
    /// Ran without error in every simulated run and returned something.
    var works: Bool { estimate.failedRuns == 0 && estimate.outputs > 0 }
    /// Quality discounted by what it leaves out: a plan that covers half the items is half as useful.
    var effectiveQuality: Double { quality * coverage }
}

/// Feasibility, the Pareto front and the order by priority.
enum Ranking {
    /// Quality: the pattern's prior, plus up to ±0.10 for the worker model's strength and ±0.05
    /// for the strong model's (strength by price within the pool, see `ModelPool.strength`).
    static func quality(_ c: Candidate, pool: ModelPool) -> Double {
        var q = c.pattern.quality
        if let tier = c.tier {
            let roles = Set(c.models.keys)
            let usesWorker = !roles.isDisjoint(with: ModelPool.Tier.workerRoles)
            let usesStrong = !roles.subtracting(ModelPool.Tier.workerRoles).isEmpty
            if usesWorker { q += 0.2 * (pool.strength(tier.worker) - 0.5) }
            if usesStrong { q += (usesWorker ? 0.1 : 0.3) * (pool.strength(tier.strong) - 0.5) }
        }
        return min(max((q * 1000).rounded() / 1000, 0), 1)
    }

    static func label(_ q: Double) -> String {
        q < 0.55 ? "low" : q < 0.7 ? "medium" : q < 0.85 ? "high" : "very-high"
    }

    /// What `c` breaks of the profile's requirements and limits.
    static func violations(_ c: Candidate, _ e: CandidateEstimate, coverage: Double, profile: TaskProfile) -> [String] {
        var out: [String] = []
        if e.failedRuns > 0 {
            out.append("fails in \(e.failedRuns) simulated run\(e.failedRuns == 1 ? "" : "s"): \(e.firstError ?? "error")")
        }
        let needed = profile.outputsNeeded(perItem: c.pattern.outputs != .single)
        if e.outputs < needed { out.append("produces \(e.outputs) output\(e.outputs == 1 ? "" : "s"), \(needed) required") }
        if coverage + 1e-9 < profile.coverageTarget {
            out.append("covers \(Format.percent(coverage)) of the \(profile.itemNoun)s, \(Format.percent(profile.coverageTarget)) required")
        }
        if let max = profile.maxCostUSD, e.cost.p95 > max {
            out.append("p95 cost \(Format.money(e.cost.p95)) over the \(Format.money(max)) budget")
        }
        if let max = profile.maxLatencySeconds, e.latency.p95 > max {
            out.append("p95 latency \(Format.seconds(e.latency.p95)) over the \(Format.seconds(max)) limit")
        }
        return out
    }

    /// Coverage: per-item outputs over items; a single answer covers everything it read.
    static func coverage(_ c: Candidate, _ e: CandidateEstimate, profile: TaskProfile) -> Double {
        if e.failedRuns > 0 && e.outputs == 0 { return 0 }
        if c.pattern.outputs == .single { return e.outputs > 0 ? 1 : 0 }
        return min(1, Double(e.outputs) / Double(max(profile.items, 1)))
    }

    /// Marks the candidates no other beats on p50 cost, p50 latency and effective quality at once.
    /// A candidate that fails or returns nothing is no trade-off (its zero cost is not a saving),
    /// so it is never on the front and does not push others off it.
    static func markParetoFront(_ all: inout [ScoredCandidate]) {
        let working = all.indices.filter { all[$0].works }
        for i in all.indices {
            all[i].paretoOptimal = all[i].works && !working.contains { j in j != i && dominates(all[j], all[i]) }
        }
    }

    static func dominates(_ a: ScoredCandidate, _ b: ScoredCandidate) -> Bool {
        let ac = a.estimate.cost.p50, bc = b.estimate.cost.p50
        let al = a.estimate.latency.p50, bl = b.estimate.latency.p50
        let aq = a.effectiveQuality, bq = b.effectiveQuality
        return ac <= bc && al <= bl && aq >= bq && (ac < bc || al < bl || aq > bq)
    }

    /// `all` sorted best first for `priority`: feasible before infeasible, then by the priority's
    /// order (each a lexicographic or monotone order, so the best feasible candidate is not
    /// dominated by another feasible one).
    static func sorted(_ all: [ScoredCandidate], priority: String) -> [ScoredCandidate] {
        // Normalise over the candidates that work: a failed one's zero cost would stretch the scale.
        let working = all.filter(\.works)
        let costs = working.map { max($0.estimate.cost.p50, 1e-9) }, latencies = working.map { max($0.estimate.latency.p50, 1e-6) }
        func spread(_ xs: [Double]) -> (Double, Double) {
            let lo = log(xs.min() ?? 1), hi = log(xs.max() ?? 1)
            return (lo, max(hi - lo, 1e-9))
        }
        let (clo, cw) = spread(costs), (llo, lw) = spread(latencies)
        func balanced(_ s: ScoredCandidate) -> Double {
            let c = (log(max(s.estimate.cost.p50, 1e-9)) - clo) / cw
            let l = (log(max(s.estimate.latency.p50, 1e-6)) - llo) / lw
            return 0.4 * s.effectiveQuality * 2 - 0.3 * c - 0.3 * l
        }
        func key(_ s: ScoredCandidate) -> [Double] {
            let c = s.estimate.cost.p50, l = s.estimate.latency.p50, q = -s.effectiveQuality
            switch priority {
            case "cost": return [c, q, l]
            case "speed": return [l, c, q]
            case "quality": return [q, c, l]
            default: return [-balanced(s), c, l, q]
            }
        }
        return all.sorted { a, b in
            if a.feasible != b.feasible { return a.feasible }
            let ka = key(a), kb = key(b)
            for (x, y) in zip(ka, kb) where x != y { return x < y }
            return a.candidate.name < b.candidate.name
        }
    }
}

/// How figures are written in plans and tables.
enum Format {
    static func money(_ x: Double) -> String {
        x < 0.01 ? String(format: "$%.4f", x) : x < 10 ? String(format: "$%.2f", x) : String(format: "$%.0f", x)
    }

    /// "$p5-p95", both ends at the precision the larger needs.
    static func moneyRange(_ lo: Double, _ hi: Double) -> String {
        let f = hi < 0.01 ? "%.4f" : hi < 10 ? "%.2f" : "%.0f"
        return "$" + String(format: f, lo) + "-" + String(format: f, hi)
    }

    static func seconds(_ x: Double) -> String {
        x < 10 ? String(format: "%.1fs", x) : x < 600 ? String(format: "%.0fs", x) : String(format: "%.1fmin", x / 60)
    }

    /// "p5-p95", both ends in the unit and precision the larger needs (not "9.8s-10s").
    static func secondsRange(_ lo: Double, _ hi: Double) -> String {
        if hi < 10 { return String(format: "%.1fs-%.1fs", lo, hi) }
        if hi < 600 { return String(format: "%.0fs-%.0fs", lo, hi) }
        return String(format: "%.1fmin-%.1fmin", lo / 60, hi / 60)
    }

    static func percent(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }

    /// Rounded for JSON: dollars to 6 decimals, seconds to 2 (stable bytes, no float noise).
    static func dollars(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
    static func secs(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
