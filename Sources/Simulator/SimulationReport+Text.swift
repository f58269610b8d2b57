import Foundation
import Sandbox

extension SimulationReport {
    /// The human report: totals, per model, per call site, schedule, warnings.
    public func text() -> String {
        let many = runCount > 1
        var lines: [String] = []
        let counts = tokenCountsExact ? "exact" : "estimated"
        lines.append("Simulated \(runCount) run\(many ? "s" : "") (seed \(seed)\(many ? "…\(seed &+ UInt64(runCount - 1))" : "")); token counts \(counts).")
        if !many {
            lines.append("Outcome: \(status)" + (result.map { " → \($0.prefix(120))" } ?? "") + (error.map { " — \($0)" } ?? ""))
        }
        lines.append("")
        func row(_ name: String, _ d: Distribution, _ format: (Double) -> String) -> String {
            many ? pad(name, 16) + pad(format(d.p5), 14) + pad(format(d.p50), 14) + pad(format(d.p95), 14) + format(d.mean) + " ± " + format(d.sd)
                 : pad(name, 16) + format(d.p50)
        }
        if many { lines.append(pad("", 16) + pad("p5", 14) + pad("p50", 14) + pad("p95", 14) + "mean ± sd") }
        lines.append(row("calls", calls) { String(format: "%.0f", $0) })
        lines.append(row("input tokens", inputTokens) { String(format: "%.0f", $0) })
        lines.append(row("output tokens", outputTokens) { String(format: "%.0f", $0) })
        lines.append(row("cost", cost) { String(format: "$%.4f", $0) })
        lines.append(row("latency", latency) { String(format: "%.1f s", $0) })
        lines.append(row("outputs", outputs) { String(format: "%.0f", $0) })
        if retries.p95 > 0 { lines.append(row("retries", retries) { String(format: "%.0f", $0) }) }
        lines.append("")
        let nameWidth = max(28, (byModel.map(\.model.count) + byCallSite.map(\.site.count)).max().map { $0 + 2 } ?? 0)
        func usageRow(_ name: String, _ calls: Double, _ input: Double, _ output: Double, _ cost: Double?) -> String {
            pad(name, nameWidth) + pad(String(format: "%.1f", calls), 10) + pad(String(format: "%.0f", input), 12)
                + pad(String(format: "%.0f", output), 12) + (cost.map { String(format: "$%.4f", $0) } ?? "unknown")
        }
        lines.append(pad("model", nameWidth) + pad("calls", 10) + pad("input", 12) + pad("output", 12) + "cost")
        for u in byModel { lines.append(usageRow(u.model, u.calls, u.inputTokens, u.outputTokens, u.costUSD)) }
        lines.append("")
        lines.append(pad("call site", nameWidth) + pad("calls", 10) + pad("input", 12) + pad("output", 12) + "cost")
        for u in byCallSite { lines.append(usageRow(u.site, u.calls, u.inputTokens, u.outputTokens, u.costUSD)) }
        lines.append("")
        lines.append(String(format: "Schedule (run 1): peak %d calls in flight; critical path %d calls, %.1f s of model time; %.1f s waited on rate limits.",
                            schedule.peakConcurrency, schedule.criticalPath.count, schedule.criticalPathSeconds, rateLimitWait.p50))
        // One line for the limits applied, with their source (explicit, observed, tier, none).
        lines.append("Rate limits: " + (rateLimits.isEmpty ? "none (no model call)" : rateLimits.map { r in
            r.rpm == nil && r.tpm == nil ? "\(r.model) none"
                : "\(r.model) \(r.rpm.map { "\($0) rpm" } ?? "no rpm limit"), \(r.tpm.map { "\($0) tpm" } ?? "no tpm limit") (\(r.source))"
        }.joined(separator: "; ")) + ".")
        if !warnings.isEmpty {
            lines.append("")
            lines.append("Warnings:")
            for w in warnings { lines.append("  - " + w.message) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
