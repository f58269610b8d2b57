import Foundation
import Sandbox

/// Fits each model's reply-length and latency profile to the calls real runs recorded, so the
/// simulator predicts from what this account and these prompts actually produced.
///
/// Reply length: log-normal (median and sigma of the completion tokens). Latency: least squares
/// of `latency = ttft + k·prompt + completion/rate` over the successful calls, then the log-spread
/// of the residual ratio. A model needs 5 calls to be fitted; the latency fit falls back to the
/// prior's shape scaled to the observed median when the regression is degenerate.
public enum Calibration {
    public struct Fit: Sendable, Equatable {
        public var model: String
        public var calls: Int
        public var behavior: ModelBehavior
    }

    public static let minimumCalls = 5

    public static func fit(_ records: [CallRecord], prior: ModelBehaviorTable) -> [Fit] {
        let ok = records.filter { $0.status == "ok" && $0.latency > 0 && $0.completionTokens > 0 }
        var fits: [Fit] = []
        for (model, calls) in Dictionary(grouping: ok, by: \.model).sorted(by: { $0.key < $1.key }) where calls.count >= minimumCalls {
            var b = prior.behavior(model) ?? prior.fallback
            let logs = calls.map { log(Double($0.completionTokens)) }
            let mu = logs.reduce(0, +) / Double(logs.count)
            b.replyTokens = exp(mu)
            b.replySpread = standardDeviation(logs, mean: mu)
            if let (a, k, c) = leastSquares(calls), a >= 0, k >= 0, c > 0 {
                b.ttftSeconds = a
                b.ttftSecondsPerKiloToken = k * 1000
                b.outputTokensPerSecond = 1 / c
            } else {
                // Keep the prior's shape, scaled to the observed median latency.
                let predicted = calls.map { predictedLatency(b, $0) }
                let scale = median(calls.map(\.latency)) / max(median(predicted), 1e-9)
                b.ttftSeconds *= scale
                b.ttftSecondsPerKiloToken *= scale
                b.outputTokensPerSecond /= scale
            }
            let ratios = calls.map { log($0.latency / max(predictedLatency(b, $0), 1e-9)) }
            b.latencySpread = standardDeviation(ratios, mean: ratios.reduce(0, +) / Double(ratios.count))
            fits.append(Fit(model: model, calls: calls.count, behavior: b))
        }
        return fits
    }

    /// The fits as a `--models` file (`{"models": {name: {fields}}}`).
    public static func file(_ fits: [Fit]) throws -> String {
        struct File: Encodable { let models: [String: ModelBehavior] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(File(models: Dictionary(uniqueKeysWithValues: fits.map { ($0.model, $0.behavior) })))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Where `rlm-plan calibrate` writes and the simulator looks by default.
    public static let defaultPath = ".rlm/calibration.json"

    static func predictedLatency(_ b: ModelBehavior, _ r: CallRecord) -> Double {
        b.ttftSeconds + b.ttftSecondsPerKiloToken * Double(r.promptTokens) / 1000 + Double(r.completionTokens) / max(b.outputTokensPerSecond, 1e-9)
    }

    /// Least squares of latency on (1, prompt, completion) via the 3×3 normal equations.
    static func leastSquares(_ calls: [CallRecord]) -> (Double, Double, Double)? {
        var m = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 3)
        for r in calls {
            let x = [1, Double(r.promptTokens), Double(r.completionTokens)]
            for i in 0..<3 {
                for j in 0..<3 { m[i][j] += x[i] * x[j] }
                m[i][3] += x[i] * r.latency
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<3 {
            guard let pivot = (col..<3).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-9 else { return nil }
            m.swapAt(col, pivot)
            for row in 0..<3 where row != col {
                let f = m[row][col] / m[col][col]
                for k in col..<4 { m[row][k] -= f * m[col][k] }
            }
        }
        let a = m[0][3] / m[0][0], k = m[1][3] / m[1][1], c = m[2][3] / m[2][2]
        return a.isFinite && k.isFinite && c.isFinite ? (a, k, c) : nil
    }

    static func standardDeviation(_ xs: [Double], mean: Double) -> Double {
        guard xs.count > 1 else { return 0 }
        return (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
    }

    static func median(_ xs: [Double]) -> Double { Distribution(xs).p50 }
}
