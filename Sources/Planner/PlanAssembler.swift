import Foundation
import Simulator

/// Writes the plan: the original schema's descriptive fields from simulated figures.
enum PlanAssembler {
    /// What a plan shows, chosen from the ranked candidates.
    struct Selection {
        var recommended: ScoredCandidate?
        var alternatives: [ScoredCandidate] = []
        var creative: [ScoredCandidate] = []
        /// When nothing is feasible: the cheapest candidate that produces the outputs.
        var cheapest: ScoredCandidate?
    }

    /// The names of what a plan of `ranked` shows with full-scale figures (`all`: the
    /// recommendation, the alternatives, or the cheapest plan when nothing is feasible), and of
    /// those among them that get Monte Carlo runs (the recommendation and the alternatives); the
    /// search simulates these at full scale (`Screening`). Creative options keep their screening
    /// figures: they are shown as experiments, and `simulated_on` says so.
    static func shown(ranked: [ScoredCandidate]) -> (all: [String], monteCarlo: [String]) {
        let s = select(ranked: ranked)
        let mc = ([s.recommended].compactMap { $0 } + s.alternatives).map(\.candidate.name)
        return (mc + [s.cheapest].compactMap { $0 }.map(\.candidate.name), mc)
    }

    static func select(ranked: [ScoredCandidate]) -> Selection {
        var s = Selection()
        let feasible = ranked.filter(\.feasible)
        // The best feasible candidate on the Pareto front of all candidates (ranking keeps this the
        // first feasible one except in rare p50/p95 cross-overs).
        s.recommended = feasible.first(where: \.paretoOptimal) ?? feasible.first
        if let rec = s.recommended {
            let rest = feasible.filter { $0.candidate.name != rec.candidate.name }
            // Prefer other patterns, then other tiers of the same pattern.
            s.alternatives = Array((rest.filter { $0.candidate.pattern.name != rec.candidate.pattern.name }
                                    + rest.filter { $0.candidate.pattern.name == rec.candidate.pattern.name }).prefix(2))
            var seen = Set([rec.candidate.pattern.name] + s.alternatives.map(\.candidate.pattern.name))
            // LLM proposals first, then different patterns: feasible by quality, then the rest on the front.
            let pool = ranked.filter { $0.candidate.origin == "llm" && $0.feasible }
                + feasible.sorted { ($0.effectiveQuality, $1.candidate.name) > ($1.effectiveQuality, $0.candidate.name) }
                + ranked.filter { !$0.feasible && $0.paretoOptimal && $0.estimate.failedRuns == 0 }
            for c in pool where s.creative.count < 2 && !seen.contains(c.candidate.pattern.name) {
                s.creative.append(c)
                seen.insert(c.candidate.pattern.name)
            }
            // A small library may have no pattern left: then another tier of one already shown.
            let shown = Set([rec.candidate.name] + s.alternatives.map(\.candidate.name))
            if s.creative.isEmpty, let other = pool.first(where: { !shown.contains($0.candidate.name) }) { s.creative.append(other) }
        } else {
            let producing = ranked.filter { c in
                c.estimate.failedRuns == 0 && !c.violations.contains { $0.hasPrefix("produces") || $0.hasPrefix("covers") }
            }
            s.cheapest = producing.min { ($0.estimate.cost.p50, $0.candidate.name) < ($1.estimate.cost.p50, $1.candidate.name) }
                ?? ranked.max { ($0.estimate.outputs, $1.candidate.name) < ($1.estimate.outputs, $0.candidate.name) }
        }
        return s
    }

    static func assemble(ranked: [ScoredCandidate], profile: TaskProfile, meta: PlanMeta) -> StrategyPlan {
        let feasible = ranked.filter(\.feasible)
        let selection = select(ranked: ranked)
        let recommended = selection.recommended, alternatives = selection.alternatives, creative = selection.creative
        let cheapest = selection.cheapest
        let reason = recommended == nil ? infeasibleReason(ranked: ranked, cheapest: cheapest, profile: profile) : nil
        let rows = ranked.enumerated().map { i, s in
            CandidateRow(rank: i + 1, strategyName: s.candidate.name, costUSD: percentiles(s.estimate.cost, money: true),
                         latencyS: percentiles(s.estimate.latency, money: false), outputs: s.estimate.outputs,
                         qualityScore: s.quality, estimatedQuality: Ranking.label(s.quality), simulatedRuns: s.estimate.runs,
                         simulatedOn: s.estimate.describe(items: profile.items, noun: profile.itemNoun), feasible: s.feasible,
                         paretoOptimal: s.paretoOptimal,
                         why: s.candidate.name == recommended?.candidate.name ? "recommended: " + whyBest(s, among: feasible.count, profile: profile)
                            : s.feasible ? summary(s, against: recommended) : s.violations.joined(separator: "; "))
        }
        return StrategyPlan(
            feasible: recommended != nil, infeasibleReason: reason,
            recommended: recommended.map { option($0, role: .recommended, reference: nil, feasibleCount: feasible.count, profile: profile) },
            alternatives: alternatives.map { option($0, role: .alternative, reference: recommended, feasibleCount: feasible.count, profile: profile) },
            creativeOptions: creative.map { option($0, role: .creative, reference: recommended, feasibleCount: feasible.count, profile: profile) },
            cheapestPlan: cheapest.map { option($0, role: .cheapest, reference: nil, feasibleCount: 0, profile: profile) },
            recommendations: advice(recommended: recommended, ranked: ranked, profile: profile),
            candidates: rows, pilot: nil, meta: meta)
    }

    enum Role { case recommended, alternative, creative, cheapest }

    static func option(_ s: ScoredCandidate, role: Role, reference: ScoredCandidate?, feasibleCount: Int, profile: TaskProfile) -> StrategyOption {
        let c = s.candidate, e = s.estimate, p = c.pattern
        let modelText = c.models.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var option = StrategyOption(
            strategyName: c.name, pattern: p.name, tier: c.tier?.name, models: c.models,
            combinators: p.combinators.map { CombinatorUse(combinator: $0, purpose: CombinatorPurpose.of($0)) },
            codeTemplate: c.code,
            description: p.purpose + (modelText.isEmpty ? "" : " Models: \(modelText)."),
            estimatedCost: Format.moneyRange(e.cost.p5, e.cost.p95),
            estimatedLatency: Format.secondsRange(e.latency.p5, e.latency.p95),
            estimatedQuality: Ranking.label(s.quality), qualityScore: s.quality,
            estimatedOutputs: outputsText(s, profile: profile),
            coverageAchieved: "\(Format.percent(s.coverage)) of \(profile.items) \(profile.itemNoun)s",
            scaleValidation: scaleValidation(s, profile: profile),
            costUSD: percentiles(e.cost, money: true), latencyS: percentiles(e.latency, money: false),
            calls: Int(e.calls.rounded()), inputTokens: Int(e.inputTokens.rounded()), outputTokens: Int(e.outputTokens.rounded()),
            outputs: e.outputs, simulatedRuns: e.runs,
            simulatedOn: e.describe(items: profile.items, noun: profile.itemNoun), feasible: s.feasible, violations: s.violations, warnings: e.warnings, origin: c.origin)
        switch role {
        case .recommended:
            option.whyThisWorks = whyBest(s, among: feasibleCount, profile: profile) + ". " + p.qualityReason.capitalisedSentence
        case .alternative:
            option.tradeoffs = reference.map { summary(s, against: $0) }
            option.whenToChoose = whenToChoose(s, against: reference) + (p.fits.isEmpty ? "" : "; fits \(p.fits)")
        case .creative:
            option.riskLevel = c.origin == "llm" ? "untested" : "experimental"
            option.potentialUpside = p.qualityReason.isEmpty ? "a different trade-off" : p.qualityReason
            option.whyCreative = "a different composition (\(p.combinators.joined(separator: ", "))) from the recommended one"
            option.whenToTry = p.fits.isEmpty ? "when the recommended plan's output disappoints" : "when the data has \(p.fits)"
        case .cheapest:
            option.tradeoffs = "breaks: " + s.violations.joined(separator: "; ")
        }
        return option
    }

    static func percentiles(_ d: Distribution, money: Bool) -> Percentiles {
        func r(_ x: Double) -> Double { money ? Format.dollars(x) : Format.secs(x) }
        return Percentiles(p5: r(d.p5), p50: r(d.p50), p95: r(d.p95))
    }

    static func outputsText(_ s: ScoredCandidate, profile: TaskProfile) -> String {
        switch s.candidate.pattern.outputs {
        case .single: return "\(s.estimate.outputs) (one answer)"
        case .perItem: return "\(s.estimate.outputs) (one per \(profile.itemNoun))"
        case .perItemWithSynthesis: return "\(s.estimate.outputs) (one per \(profile.itemNoun)) plus a synthesis"
        }
    }

    static func scaleValidation(_ s: ScoredCandidate, profile: TaskProfile) -> String {
        let needed = profile.outputsNeeded(perItem: s.candidate.pattern.outputs != .single)
        var parts = ["\(s.estimate.outputs >= needed ? "✓" : "✗") \(s.estimate.outputs) outputs for \(needed) required"]
        parts.append("\(s.coverage + 1e-9 >= profile.coverageTarget ? "✓" : "✗") covers \(Format.percent(s.coverage)) (target \(Format.percent(profile.coverageTarget)))")
        if let max = profile.maxCostUSD { parts.append("\(s.estimate.cost.p95 <= max ? "✓" : "✗") p95 cost \(Format.money(s.estimate.cost.p95)) (budget \(Format.money(max)))") }
        if let max = profile.maxLatencySeconds { parts.append("\(s.estimate.latency.p95 <= max ? "✓" : "✗") p95 latency \(Format.seconds(s.estimate.latency.p95)) (limit \(Format.seconds(max)))") }
        parts.append("simulated: " + s.estimate.describe(items: profile.items, noun: profile.itemNoun))
        return parts.joined(separator: "; ")
    }

    static func whyBest(_ s: ScoredCandidate, among n: Int, profile: TaskProfile) -> String {
        let of = "of the \(n) candidate\(n == 1 ? "" : "s") that meet the requirements"
        switch profile.priority {
        case "cost": return "cheapest \(of) (p50 \(Format.money(s.estimate.cost.p50)))"
        case "speed": return "fastest \(of) (p50 \(Format.seconds(s.estimate.latency.p50)))"
        case "quality": return "highest quality \(of) (\(Ranking.label(s.quality)), p50 \(Format.money(s.estimate.cost.p50)))"
        default: return "best balance of cost, latency and quality \(of) (p50 \(Format.money(s.estimate.cost.p50)), \(Format.seconds(s.estimate.latency.p50)), \(Ranking.label(s.quality)))"
        }
    }

    /// "+$0.10 p50 cost (×1.5), 12s faster, quality high vs medium".
    static func summary(_ s: ScoredCandidate, against r: ScoredCandidate?) -> String {
        guard let r else { return "" }
        let dc = s.estimate.cost.p50 - r.estimate.cost.p50, dl = s.estimate.latency.p50 - r.estimate.latency.p50
        var parts: [String] = []
        parts.append(dc >= 0 ? "+\(Format.money(dc)) p50 cost" : "\(Format.money(-dc)) cheaper at p50")
        parts.append(dl >= 0 ? "\(Format.seconds(dl)) slower" : "\(Format.seconds(-dl)) faster")
        parts.append("quality \(Ranking.label(s.quality)) vs \(Ranking.label(r.quality))")
        return parts.joined(separator: ", ")
    }

    static func whenToChoose(_ s: ScoredCandidate, against r: ScoredCandidate?) -> String {
        guard let r else { return "when its trade-off suits you" }
        if s.quality > r.quality { return "when quality matters more than \(s.estimate.cost.p50 > r.estimate.cost.p50 ? "cost" : "speed")" }
        if s.estimate.cost.p50 < r.estimate.cost.p50 { return "when cost matters most" }
        if s.estimate.latency.p50 < r.estimate.latency.p50 { return "when speed matters most" }
        return "when its composition suits the data better"
    }

    static func infeasibleReason(ranked: [ScoredCandidate], cheapest: ScoredCandidate?, profile: TaskProfile) -> String {
        var reason = "none of the \(ranked.count) candidates meets the requirements"
        if let c = cheapest {
            reason += "; the cheapest that comes closest, \(c.candidate.name), " + c.violations.joined(separator: "; ")
            if let max = profile.maxCostUSD, c.estimate.cost.p95 > max {
                reason += " — a budget of \(Format.money(c.estimate.cost.p95)) would allow it"
            }
            if let max = profile.maxLatencySeconds, c.estimate.latency.p95 > max {
                reason += " — a time limit of \(Format.seconds(c.estimate.latency.p95)) would allow it"
            }
        }
        return reason
    }

    static func advice(recommended: ScoredCandidate?, ranked: [ScoredCandidate], profile: TaskProfile) -> [String] {
        var out: [String] = []
        if let r = recommended {
            out.append("Simulate it on your data first: save code_template and run `rlm-plan simulate FILE --context DATA --runs 50`.")
            if profile.dataSource != "context" {
                out.append("Estimates use synthetic data of the described shape; run `rlm-plan suggest --context FILE --pilot 10` to calibrate on real calls.")
            }
            if let budget = profile.maxCostUSD {
                out.append("Guard the run with its budget: `rlm-plan run FILE --max-cost \(String(format: "%.2f", budget))` refuses when the simulated p95 exceeds it.")
            }
            if r.estimate.rateLimitDominant {
                out.append("Rate limits dominate its latency at tier 1; a higher usage tier (simulate --tier tier-2) shortens it.")
            }
        }
        return out
    }
}

/// What each combinator does in a strategy (for the schema's `combinators[].purpose`).
enum CombinatorPurpose {
    static let table: [String: String] = [
        "map-async": "one model call per item, in parallel, results in input order",
        "fan-out-aggregate": "parallel calls per item, then one call that merges them",
        "tree-reduce": "merge partial results level by level (log depth)",
        "parallel": "run independent steps at once",
        "race": "take the first of several attempts to finish",
        "sequence": "chain steps left to right",
        "fold-sequential": "carry a running result through the items in order",
        "recursive-spawn": "hand a part to a sub-model with its own sandbox",
        "iterate-until": "repeat until a test passes or the limit is reached",
        "critique-refine": "draft, critique, revise",
        "with-validation": "reject results that fail a check",
        "vote": "majority of several answers",
        "ensemble": "combine several models' answers",
        "tiered": "cheap pass on every item, strong pass on the results",
        "active-learning": "cheap model everywhere, strong model where confidence is low",
        "memoized": "reuse answers to repeated inputs",
        "choose": "pick a branch by a test",
        "try-fallback": "fall back to another strategy on failure",
        "llm-query": "one model call",
        "llm-query-async": "a model call that runs while others proceed",
    ]
    static func of(_ name: String) -> String { table[name] ?? "see docs/combinators.md" }
}

extension String {
    /// The text with its first letter upper-cased and a final full stop.
    var capitalisedSentence: String {
        guard let first else { return "" }
        let s = first.uppercased() + dropFirst()
        return s.hasSuffix(".") ? s : s + "."
    }
}
