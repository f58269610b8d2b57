import Foundation
import Sandbox
import Simulator
import Testing
@testable import Planner

/// The planner's search (docs/planner.md, "How a plan is made"): screening on a scaled-down
/// sample, and the `scaling:` header that says which patterns may be screened that way.
@Suite("Planner search")
struct SearchTests {
    /// The papers profile: 200 items of 5,000 characters.
    static func simulator() throws -> (CandidateSimulator, [Candidate]) {
        let registry = ModelRegistry()
        let pool = ModelPool(registry: registry)
        let request = PlanRequest(taskDescription: "Analyze 200 research papers for antimicrobial resistance genes",
                                  dataCharacteristics: "~5KB per paper, 1MB total")
        let profile = try TaskProfiler.profile(request, models: pool).profile
        let candidates = try CandidateGenerator.candidates(library: try PlannerFixtures.realLibrary.get(), profile: profile,
                                                           task: request.taskDescription, pool: pool)
        return (CandidateSimulator(registry: registry, rateLimits: registry.rateLimitResolver(baseURL: "", tier: nil), profile: profile, realContext: nil, seed: 1), candidates)
    }

    @Test("a per-item pattern screened on 10 items lands near its full-scale run: same outputs, cost within 25%, latency within 50%",
          arguments: ["fan-out (economy)", "ensemble-voting (economy)", "backtracking (economy)"])
    func screeningTracksFullScale(name: String) throws {
        let (simulator, candidates) = try Self.simulator()
        let candidate = try #require(candidates.first { $0.name == name }, "no candidate \(name)")
        #expect(simulator.screensOnSample(candidate))
        let screened = try simulator.screen(candidate)
        let full = try simulator.simulate(candidate, runs: 1)
        #expect(screened.runs == 0 && full.runs == 1)
        #expect(screened.outputs == full.outputs && full.outputs == 200)
        #expect(abs(screened.cost.p50 / full.cost.p50 - 1) < 0.25, "cost \(screened.cost.p50) vs \(full.cost.p50)")
        #expect(abs(screened.latency.p50 / full.latency.p50 - 1) < 0.5, "latency \(screened.latency.p50) vs \(full.latency.p50)")
        #expect(abs(screened.calls / full.calls - 1) < 0.25, "calls \(screened.calls) vs \(full.calls)")
    }

    @Test("patterns with one answer or a fixed cost are screened at full scale")
    func wholePatternsRunAtFullScale() throws {
        let (simulator, candidates) = try Self.simulator()
        let meta = try #require(candidates.first { $0.pattern.name == "meta-orchestration" })
        #expect(!meta.pattern.scalesPerItem)
        #expect(!simulator.screensOnSample(meta))
        #expect(try simulator.screen(meta).runs == 1)
    }

    @Test("a budget parameter shrinks with the sample; the window too, to at least 1")
    func totalsShrinkWithTheSample() throws {
        let library = try PlannerFixtures.realLibrary.get()
        let anytime = try #require(library.get("anytime"))
        #expect(anytime.totalParameters == ["budget-usd"])
        #expect(anytime.sampleScaledParameters([:], factor: 0.05) == ["budget-usd": "0.02500000"])
        #expect(anytime.sampleScaledParameters(["budget-usd": "2"], factor: 0.5) == ["budget-usd": "1.00000000"])
    }

    @Test("a bad scaling line names the file and what is allowed")
    func badScalingLine() {
        let base = """
        ;; pattern: p
        ;; purpose: x
        ;; outputs: per-item
        ;; quality: 0.5 | y
        ;; param task: t | the task
        ;; param window: 4 | in flight

        """
        let body = "(define task \"t\")\n(define window 4)\n(finish (context-items))\n"
        #expect(throws: PlannerError.self) { try PatternParser.parse(base + ";; scaling: sometimes\n" + body, file: "p.scm") }
        do {
            _ = try PatternParser.parse(base + ";; scaling: per-item | budget\n" + body, file: "p.scm")
            Issue.record("a scaling line naming no param was accepted")
        } catch {
            #expect("\(error)".contains("p.scm") && "\(error)".contains("budget"))
        }
        #expect((try? PatternParser.parse(base + ";; scaling: per-item | window\n" + body, file: "p.scm"))?.totalParameters == ["window"])
        #expect((try? PatternParser.parse(base + ";; scaling: whole\n" + body, file: "p.scm"))?.scalesPerItem == false)
    }

    @Test("a single call is a candidate exactly when the data fits its model's window with room to answer (whatever the values' order)")
    func singleCallByWindow() throws {
        let registry = ModelRegistry()
        let pool = ModelPool(registry: registry)
        for data in ["one 40KB document", "one 900KB document"] {
            let request = PlanRequest(taskDescription: "Summarize the key findings of the report", dataCharacteristics: data)
            let profile = try TaskProfiler.profile(request, models: pool).profile
            let all = try CandidateGenerator.candidates(library: try PlannerFixtures.realLibrary.get(), profile: profile,
                                                        task: request.taskDescription, pool: pool)
            let single = all.filter { $0.pattern.name == "single-call" }
            let tiers = pool.tiers(allowed: nil, excluded: [])
            let fitting = tiers.filter { profile.totalTokens + CandidateGenerator.answerRoom < pool.window($0.strong) }
            #expect(single.map { $0.tier?.name } == fitting.map(\.name), "\(data)")
            if data.contains("40KB") { #expect(single.count == tiers.count) }
            if data.contains("900KB") { #expect(single.count < tiers.count) }
        }
    }
}
