import Foundation
import Sandbox
import Simulator

/// The optional LLM mode: a model proposes creative compositions given the combinator reference
/// and the template contract. Each proposal is parsed and simulated; a proposal that fails is
/// sent back once with its error for repair, and dropped if it fails again. Its numbers are never
/// the model's: the planner simulates every proposal like a library candidate.
enum LLMComposer {
    struct Result {
        var candidates: [Candidate] = []
        var reports: [LLMProposal] = []
        /// Dollars the model calls cost.
        var cost: Double = 0
    }

    static let maxProposals = 2

    static func propose(request: PlanRequest, profile: TaskProfile, pool: ModelPool, settings: LLMSettings,
                        simulator: CandidateSimulator, cancelled: CancellationFlag) throws -> Result {
        var result = Result()
        let gateway: ModelGateway
        do { gateway = try settings.makeGateway() } catch { throw PlannerError("--llm: cannot reach a provider: \(error)") }
        let session = SandboxSession(storePath: ":memory:", gateway: gateway)
        let tier = pool.tiers(allowed: profile.allowedModels, excluded: profile.excludedModels).dropFirst().first
            ?? pool.tiers(allowed: profile.allowedModels, excluded: profile.excludedModels).first
        let reply = try ask(session, model: settings.model, instruction: instruction(), data: brief(request, profile: profile, tier: tier))
        for (index, block) in fencedBlocks(reply).prefix(maxProposals).enumerated() {
            try cancelled.check()
            let name = "llm-\(index + 1)"
            switch check(block, name: name, task: request.taskDescription, tier: tier, simulator: simulator) {
            case .success(let candidate):
                result.candidates.append(candidate)
                result.reports.append(LLMProposal(name: candidate.pattern.name, status: "accepted", reason: nil))
            case .failure(let first):
                let repairData = "The program:\n\n```scheme\n\(block)\n```\n\nfailed: \(first.description)"
                let repaired = try ask(session, model: settings.model, instruction: repairInstruction, data: repairData)
                guard let fixed = fencedBlocks(repaired).first else {
                    result.reports.append(LLMProposal(name: name, status: "dropped", reason: "\(first.description); the repair had no program"))
                    continue
                }
                switch check(fixed, name: name, task: request.taskDescription, tier: tier, simulator: simulator) {
                case .success(let candidate):
                    result.candidates.append(candidate)
                    result.reports.append(LLMProposal(name: candidate.pattern.name, status: "repaired", reason: first.description))
                case .failure(let second):
                    result.reports.append(LLMProposal(name: name, status: "dropped", reason: second.description))
                }
            }
        }
        if result.reports.isEmpty { result.reports.append(LLMProposal(name: "llm", status: "dropped", reason: "the reply held no ```scheme block")) }
        result.cost = session.callRecords.reduce(0) { $0 + ($1.cost ?? 0) }
        return result
    }

    /// One model call through the sandbox (so the call is budgeted, recorded and priced like any).
    static func ask(_ session: SandboxSession, model: String, instruction: String, data: String) throws -> String {
        let code = "(finish (syntax-e (llm-query #:instruction \(SchemeText.stringLiteral(instruction)) #:data \(SchemeText.stringLiteral(data)) #:model \(SchemeText.stringLiteral(model)) #:max-tokens 4000)))"
        let result = session.eval(code, sourceName: "llm-mode")
        guard result.status == .finished else {
            throw PlannerError("--llm: the model call failed: \(result.error?.message ?? "no answer")")
        }
        return result.result
    }

    /// Parses the proposal (a generated header when it has none), instantiates its model roles
    /// for the tier, and simulates it once: it must finish and return outputs.
    static func check(_ code: String, name: String, task: String, tier: ModelPool.Tier?, simulator: CandidateSimulator) -> Swift.Result<Candidate, PlannerError> {
        let source = code.hasPrefix(";; pattern:") ? code : defaultHeader(name: name) + code
        let pattern: Pattern
        do { pattern = try PatternParser.parse(source, file: name) } catch let e as PlannerError { return .failure(e) } catch {
            return .failure(PlannerError("\(error)"))
        }
        var values: [String: String] = [:]
        if pattern.parameter("task") != nil { values["task"] = task }
        if let tier { for p in pattern.modelParameters { if let role = p.role { values[p.name] = tier.model(forRole: role) } } }
        let instantiated: String
        do { instantiated = try pattern.instantiate(values) } catch let e as PlannerError { return .failure(e) } catch {
            return .failure(PlannerError("\(error)"))
        }
        let candidate = Candidate(pattern: pattern, tier: pattern.modelParameters.isEmpty ? nil : tier, values: values,
                                  code: instantiated, origin: "llm")
        let estimate: CandidateEstimate
        do { estimate = try simulator.screen(candidate) } catch { return .failure(PlannerError("simulation: \(error)")) }
        if estimate.failedRuns > 0 { return .failure(PlannerError("simulation: \(estimate.firstError ?? "error")")) }
        if estimate.outputs == 0 { return .failure(PlannerError("simulation: the finish value carries no outputs (a list, or a hash with items)")) }
        return .success(candidate)
    }

    static func defaultHeader(name: String) -> String {
        """
        ;; pattern: \(name)
        ;; title: Proposed composition \(name)
        ;; purpose: A composition proposed by the LLM mode.
        ;; combinators: (unspecified)
        ;; outputs: per-item
        ;; quality: 0.70 | untested proposal; prior of a plain fan-out

        """
    }

    /// The contents of each ```scheme (or ```racket, or bare ```) block.
    static func fencedBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if current == nil, t.hasPrefix("```"), ["", "scheme", "racket", "scm"].contains(t.dropFirst(3).lowercased()) {
                current = []
            } else if current != nil, t == "```" {
                blocks.append((current ?? []).joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    static func instruction() -> String {
        """
        You design orchestration strategies for the rlm-plan Scheme sandbox (Racket-flavoured Scheme). \
        Propose up to \(maxProposals) creative compositions for the task below, each in its own ```scheme block. \
        Each program must follow the template contract: start with a header of `;; key: value` lines \
        (pattern, title, purpose, combinators, kinds, outputs (per-item, per-item+synthesis or single), \
        quality: 0.NN | reason, fits, avoid, and `;; param NAME: DEFAULT | description (role: worker|synthesiser|critic|judge)` \
        for each model and for `task`), with one top-level (define NAME DEFAULT) per param; take its items \
        with (context-items); end with (finish VALUE) where VALUE is the list of per-item results, or \
        (hash 'items LIST 'synthesis STRING), or one string for a single answer. Replies of llm-query are \
        syntax objects: unwrap with syntax-e. Available: llm-query, llm-query-async, map-async \
        (#:max-concurrent), await, and the combinators: \(CombinatorPurpose.table.keys.sorted().joined(separator: ", ")). \
        No file, network or Python access.
        """
    }

    static let repairInstruction = """
        The Scheme program below failed in the rlm-plan sandbox. Return the corrected program, whole, in one ```scheme block, \
        keeping its `;;` header and its (define …) parameters.
        """

    static func brief(_ request: PlanRequest, profile: TaskProfile, tier: ModelPool.Tier?) -> String {
        var lines = ["Task: \(request.taskDescription)",
                     "Data: \(profile.items) \(profile.itemNoun)s of about \(profile.tokensPerItem) tokens each",
                     "Outputs required: \(profile.requiredOutputs)", "Priority: \(profile.priority)"]
        if let c = profile.maxCostUSD { lines.append("Budget: $\(c)") }
        if let l = profile.maxLatencySeconds { lines.append("Time limit: \(Int(l)) s") }
        if let tier { lines.append("Models: worker \(tier.worker), synthesiser \(tier.strong)") }
        return lines.joined(separator: "\n")
    }
}
