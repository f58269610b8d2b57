import Foundation
import Simulator
import Sandbox

/// One strategy to simulate: a pattern instantiated for the profile with one tier of models.
struct Candidate {
    var pattern: Pattern
    var tier: ModelPool.Tier?
    /// The parameter values written into the code.
    var values: [String: String]
    var code: String
    /// `library` or `llm`.
    var origin: String

    /// `fan-out (economy)`, or the pattern's name when it has no model parameter.
    var name: String { tier.map { "\(pattern.name) (\($0.name))" } ?? pattern.name }

    /// Role → model, for the models the code uses.
    var models: [String: String] {
        var out: [String: String] = [:]
        for p in pattern.modelParameters { if let role = p.role { out[role] = values[p.name] ?? p.defaultValue } }
        return out
    }
}

/// Instantiates the library's patterns for a profile.
enum CandidateGenerator {
    /// Room a single call must leave for its answer (tokens).
    static let answerRoom = 4_096

    /// The candidates for `profile`, in a fixed order (pattern name, then tier).
    static func candidates(library: PatternLibrary, profile: TaskProfile, task: String, pool: ModelPool) throws -> [Candidate] {
        var skipped: [String] = []
        return try candidates(library: library, profile: profile, task: task, pool: pool, skipped: &skipped)
    }

    /// The candidates, and in `skipped` the patterns left out because they cannot deliver what the
    /// profile requires (a single answer when several outputs are required).
    static func candidates(library: PatternLibrary, profile: TaskProfile, task: String, pool: ModelPool,
                           skipped: inout [String]) throws -> [Candidate] {
        let tiers = pool.tiers(allowed: profile.allowedModels, excluded: profile.excludedModels)
        guard !tiers.isEmpty else {
            throw PlannerError("no model is left to plan with: the constraints allow \(profile.allowedModels?.joined(separator: ", ") ?? "any") and exclude \(profile.excludedModels.joined(separator: ", "))")
        }
        var patterns = library.list().filter { p in p.kinds.isEmpty || p.kinds.contains { TaskKind.matches($0, profile.kind) } }
        if patterns.isEmpty { patterns = library.list() }
        if library.get(BuiltinPatterns.singleCall.name) == nil, let single = BuiltinPatterns.singleCallPattern {
            patterns.append(single)
        }
        var out: [Candidate] = []
        for pattern in patterns.sorted(by: { $0.name < $1.name }) {
            if pattern.outputs == .single && profile.requiredOutputs > 1 {
                skipped.append("\(pattern.name): returns one answer, \(profile.requiredOutputs) outputs required")
                continue
            }
            let variants: [ModelPool.Tier?] = pattern.modelParameters.isEmpty ? [nil] : tiers.map { $0 }
            for tier in variants {
                var values: [String: String] = [:]
                if pattern.parameter("task") != nil { values["task"] = task }
                for p in pattern.modelParameters {
                    guard let role = p.role, let tier else { continue }
                    values[p.name] = tier.model(forRole: role)
                }
                if pattern.outputs == .single && pattern.name == BuiltinPatterns.singleCall.name {
                    // A single call only when all the data fits the model's window with room to answer.
                    // The model parameter's value (not any value: a dictionary's order changes from one process to the next).
                    let model = pattern.modelParameters.first.flatMap { values[$0.name] ?? $0.defaultValue } ?? "gpt-4o"
                    guard profile.totalTokens + answerRoom < pool.window(model) else { continue }
                }
                out.append(Candidate(pattern: pattern, tier: tier, values: values, code: try pattern.instantiate(values), origin: "library"))
            }
        }
        return out
    }
}

/// Patterns the planner always has, whatever the library holds.
enum BuiltinPatterns {
    /// One call over all the data: the baseline every orchestration must beat.
    static let singleCall = (name: "single-call", source: #"""
    ;; pattern: single-call
    ;; title: One call over all the data
    ;; purpose: Send all the data to one model in one prompt and take its answer.
    ;; combinators: llm-query
    ;; kinds: any
    ;; outputs: single
    ;; quality: 0.60 | one pass sees everything at once, but attention thins over long inputs and nothing is cross-checked
    ;; fits: data that fits the model's context window with room to answer; one answer wanted
    ;; avoid: data near or over the context window; one output per item
    ;; param model: gpt-4o | the model (role: strong)
    ;; param task: Answer the task over the data | what to do with the data
    (define model "gpt-4o")
    (define task "Answer the task over the data")
    (finish (syntax-e (llm-query #:instruction task #:data context #:model model)))
    """#)

    /// Parsed once; a parse failure is a build defect that `PatternTests` catches.
    static let singleCallPattern: Pattern? = try? PatternParser.parse(singleCall.source, file: "single-call (built in)")
}
