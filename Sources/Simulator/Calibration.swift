import Foundation
import Sandbox

/// Fits each model's reply-length and latency profile to the calls real runs recorded, so the
/// simulator predicts from what this account and these prompts actually produced.
///
/// Reply length: log-normal (median and sigma of the completion tokens). Latency: least squares
/// of `latency = ttft + k·prompt + completion/rate` over the successful calls, then the log-spread
/// of the residual ratio. The latency fit falls back to the prior's shape scaled to the observed
/// median when the regression is degenerate.
///
/// Every model a trace holds is calibrated. A model with fewer than `minimumCalls` successful
/// calls keeps its prior's shape and moves it by what was seen (`nudge`): the log of the
/// observed-to-predicted ratio of latency and of reply length, weighted by the number of calls as
/// a normal prior on that log scale (σ 1: priors are rough) updated by calls of spread σ_obs
/// (the prior's spread): weight = (n/σ_obs²) / (1 + n/σ_obs²). One call at σ_obs 0.25 moves
/// the prior 94% of the way; two, 97%.
///
/// Calibration also keeps what real runs observed of the account: the largest
/// `x-ratelimit-limit-*` figures (`observed_rpm`, `observed_tpm`) and the retry rate
/// (`error_rate`: retried attempts over all attempts).
///
/// Retries are told apart from the model's own behaviour: a retried call's latency includes its
/// backoff waits, which the simulation replays through the retry policy, so latency is fitted on
/// calls answered at the first attempt (reply lengths on all). And when the trace came close to a
/// model's observed limit (its busiest minute, runs overlaid from their starts, held at least 90%
/// of `observed_rpm`), its retries are taken for rate-limit 429s — which the simulation reproduces
/// by pacing calls at the observed limit — and do not count as transient errors.
public enum Calibration {
    public struct Fit: Sendable, Equatable {
        public var model: String
        public var calls: Int
        public var behavior: ModelBehavior
        /// The largest `x-ratelimit-limit-requests` / `-tokens` seen, nil when never sent.
        public var observedRPM: Int?
        public var observedTPM: Int?
        /// Whether the fit is a full regression (else the prior nudged by a few calls).
        public var fitted: Bool = true
    }

    /// Calls needed for a full fit (fewer: the prior is nudged).
    public static let minimumCalls = 5

    public static func fit(_ records: [CallRecord], prior: ModelBehaviorTable) -> [Fit] {
        var fits: [Fit] = []
        let answered = records.filter { $0.status == "ok" || $0.status == "error" }
        for (model, all) in Dictionary(grouping: answered, by: \.model).sorted(by: { $0.key < $1.key }) {
            let calls = all.filter { $0.status == "ok" && $0.latency > 0 && $0.completionTokens > 0 }
            var b = prior.behavior(model) ?? prior.fallback
            b.requestsPerMinute = nil
            b.tokensPerMinute = nil
            b.tiers = nil
            let observedRPM = all.compactMap(\.limitRequests).max(), observedTPM = all.compactMap(\.limitTokens).max()
            let throttled = observedRPM.map { busiestMinute(all) * 10 >= $0 * 9 } ?? false
            let retries = throttled ? 0 : all.reduce(0) { $0 + ($1.retries ?? 0) }
            b.errorRate = retries > 0 ? Double(retries) / Double(all.count + retries) : nil
            guard !calls.isEmpty else { continue }
            // Latency from calls answered at once (a retried call's includes its backoff).
            let firstTry = calls.filter { ($0.retries ?? 0) == 0 }
            let timed = firstTry.isEmpty ? calls : firstTry
            guard calls.count >= minimumCalls, timed.count >= minimumCalls else {
                fits.append(Fit(model: model, calls: calls.count, behavior: nudge(b, by: calls, timed: timed),
                                observedRPM: observedRPM, observedTPM: observedTPM, fitted: false))
                continue
            }
            let logs = calls.map { log(Double($0.completionTokens)) }
            let mu = logs.reduce(0, +) / Double(logs.count)
            b.replyTokens = exp(mu)
            b.replySpread = standardDeviation(logs, mean: mu)
            if let (a, k, c) = leastSquares(timed), a >= 0, k >= 0, c > 0 {
                b.ttftSeconds = a
                b.ttftSecondsPerKiloToken = k * 1000
                b.outputTokensPerSecond = 1 / c
            } else {
                // Keep the prior's shape, scaled to the observed median latency.
                let predicted = timed.map { predictedLatency(b, $0) }
                let scale = median(timed.map(\.latency)) / max(median(predicted), 1e-9)
                b.ttftSeconds *= scale
                b.ttftSecondsPerKiloToken *= scale
                b.outputTokensPerSecond /= scale
            }
            let ratios = timed.map { log($0.latency / max(predictedLatency(b, $0), 1e-9)) }
            b.latencySpread = standardDeviation(ratios, mean: ratios.reduce(0, +) / Double(ratios.count))
            fits.append(Fit(model: model, calls: calls.count, behavior: b, observedRPM: observedRPM, observedTPM: observedTPM))
        }
        return fits
    }

    /// `prior` moved by a few calls: latency and reply length each scaled by the precision-weighted
    /// geometric mean of observed / predicted (see the type's documentation).
    /// - Parameter timed: The calls to take latency from (answered at the first attempt), a subset of `calls`.
    static func nudge(_ prior: ModelBehavior, by calls: [CallRecord], timed: [CallRecord]? = nil) -> ModelBehavior {
        var b = prior
        let timed = timed ?? calls
        func weight(_ sigma: Double, _ n: Int) -> Double {
            let precision = Double(n) / max(sigma * sigma, 1e-4)
            return precision / (1 + precision)
        }
        let latencyLog = timed.map { log($0.latency / max(predictedLatency(prior, $0), 1e-9)) }.reduce(0, +) / Double(timed.count)
        let replyLog = calls.map { log(Double($0.completionTokens) / max(prior.replyTokens, 1e-9)) }.reduce(0, +) / Double(calls.count)
        let latencyScale = exp(weight(max(prior.latencySpread, 0.1), timed.count) * latencyLog)
        let replyScale = exp(weight(max(prior.replySpread, 0.1), calls.count) * replyLog)
        b.replyTokens *= replyScale
        // The ratio compares each call with the prior's latency for that call's own prompt and
        // reply lengths, so scaling the whole curve does not count the reply length twice.
        b.ttftSeconds *= latencyScale
        b.ttftSecondsPerKiloToken *= latencyScale
        b.outputTokensPerSecond /= latencyScale
        return b
    }

    /// The fits as a `--models` file (`{"models": {name: {fields}}}`), with `observed_rpm`,
    /// `observed_tpm` and `calls` beside the behaviour fields.
    public static func file(_ fits: [Fit]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var models: [String: Any] = [:]
        for fit in fits {
            var fields = try JSONSerialization.jsonObject(with: encoder.encode(fit.behavior)) as? [String: Any] ?? [:]
            fields["calls"] = fit.calls
            if let r = fit.observedRPM { fields["observed_rpm"] = r }
            if let t = fit.observedTPM { fields["observed_tpm"] = t }
            models[fit.model] = fields
        }
        let data = try JSONSerialization.data(withJSONObject: ["models": models], options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Where `rlm-plan calibrate` writes and the simulator looks by default.
    public static let defaultPath = ModelRegistry.defaultCalibrationPath

    /// The most calls started within any 60 s of the records' clock.
    static func busiestMinute(_ records: [CallRecord]) -> Int {
        let starts = records.map(\.startedAt).sorted()
        var most = 0, first = 0
        for (last, t) in starts.enumerated() {
            while starts[first] <= t - 60 { first += 1 }
            most = max(most, last - first + 1)
        }
        return most
    }

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
