import Foundation
import ModelServer
import Sandbox
import Simulator
import Testing
@testable import Planner

/// The steps that call a provider, against a real local server on 127.0.0.1.
@Suite("Pilot runs and LLM mode", .serialized)
struct PilotAndLLMTests {
    static func gateway(_ server: LocalModelServer) -> @Sendable () throws -> ModelGateway {
        let url = server.baseURL
        return {
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: url, apiKey: nil))
            return ModelGateway(clock: WallClock(), settings: ModelSettings(defaultModel: "gpt-4o-mini")) { provider }
        }
    }

    @Test("pilot: the top candidates run for real on the sample, the pilot's cost is shown, models are calibrated and estimates move")
    func pilot() async throws {
        let server = LocalModelServer(behavior: .fixedLatency(0.02))
        try server.start()
        defer { server.stop() }
        let items = (1...40).map { "Paper \($0): " + String(repeating: "resistance gene blaTEM found in sample. ", count: 20) }
        let request = PlanRequest(taskDescription: "Extract the resistance genes from each paper", priority: "cost",
                                  context: items.joined(separator: "\n\n"))
        var options = try PlannerFixtures.options(runs: 2)
        options.pilot = PilotSettings(items: 8, candidates: 2, makeGateway: Self.gateway(server))
        let plan = try await Planner.plan(request, options: options)
        let pilot = try #require(plan.pilot)
        #expect(pilot.items == 8)
        #expect(pilot.runs.count == 2)
        for run in pilot.runs {
            #expect(run.status == "finished", "\(run.strategyName): \(run.error ?? "")")
            #expect(run.outputs == 8)
            #expect(run.calls >= 8)
            #expect(run.costBefore.p50 > 0 && run.costAfter.p50 > 0)
        }
        #expect(server.requestsReceived >= 16)
        #expect(!pilot.calibratedModels.isEmpty)
        // The echo server answers far faster than the priors: calibrated latency drops.
        #expect(pilot.runs.contains { $0.latencyAfter.p50 < $0.latencyBefore.p50 })
        #expect(plan.meta.planningCostUSD == pilot.costUSD)
    }

    @Test("pilot without real data is an error saying what is missing")
    func pilotNeedsContext() async throws {
        var options = try PlannerFixtures.options(runs: 1)
        options.pilot = PilotSettings(items: 5, makeGateway: { throw PlannerError("unused") })
        await #expect(throws: PlannerError.self) {
            _ = try await Planner.plan(PlanRequest(taskDescription: "Extract genes from 20 papers"), options: options)
        }
    }

    static let cannedProgram = """
        Here is a composition:

        ```scheme
        ;; pattern: llm-double-check
        ;; title: Double check
        ;; purpose: Answer each item twice and keep the longer answer.
        ;; combinators: map-async
        ;; outputs: per-item
        ;; quality: 0.75 | two independent answers per item
        ;; param worker-model: gpt-4.1-nano | answers (role: worker)
        ;; param task: Extract | the task
        (define worker-model "gpt-4.1-nano")
        (define task "Extract")
        (define items (context-items))
        (define (ask item) (llm-query-async #:instruction task #:data item #:model worker-model))
        (define first (map-async ask items))
        (define second (map-async ask items))
        (finish (map (lambda (a b) (if (> (string-length a) (string-length b)) a b)) first second))
        ```

        ```scheme
        (finish (undefined-procedure 1))
        ```
        """

    @Test("LLM mode: a canned program is parsed, simulated and ranked; a broken one is repaired once or dropped; the cost is shown")
    func llmMode() async throws {
        let server = LocalModelServer(behavior: ServerBehavior { request in
            let text = request.messages.contains { $0.text.contains("failed") } ? "no program this time" : Self.cannedProgram
            return .chatCompletion(text: text, promptTokens: 500, completionTokens: 400)
        })
        try server.start()
        defer { server.stop() }
        var options = try PlannerFixtures.options(runs: 2)
        options.llm = LLMSettings(model: "gpt-4o", makeGateway: Self.gateway(server))
        let plan = try await Planner.plan(PlanRequest(taskDescription: "Extract the genes from each paper",
                                                      dataCharacteristics: "30 papers, ~2KB each"), options: options)
        let proposals = try #require(plan.meta.llmProposals)
        #expect(proposals.contains { $0.name == "llm-double-check" && $0.status == "accepted" })
        #expect(proposals.contains { $0.status == "dropped" && ($0.reason ?? "").contains("undefined-procedure") })
        #expect(plan.meta.planningCostUSD > 0)
        let row = try #require(plan.candidates.first { $0.strategyName.hasPrefix("llm-double-check") })
        #expect(row.outputs == 30)
        #expect(row.costUSD.p50 > 0)
        #expect(plan.creativeOptions.first?.origin == "llm" || plan.recommended?.origin == "llm"
                || plan.alternatives.contains { $0.origin == "llm" })
    }
}
