import Foundation

/// The planner's answer: the original `plan_strategy` schema (reference §6) with every estimate
/// simulated, plus the numbers behind each string. `json()` is exactly what `rlm-plan suggest
/// --json` prints (snake_case, sorted keys, same inputs → same bytes).
public struct StrategyPlan: Codable, Sendable, Equatable {
    /// False when no candidate meets the constraints and the outputs required; `infeasibleReason`
    /// says why and `cheapestPlan` shows what it would take.
    public var feasible: Bool
    public var infeasibleReason: String?
    public var recommended: StrategyOption?
    /// The next two by the priority.
    public var alternatives: [StrategyOption]
    /// One or two different compositions worth trying.
    public var creativeOptions: [StrategyOption]
    /// When infeasible: the cheapest candidate that produces the outputs required, with what it breaks.
    public var cheapestPlan: StrategyOption?
    /// Advice in sentences.
    public var recommendations: [String]
    /// Every candidate simulated, best first by the priority (the table the CLI prints).
    public var candidates: [CandidateRow]
    /// Pilot runs, when asked for.
    public var pilot: PilotReport?
    public var meta: PlanMeta

    enum CodingKeys: String, CodingKey {
        case feasible, infeasibleReason = "infeasible_reason", recommended, alternatives
        case creativeOptions = "creative_options", cheapestPlan = "cheapest_plan", recommendations, candidates, pilot
        case meta = "_meta"
    }

    /// The plan as the CLI's `--json` prints it.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// p5 / p50 / p95 of a simulated figure.
public struct Percentiles: Codable, Sendable, Equatable {
    public var p5: Double
    public var p50: Double
    public var p95: Double
}

/// A combinator a strategy uses and what for.
public struct CombinatorUse: Codable, Sendable, Equatable {
    public var combinator: String
    public var purpose: String
}

/// One strategy: runnable code, the original's descriptive fields, and the simulated numbers.
public struct StrategyOption: Codable, Sendable, Equatable {
    public var strategyName: String
    /// The library pattern it instantiates.
    public var pattern: String
    /// `economy`, `standard` or `premium` (nil for a pattern without model parameters).
    public var tier: String?
    /// Role → model.
    public var models: [String: String]
    public var combinators: [CombinatorUse]
    /// The pattern with its parameters set; runs as-is with `context` holding the data.
    public var codeTemplate: String
    public var description: String
    /// "$p5-p95".
    public var estimatedCost: String
    /// "p5s-p95s".
    public var estimatedLatency: String
    /// low, medium, high, very-high.
    public var estimatedQuality: String
    /// The quality estimate behind the label (0–1): the pattern's prior adjusted for the models.
    public var qualityScore: Double
    public var estimatedOutputs: String
    public var coverageAchieved: String
    public var scaleValidation: String
    public var whyThisWorks: String?
    public var tradeoffs: String?
    public var whenToChoose: String?
    public var riskLevel: String?
    public var potentialUpside: String?
    public var whyCreative: String?
    public var whenToTry: String?
    public var costUSD: Percentiles
    public var latencyS: Percentiles
    /// Medians over the Monte Carlo runs.
    public var calls: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// Outputs of the worst simulated run.
    public var outputs: Int
    /// Monte Carlo runs behind the figures at full scale (0: only screened on a sample, see docs/planner.md).
    public var simulatedRuns: Int
    /// What the figures rest on: "full scale (200 papers), 5 runs" or the screening sample and its factor.
    public var simulatedOn: String
    /// Meets the constraints, outputs and coverage.
    public var feasible: Bool
    /// What it breaks, when not feasible.
    public var violations: [String]
    /// The simulation's warnings (rate limits, context windows, unknown prices).
    public var warnings: [String]
    /// `library`, or `llm` for a composition a model proposed.
    public var origin: String

    enum CodingKeys: String, CodingKey {
        case strategyName = "strategy_name", pattern, tier, models, combinators, codeTemplate = "code_template", description
        case estimatedCost = "estimated_cost", estimatedLatency = "estimated_latency", estimatedQuality = "estimated_quality"
        case qualityScore = "quality_score", estimatedOutputs = "estimated_outputs", coverageAchieved = "coverage_achieved"
        case scaleValidation = "scale_validation", whyThisWorks = "why_this_works", tradeoffs, whenToChoose = "when_to_choose"
        case riskLevel = "risk_level", potentialUpside = "potential_upside", whyCreative = "why_creative", whenToTry = "when_to_try"
        case costUSD = "cost_usd", latencyS = "latency_s", calls, inputTokens = "input_tokens", outputTokens = "output_tokens"
        case outputs, simulatedRuns = "simulated_runs", simulatedOn = "simulated_on", feasible, violations, warnings, origin
    }
}

/// One line of the ranked table.
public struct CandidateRow: Codable, Sendable, Equatable {
    public var rank: Int
    public var strategyName: String
    public var costUSD: Percentiles
    public var latencyS: Percentiles
    public var outputs: Int
    public var qualityScore: Double
    public var estimatedQuality: String
    public var simulatedRuns: Int
    /// What the figures rest on (as `StrategyOption.simulatedOn`).
    public var simulatedOn: String
    public var feasible: Bool
    /// On the cost / latency / quality Pareto front of all candidates.
    public var paretoOptimal: Bool
    /// Why it ranks where it does (or what it breaks).
    public var why: String

    enum CodingKeys: String, CodingKey {
        case rank, strategyName = "strategy_name", costUSD = "cost_usd", latencyS = "latency_s", outputs
        case qualityScore = "quality_score", estimatedQuality = "estimated_quality", simulatedRuns = "simulated_runs", simulatedOn = "simulated_on", feasible
        case paretoOptimal = "pareto_optimal", why
    }
}

/// How a plan was made.
public struct PlanMeta: Codable, Sendable, Equatable {
    /// Always `rlm-plan simulation` (no model decides; `--llm` adds proposals only).
    public var planner: String
    /// The task, cut to 100 characters.
    public var taskAnalyzed: String
    public var profile: TaskProfile
    /// What the planner assumed because the request did not say.
    public var assumptions: [String]
    public var seed: UInt64
    public var runsPerCandidate: Int
    /// How the candidates were simulated (screening sample, full-scale runs), in words.
    public var search: String
    /// The price table's source and date.
    public var priceSnapshot: String
    /// Candidates instantiated (patterns × model tiers, plus proposals) and simulated.
    public var candidatesConsidered: Int
    /// Pattern files left out, with why.
    public var patternProblems: [String]
    /// Patterns not simulated because they cannot deliver what the profile requires, with why.
    public var patternsSkipped: [String]
    /// What `finalize`'s answers changed (nil for `plan`).
    public var clarificationsIncorporated: [String]?
    /// Dollars spent on planning itself (pilot runs, `--llm`); 0 when simulated only.
    public var planningCostUSD: Double
    /// What `--llm` proposed and what became of each proposal (nil without `--llm`).
    public var llmProposals: [LLMProposal]?

    enum CodingKeys: String, CodingKey {
        case planner, taskAnalyzed = "task_analyzed", profile, assumptions, seed, runsPerCandidate = "runs_per_candidate", search
        case priceSnapshot = "price_snapshot", candidatesConsidered = "candidates_considered"
        case patternProblems = "pattern_problems", patternsSkipped = "patterns_skipped", clarificationsIncorporated = "clarifications_incorporated"
        case planningCostUSD = "planning_cost_usd", llmProposals = "llm_proposals"
    }
}

/// One program the LLM mode received: accepted as is, repaired once, or dropped (and why).
public struct LLMProposal: Codable, Sendable, Equatable {
    public var name: String
    /// `accepted`, `repaired` or `dropped`.
    public var status: String
    public var reason: String?
}

/// Pilot runs: what the sample cost, and how each estimate moved after calibrating on it.
public struct PilotReport: Codable, Sendable, Equatable {
    public struct Run: Codable, Sendable, Equatable {
        public var strategyName: String
        public var items: Int
        public var status: String
        public var error: String?
        public var calls: Int
        public var costUSD: Double
        public var elapsedS: Double
        public var outputs: Int
        /// Full-scale p50 cost and latency before and after calibration.
        public var costBefore: Percentiles
        public var costAfter: Percentiles
        public var latencyBefore: Percentiles
        public var latencyAfter: Percentiles

        enum CodingKeys: String, CodingKey {
            case strategyName = "strategy_name", items, status, error, calls, costUSD = "cost_usd", elapsedS = "elapsed_s", outputs
            case costBefore = "cost_before", costAfter = "cost_after", latencyBefore = "latency_before", latencyAfter = "latency_after"
        }
    }
    public var items: Int
    public var costUSD: Double
    public var calibratedModels: [String]
    public var runs: [Run]

    enum CodingKeys: String, CodingKey { case items, costUSD = "cost_usd", calibratedModels = "calibrated_models", runs }
}

/// `clarify`'s answer: whether the request is clear enough to plan, and what to ask if not.
public struct ClarifyResult: Codable, Sendable, Equatable {
    public struct Ambiguity: Codable, Sendable, Equatable {
        /// `item_count`, `item_size`, `scope`, `output_format`, `kind`, `budget`, `constraint`.
        public var field: String
        public var issue: String
    }
    public struct Clarification: Codable, Sendable, Equatable {
        /// The key a `key: value` answer uses (`items`, `size`, `outputs`, `format`, `budget`, …).
        public var key: String
        public var question: String
        public var whyItMatters: String
        public var defaultAssumed: String

        enum CodingKeys: String, CodingKey { case key, question, whyItMatters = "why_it_matters", defaultAssumed = "default_assumed" }
    }
    public var isClear: Bool
    public var ambiguities: [Ambiguity]
    public var recommendedClarifications: [Clarification]
    public var profile: TaskProfile
    public var assumptions: [String]

    enum CodingKeys: String, CodingKey {
        case isClear = "is_clear", ambiguities, recommendedClarifications = "recommended_clarifications", profile, assumptions
    }

    /// The result as `rlm-plan clarify --json` prints it.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
