import Foundation
import Sandbox

/// Percentiles and moments of a sample (p5/p50/p95 by linear interpolation between order statistics).
///
/// Encodes as `{"p5", "p50", "p95", "mean", "sd"}`; decodes from that object or from a bare
/// number (a one-run figure, which the report writes as the number itself).
public struct Distribution: Sendable, Equatable, Codable {
    public var p5: Double
    public var p50: Double
    public var p95: Double
    public var mean: Double
    public var sd: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let x = p * Double(sorted.count - 1)
            let lo = Int(x.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - Double(lo))
        }
        p5 = percentile(0.05)
        p50 = percentile(0.5)
        p95 = percentile(0.95)
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let m = mean
        sd = values.count < 2 ? 0 : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// The distribution of one value.
    public init(single value: Double) { self.init([value]) }

    private enum CodingKeys: String, CodingKey { case p5, p50, p95, mean, sd }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let value = try? single.decode(Double.self) {
            self.init(single: value)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init([])
        p5 = try c.decode(Double.self, forKey: .p5)
        p50 = try c.decode(Double.self, forKey: .p50)
        p95 = try c.decode(Double.self, forKey: .p95)
        mean = try c.decode(Double.self, forKey: .mean)
        sd = try c.decode(Double.self, forKey: .sd)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(p5, forKey: .p5)
        try c.encode(p50, forKey: .p50)
        try c.encode(p95, forKey: .p95)
        try c.encode(mean, forKey: .mean)
        try c.encode(sd, forKey: .sd)
    }
}

/// The shape of one run's schedule: busiest moment and the chain of calls that set its length.
public struct ScheduleShape: Sendable, Equatable, Codable {
    /// Most calls in flight at one moment.
    public var peakConcurrency: Int
    /// Ids of the calls on the critical path, first to last.
    public var criticalPath: [String]
    /// Seconds of model calls on the critical path (the rest of the latency is queueing and computing).
    public var criticalPathSeconds: Double

    private enum CodingKeys: String, CodingKey {
        case peakConcurrency = "peak_concurrency"
        case criticalPath = "critical_path"
        case criticalPathSeconds = "critical_path_model_s"
    }

    /// The critical path is found backwards from the call that ended last, each step to the call
    /// it really waited on (`CallRecord.dependsOn`: the call its fiber last waited on before
    /// issuing it, a spawned fiber starting from its parent's).
    public init(_ records: [CallRecord]) {
        var events: [(Double, Int)] = []
        for r in records { events.append((r.startedAt, 1)); events.append((r.endedAt, -1)) }
        events.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var current = 0, peak = 0
        for e in events { current += e.1; peak = max(peak, current) }
        peakConcurrency = peak
        var byID: [String: CallRecord] = [:]
        for r in records where byID[r.id] == nil { byID[r.id] = r }
        let last = records.max { $0.endedAt < $1.endedAt || ($0.endedAt == $1.endedAt && $0.id > $1.id) }
        var path: [CallRecord] = []
        var visited = Set<String>()
        var cursor = last
        while let c = cursor, visited.insert(c.id).inserted {
            path.append(c)
            cursor = c.dependsOn.flatMap { byID[$0] }
        }
        path.reverse()
        criticalPath = path.map(\.id)
        criticalPathSeconds = path.reduce(0) { $0 + ($1.endedAt - $1.startedAt) }
    }
}
