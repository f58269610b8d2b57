import Foundation
import Sandbox

extension SimulationReport {
    /// The `--json` report: one object (keys in a fixed order, so the same seed prints the same
    /// bytes). Figures are numbers for one run, `{p5, p50, p95, mean, sd}` for several.
    public func json() -> String {
        let many = runs.count > 1
        func figure(_ d: Distribution) -> JSONValue {
            many ? .object([("p5", num(d.p5)), ("p50", num(d.p50)), ("p95", num(d.p95)), ("mean", num(d.mean)), ("sd", num(d.sd))])
                 : num(d.p50)
        }
        func usage(_ u: UsageSummary) -> JSONValue {
            .object([("calls", num(u.calls)), ("input_tokens", num(u.inputTokens)), ("output_tokens", num(u.outputTokens)),
                     ("cost_usd", u.priced ? num(u.cost) : .null)])
        }
        let first = runs.first
        var fields: [(String, JSONValue)] = [
            ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("runs", .int(runs.count)),
            ("status", .string(first?.status.rawValue ?? "ok")),
            ("calls", figure(calls)),
            ("input_tokens", figure(inputTokens)),
            ("output_tokens", figure(outputTokens)),
            ("token_counts", .string(tokenCountsExact ? "exact" : "estimated")),
            ("cost_usd", figure(cost)),
            ("latency_s", figure(latency)),
            ("rate_limit_wait_s", figure(rateLimitWait)),
            ("retries", figure(retries)),
            ("rate_limits", .object(rateLimits.sorted { $0.key < $1.key }.map { model, limit in
                (model, .object([("rpm", limit.rpm.map { .int($0) } ?? .null), ("tpm", limit.tpm.map { .int($0) } ?? .null),
                                 ("source", .string(limit.source))]))
            })),
            ("peak_concurrency", .int(schedule.peakConcurrency)),
            ("critical_path", .object([("calls", .int(schedule.criticalPath.count)), ("model_seconds", num(schedule.criticalPathSeconds))])),
            ("by_model", .object(byModel.map { ($0.model, usage($0.usage)) })),
            ("by_call_site", .object(byCallSite.map { ($0.site, usage($0.usage)) })),
            ("warnings", .array(warnings.map { .string($0) })),
        ]
        if let first, first.status == .finished, !many { fields.insert(("result", .string(first.result)), at: 3) }
        return JSONValue.object(fields).serialized()
    }

    /// Rounds away float noise (1e-9 relative) so reports compare byte for byte.
    private func num(_ d: Double) -> JSONValue {
        if d == d.rounded(), abs(d) < 1e15 { return .int(Int(d)) }
        let scale = pow(10, 9 - (d == 0 ? 0 : floor(log10(abs(d)))))
        let r = (d * scale).rounded() / scale
        if r == r.rounded(), abs(r) < 1e15 { return .int(Int(r)) }
        return .double(r)
    }
}
