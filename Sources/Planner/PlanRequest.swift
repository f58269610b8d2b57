import Foundation
import Sandbox
import Simulator

/// What a user asks the planner: the original `plan_strategy`'s seven inputs (reference §6), the
/// real data when at hand, and answers to clarifying questions. Encodes with snake_case keys.
///
///     let plan = try await Planner.plan(PlanRequest(
///         taskDescription: "Analyze 200 research papers for antimicrobial resistance genes",
///         dataCharacteristics: "~5KB per paper, 1MB total", priority: "balanced"))
public struct PlanRequest: Codable, Sendable, Equatable {
    /// What the strategy must do, in plain words.
    public var taskDescription: String
    /// The data's shape in words: "~5KB per paper, 1MB total", "500 Python files", "one 900KB document".
    public var dataCharacteristics: String?
    /// Limits in words: "under $2", "within 5 minutes", "only gpt-4o-mini".
    public var constraints: String?
    /// `speed`, `cost`, `quality` or `balanced` (default).
    public var priority: String?
    /// `minimal`, `small`, `medium`, `large` or `comprehensive` (how many outputs).
    public var scale: String?
    /// The fewest outputs a plan may produce.
    public var minOutputs: Int?
    /// The share of items a plan must cover: "80%", "0.8", "all".
    public var coverageTarget: String?
    /// The real data (what `context` will hold): a JSON array of strings or blank-line paragraphs.
    /// When given, its measured shape replaces `dataCharacteristics`.
    public var context: String?
    /// Answers to `clarify`'s questions: free text or `key: value` lines.
    public var clarifications: String?

    public init(taskDescription: String, dataCharacteristics: String? = nil, constraints: String? = nil,
                priority: String? = nil, scale: String? = nil, minOutputs: Int? = nil, coverageTarget: String? = nil,
                context: String? = nil, clarifications: String? = nil) {
        self.taskDescription = taskDescription
        self.dataCharacteristics = dataCharacteristics
        self.constraints = constraints
        self.priority = priority
        self.scale = scale
        self.minOutputs = minOutputs
        self.coverageTarget = coverageTarget
        self.context = context
        self.clarifications = clarifications
    }

    enum CodingKeys: String, CodingKey {
        case taskDescription = "task_description", dataCharacteristics = "data_characteristics", constraints, priority
        case scale, minOutputs = "min_outputs", coverageTarget = "coverage_target", context, clarifications
    }
}

/// How to plan: Monte Carlo settings, where patterns and models come from, and the optional
/// steps that spend real money (pilot runs, LLM compositions).
public struct PlanOptions: Sendable {
    /// The first seed (candidate simulations and synthetic data derive theirs from it).
    public var seed: UInt64 = 1
    /// Monte Carlo runs per candidate.
    public var runs: Int = 5
    /// The pattern library; nil loads the located `patterns/`.
    public var library: PatternLibrary?
    /// Prices, limits, behaviour and aliases; nil loads the embedded registry with calibration
    /// and `$RLM_MODELS` applied.
    public var registry: ModelRegistrySource?
    /// The rate limits candidates are paced by; nil: those a real run here would meet
    /// (`SimulationOptions.environmentRateLimits`), as `rlm-plan simulate` applies them.
    public var rateLimits: RateLimitResolver?
    /// Run the top candidates for real on a sample before the final estimates.
    public var pilot: PilotSettings?
    /// Ask a model for creative compositions (off by default).
    public var llm: LLMSettings?
    /// Called as candidates are simulated (on any thread).
    public var progress: (@Sendable (PlanProgress) -> Void)?

    public init(seed: UInt64 = 1, runs: Int = 5) {
        self.seed = seed
        self.runs = runs
    }
}

/// Where the planner gets its model registry: a loaded one, or a models file to load.
public enum ModelRegistrySource: Sendable {
    /// The embedded registry with calibration and this file (nil: `$RLM_MODELS`) applied.
    case file(String?)
    /// A registry already loaded.
    case loaded(ModelRegistry)
}

/// How far planning has got.
public struct PlanProgress: Sendable, Equatable {
    /// Candidates simulated so far, of `total`.
    public var done: Int
    public var total: Int
    /// What is being simulated now (`fan-out (economy)`), or the stage (`pilot`).
    public var current: String
}

/// Pilot runs: the top candidates run for real on a sample of the data (needs the real data).
public struct PilotSettings: Sendable {
    /// Items in the sample.
    public var items: Int
    /// How many of the top candidates to run.
    public var candidates: Int
    /// A live gateway (the host's provider, clock and limits); one per candidate run.
    public var makeGateway: @Sendable () throws -> ModelGateway

    public init(items: Int, candidates: Int = 2, makeGateway: @escaping @Sendable () throws -> ModelGateway) {
        self.items = items
        self.candidates = candidates
        self.makeGateway = makeGateway
    }
}

/// The optional LLM mode: a model proposes creative compositions, which are simulated like
/// library candidates (repaired once or dropped).
public struct LLMSettings: Sendable {
    /// The model asked for compositions.
    public var model: String
    /// A live gateway (the host's provider).
    public var makeGateway: @Sendable () throws -> ModelGateway

    public init(model: String = "gpt-4o", makeGateway: @escaping @Sendable () throws -> ModelGateway) {
        self.model = model
        self.makeGateway = makeGateway
    }
}
