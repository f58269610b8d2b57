import Foundation
import Simulator

/// `clarify`: what the request leaves open that would change the plan, as questions with the
/// default the planner assumes when they stay unanswered.
enum Clarifier {
    static func clarify(_ request: PlanRequest, options: PlanOptions, cancelled: CancellationFlag) throws -> ClarifyResult {
        var quick = options
        quick.runs = min(options.runs, 2)
        quick.progress = options.progress
        let builder = PlanBuilder(request: request, options: quick, cancelled: cancelled)
        let (profiled, scored, _) = try builder.simulate()
        let p = profiled.profile
        var ambiguities: [ClarifyResult.Ambiguity] = []
        var questions: [ClarifyResult.Clarification] = []
        func ask(_ field: String, _ issue: String, key: String, _ question: String, why: String, assumed: String) {
            ambiguities.append(.init(field: field, issue: issue))
            questions.append(.init(key: key, question: question, whyItMatters: why, defaultAssumed: assumed))
        }
        let noun = p.itemNoun
        for unknown in TaskProfiler.Unknown.allCases where profiled.unknowns.contains(unknown) {
            switch unknown {
            case .itemCount:
                ask("item_count", "the number of \(noun)s is not given", key: "items",
                    "How many \(noun)s are there?",
                    why: "cost and latency grow with the number of \(noun)s, and a per-\(noun) plan promises one output each",
                    assumed: "\(p.items) \(noun)s")
            case .itemSize:
                ask("item_size", "the size of a \(noun) is not given", key: "size",
                    "About how large is one \(noun) (characters, KB or tokens)?",
                    why: "prompt tokens are most of the cost, and whether the data fits one call depends on them",
                    assumed: "\(p.charsPerItem) characters (about \(p.tokensPerItem) tokens) per \(noun)")
            case .scope:
                ask("scope", "vague scope words leave the number of outputs open", key: "coverage",
                    "Should every \(noun) be processed, or only some (how many, or what share)?",
                    why: "under-producing outputs is failure, over-producing wastes money; the plan is sized to the answer",
                    assumed: "all \(p.items) \(noun)s, one output each")
            case .outputFormat:
                ask("output_format", "the output format is not given", key: "format",
                    "What should each output look like (JSON fields, API docs, Markdown, a table)?",
                    why: "the format sets reply length (output tokens) and the instruction each call gets",
                    assumed: "free text")
            case .kind:
                ask("kind", "the kind of task is not recognised", key: "task",
                    "What should be done with each \(noun): extract, summarise, classify, compare, translate, answer questions?",
                    why: "the kind decides which strategies fit (per-item map, one synthesis, voting…)",
                    assumed: "general analysis, one output per \(noun)")
            }
        }
        for clause in profiled.unreadConstraints {
            ask("constraint", "the constraint \"\(clause)\" was not understood", key: "constraints",
                "Can you restate \"\(clause)\" as a budget (under $N), a time limit (within N minutes) or models (only MODEL)?",
                why: "a limit the planner cannot read is ignored, so the plan may break it",
                assumed: "ignored")
        }
        // A budget the simulation shows is too small for the scale.
        if let budget = p.maxCostUSD {
            let producing = scored.filter { s in s.estimate.failedRuns == 0 && !s.violations.contains { $0.hasPrefix("produces") || $0.hasPrefix("covers") } }
            if !producing.isEmpty, !producing.contains(where: { $0.estimate.cost.p95 <= budget }),
               let cheapest = producing.min(by: { $0.estimate.cost.p95 < $1.estimate.cost.p95 }) {
                ask("budget", "the simulated cheapest plan for this scale costs \(Format.money(cheapest.estimate.cost.p95)) at p95, over the \(Format.money(budget)) budget",
                    key: "budget", "Can the budget rise to \(Format.money(cheapest.estimate.cost.p95)), or should fewer \(noun)s be processed?",
                    why: "no strategy simulated covers \(p.items) \(noun)s within \(Format.money(budget))",
                    assumed: "the budget stands, and the plan is reported infeasible")
            }
        }
        return ClarifyResult(isClear: ambiguities.isEmpty, ambiguities: ambiguities, recommendedClarifications: questions,
                             profile: p, assumptions: profiled.assumptions)
    }
}
