import Foundation

extension StrategyPlan {
    /// The plan for a person: the ranked table (strategy, cost p50/p95, latency p50/p95, outputs,
    /// quality, why), the assumptions, and the recommended code.
    public func text() -> String {
        var out = ""
        let p = meta.profile
        out += "Task: \(meta.taskAnalyzed)\n"
        out += "Profile: \(p.kind), \(p.items) \(p.itemNoun)s × ~\(p.tokensPerItem) tokens (\(p.dataSource)), "
        out += "\(p.requiredOutputs) outputs required, priority \(p.priority)"
        if let c = p.maxCostUSD { out += ", budget \(Format.money(c))" }
        if let l = p.maxLatencySeconds { out += ", time limit \(Format.seconds(l))" }
        if let m = p.allowedModels { out += ", only \(m.joined(separator: ", "))" }
        out += "\n"
        for a in meta.assumptions { out += "  assumed: \(a)\n" }
        if let changes = meta.clarificationsIncorporated { for c in changes { out += "  clarified: \(c)\n" } }
        out += "\n"
        let header = ["#", "strategy", "cost p50", "cost p95", "latency p50", "latency p95", "outputs", "quality", "why"]
        var rows = [header]
        for r in candidates {
            let screened = r.simulatedRuns == 0 ? "~" : r.simulatedRuns < meta.runsPerCandidate ? "'" : ""
            rows.append(["\(r.rank)\(r.paretoOptimal ? "*" : "")\(screened)", r.strategyName, Format.money(r.costUSD.p50), Format.money(r.costUSD.p95),
                         Format.seconds(r.latencyS.p50), Format.seconds(r.latencyS.p95), "\(r.outputs)",
                         r.estimatedQuality, r.why])
        }
        let widths = (0..<header.count - 1).map { i in rows.map { $0[i].count }.max() ?? 0 }
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                if i < widths.count {
                    let pad = String(repeating: " ", count: widths[i] - cell.count)
                    line += (i >= 2 && i <= 6 ? pad + cell : cell + pad) + "  "
                } else {
                    line += cell
                }
            }
            out += line + "\n"
        }
        out += "(* on the cost / latency / quality Pareto front; \(meta.runsPerCandidate) runs at full scale, ' one run at full scale, ~ screened once on a sample of \(CandidateSimulator.sampleItems) items, scaled; seed \(meta.seed); prices: \(meta.priceSnapshot))\n"
        for s in meta.patternsSkipped { out += "  not simulated: \(s)\n" }
        out += "\n"
        if let pilot {
            out += "Pilot: \(pilot.items) items, \(Format.money(pilot.costUSD)) spent; calibrated: \(pilot.calibratedModels.joined(separator: ", "))\n"
            for r in pilot.runs {
                out += "  \(r.strategyName): \(r.status), \(r.outputs) outputs, \(Format.money(r.costUSD)); full-scale p50 cost \(Format.money(r.costBefore.p50)) → \(Format.money(r.costAfter.p50)), latency \(Format.seconds(r.latencyBefore.p50)) → \(Format.seconds(r.latencyAfter.p50))\n"
            }
            out += "\n"
        }
        if let r = recommended {
            out += "Recommended: \(r.strategyName) — \(r.estimatedCost), \(r.estimatedLatency), quality \(r.estimatedQuality), \(r.estimatedOutputs)\n"
            if let why = r.whyThisWorks { out += "  \(why)\n" }
            out += "  \(r.scaleValidation)\n"
            for w in r.warnings { out += "  warning: \(w)\n" }
            out += "\n" + r.codeTemplate + (r.codeTemplate.hasSuffix("\n") ? "" : "\n")
        } else {
            out += "No feasible plan: \(infeasibleReason ?? "")\n"
            if let c = cheapestPlan {
                out += "Closest: \(c.strategyName) — \(c.estimatedCost), \(c.estimatedLatency), \(c.estimatedOutputs)\n\n"
                out += c.codeTemplate + (c.codeTemplate.hasSuffix("\n") ? "" : "\n")
            }
        }
        for a in alternatives { out += "\nAlternative: \(a.strategyName) — \(a.tradeoffs ?? ""); \(a.whenToChoose ?? "")" }
        for c in creativeOptions { out += "\nCreative: \(c.strategyName) (\(c.riskLevel ?? "")) — \(c.whyCreative ?? "")" }
        if !alternatives.isEmpty || !creativeOptions.isEmpty { out += "\n" }
        for r in recommendations { out += "\n• \(r)" }
        return out + (recommendations.isEmpty ? "" : "\n")
    }
}

extension ClarifyResult {
    /// The result for a person.
    public func text() -> String {
        var out = isClear ? "The request is clear enough to plan.\n" : "The request leaves \(ambiguities.count) thing\(ambiguities.count == 1 ? "" : "s") open:\n"
        for (i, c) in recommendedClarifications.enumerated() {
            out += "\n\(i + 1). \(c.question)\n   why: \(c.whyItMatters)\n   if unanswered: \(c.defaultAssumed)\n   answer as: \(c.key): …\n"
        }
        if !assumptions.isEmpty { out += "\nAssumed so far:\n" + assumptions.map { "  - \($0)\n" }.joined() }
        return out
    }
}
