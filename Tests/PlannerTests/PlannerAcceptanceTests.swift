import Foundation
import ModelServer
import Sandbox
import Simulator
import Testing
@testable import Planner

/// Issue 10's acceptance, through the library API (the CLI prints the same JSON), with the real
/// pattern library in `patterns/`. Plans are made once per request (`PlanCache`) and checked by
/// several tests.
@Suite("Planner acceptance")
struct PlannerAcceptanceTests {
    static let papers = PlanRequest(taskDescription: "Analyze 200 research papers for antimicrobial resistance genes",
                                    dataCharacteristics: "~5KB per paper, 1MB total", priority: "balanced")

    @Test("papers: every code_template simulates on 200 × 5,000 characters; the recommended one gives 200 outputs; estimates are numbers")
    func papersPlan() async throws {
        let plan = try await PlanCache.shared.plan(Self.papers, runs: 2)
        let recommended = try #require(plan.recommended)
        #expect(plan.feasible)
        #expect(recommended.outputs == 200)
        #expect(recommended.costUSD.p50 > 0 && recommended.costUSD.p5 <= recommended.costUSD.p50 && recommended.costUSD.p50 <= recommended.costUSD.p95)
        #expect(recommended.latencyS.p50 > 0)
        #expect(recommended.estimatedCost.hasPrefix("$"))
        #expect(plan.alternatives.count == 2)
        #expect((1...2).contains(plan.creativeOptions.count))
        #expect(plan.meta.candidatesConsidered >= 30, "the whole library is instantiated")
        var options = SimulationOptions()
        options.context = SyntheticData.items(200, chars: 5_000, seed: 1)
        for option in [recommended] + plan.alternatives + plan.creativeOptions {
            let report = try await Simulation.simulate(program: option.codeTemplate, sourceName: option.strategyName, options: options)
            let run = try #require(report.runs.first)
            #expect(run.status == .finished, "\(option.strategyName): \(run.error ?? "")")
            #expect(run.outputs == option.outputs, "\(option.strategyName)")
        }
    }

    @Test("the recommendation and the alternatives rest on full-scale Monte Carlo runs; screened figures are labelled")
    func shownFiguresAreFullScale() async throws {
        let plan = try await PlanCache.shared.plan(Self.papers, runs: 2)
        let recommended = try #require(plan.recommended)
        for option in [recommended] + plan.alternatives {
            #expect(option.simulatedRuns == plan.meta.runsPerCandidate, "\(option.strategyName)")
            #expect(option.simulatedOn.hasPrefix("full scale"), "\(option.strategyName)")
        }
        for option in plan.creativeOptions { #expect(option.simulatedOn.hasPrefix(option.simulatedRuns == 0 ? "screened" : "full scale")) }
        // Everything else was screened once; the table says which figures are which.
        #expect(plan.candidates.contains { $0.simulatedRuns == 0 && $0.simulatedOn.hasPrefix("screened") })
        #expect(!plan.meta.search.isEmpty)
    }

    @Test("same inputs, same bytes")
    func deterministic() async throws {
        let request = Self.tasks[6]
        let shared = try await PlanCache.shared.plan(request).json()
        let fresh = try await Planner.plan(request, options: try PlannerFixtures.libraryOptions(runs: 1)).json()
        #expect(shared == fresh)
    }

    @Test("clarify on a vague task asks at least two questions; finalize with the answers plans 500 outputs")
    func clarifyThenFinalize() async throws {
        let request = PlanRequest(taskDescription: "Document the large repository")
        let clarity = try await Planner.clarify(request, options: try PlannerFixtures.libraryOptions(runs: 1))
        #expect(!clarity.isClear)
        #expect(clarity.recommendedClarifications.count >= 2)
        #expect(clarity.recommendedClarifications.allSatisfy { !$0.question.isEmpty && !$0.whyItMatters.isEmpty && !$0.defaultAssumed.isEmpty })
        let plan = try await Planner.finalize(request, clarifications: "500 Python files, API docs format, all files",
                                              options: try PlannerFixtures.libraryOptions(runs: 1))
        #expect(plan.recommended?.outputs == 500)
        #expect(plan.meta.profile.items == 500)
        #expect(plan.meta.profile.outputFormat == "API docs")
        let changes = try #require(plan.meta.clarificationsIncorporated)
        #expect(changes.contains { $0.contains("500") })
        #expect(changes.contains { $0.contains("API docs") })
    }

    @Test("a budget no strategy can meet gives feasible: false, the reason, and the cheapest plan that reaches the outputs")
    func infeasible() async throws {
        let request = PlanRequest(taskDescription: "Analyze 200 research papers for antimicrobial resistance genes",
                                  dataCharacteristics: "~5KB per paper", constraints: "under $0.001")
        let plan = try await PlanCache.shared.plan(request, runs: 1)
        #expect(!plan.feasible)
        #expect(plan.recommended == nil)
        #expect(plan.infeasibleReason?.contains("budget") == true)
        let cheapest = try #require(plan.cheapestPlan)
        #expect(cheapest.outputs >= 200)
        #expect(cheapest.violations.contains { $0.contains("budget") })
        #expect(cheapest.simulatedOn.hasPrefix("full scale"))
    }

    /// Eight varied tasks: constraints met, best by priority among the feasible, and every
    /// template returns its promised outputs against a real local server.
    static let tasks: [PlanRequest] = [
        papers,
        PlanRequest(taskDescription: "Classify the sentiment of each customer review", dataCharacteristics: "150 reviews",
                    constraints: "under $1", priority: "cost"),
        PlanRequest(taskDescription: "Summarize the key findings of the report", dataCharacteristics: "one 900KB document", priority: "quality"),
        PlanRequest(taskDescription: "Extract the invoice number and total from each invoice", dataCharacteristics: "120 documents, ~2KB each",
                    constraints: "within 10 minutes", priority: "speed"),
        PlanRequest(taskDescription: "Translate each support article into French", dataCharacteristics: "40 articles of about 3000 characters",
                    constraints: "only gpt-4o-mini", priority: "balanced"),
        PlanRequest(taskDescription: "Write docstrings for the functions in each file", dataCharacteristics: "60 Python files, ~4KB each",
                    priority: "quality", scale: "medium"),
        PlanRequest(taskDescription: "Compare the pricing terms across the vendor contracts", dataCharacteristics: "25 contracts of 6KB",
                    priority: "cost", coverageTarget: "all"),
        PlanRequest(taskDescription: "Extract every adverse event mentioned in the patient notes", dataCharacteristics: "250 notes, ~1KB per note",
                    constraints: "under $5, no gpt-4o", priority: "balanced", minOutputs: 250),
    ]

    /// Task `index`'s plan, shared (the papers with 2 Monte Carlo runs, as the tests above plan it).
    static func plan(_ index: Int) async throws -> StrategyPlan {
        try await PlanCache.shared.plan(tasks[index], runs: index == 0 ? 2 : 1)
    }

    @Test("eight tasks: the recommendation meets the constraints and is the best by the priority among those that do",
          arguments: tasks.indices)
    func recommendationIsBestFeasible(index: Int) async throws {
        let request = Self.tasks[index]
        let plan = try await Self.plan(index)
        let r = try #require(plan.recommended, "\(request.taskDescription): \(plan.infeasibleReason ?? "")")
        let p = plan.meta.profile
        #expect(r.feasible && r.violations.isEmpty)
        if let budget = p.maxCostUSD { #expect(r.costUSD.p95 <= budget) }
        if let limit = p.maxLatencySeconds { #expect(r.latencyS.p95 <= limit) }
        if let allowed = p.allowedModels { #expect(Set(r.models.values).isSubset(of: Set(allowed))) }
        #expect(Set(r.models.values).isDisjoint(with: Set(p.excludedModels)))
        #expect(r.outputs >= p.requiredOutputs)
        let feasible = plan.candidates.filter(\.feasible)
        #expect(feasible.first?.strategyName == r.strategyName)
        let row = try #require(plan.candidates.first { $0.strategyName == r.strategyName })
        #expect(row.paretoOptimal)
        switch p.priority {
        case "cost": #expect(feasible.allSatisfy { $0.costUSD.p50 >= r.costUSD.p50 })
        case "speed": #expect(feasible.allSatisfy { $0.latencyS.p50 >= r.latencyS.p50 })
        case "quality": #expect(feasible.allSatisfy { $0.qualityScore <= r.qualityScore })
        default: break
        }
    }

    @Test("--priority cost never recommends a higher simulated p50 cost than --priority quality", arguments: [3, 4, 5, 6])
    func costNeverAboveQuality(index: Int) async throws {
        var request = Self.tasks[index]
        request.priority = "cost"
        let cheap = try await PlanCache.shared.plan(request)
        request.priority = "quality"
        let good = try await PlanCache.shared.plan(request)
        let c = try #require(cheap.recommended), q = try #require(good.recommended)
        #expect(c.costUSD.p50 <= q.costUSD.p50)
    }

    @Test("each template of a plan runs for real against a local server on at most 50 items and returns the outputs promised",
          arguments: tasks.indices)
    func templatesRunForReal(index: Int) async throws {
        let plan = try await Self.plan(index)
        let p = plan.meta.profile
        let items = min(p.items, 50)
        let context = SyntheticData.items(items, chars: min(p.charsPerItem, 4_000), seed: 3)
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let library = try PlannerFixtures.realLibrary.get()
        for option in [plan.recommended].compactMap({ $0 }) + plan.alternatives + plan.creativeOptions {
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil))
            let session = SandboxSession(storePath: ":memory:",
                                         gateway: ModelGateway(clock: WallClock(), settings: ModelSettings(defaultModel: "gpt-4o-mini")) { provider })
            _ = session.loadContext(context)
            let result = session.eval(option.codeTemplate, sourceName: option.strategyName)
            #expect(result.status == .finished, "\(option.strategyName): \(result.error?.messageWithPosition ?? "")")
            // The plan promised `outputs` for all the items; at this scale, one per item (or one answer).
            let single = try #require(library.get(option.pattern)).outputs == .single
            #expect(option.outputs == (single ? 1 : p.items), "\(option.strategyName)")
            #expect(PilotRunner.outputCount(result) == (single ? 1 : items), "\(option.strategyName)")
        }
    }
}
