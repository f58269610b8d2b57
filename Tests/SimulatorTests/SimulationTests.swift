import Foundation
import Sandbox
import Simulator
import Testing

/// The simulator: determinism, report shape, fixtures, warnings, schedule.
@Suite struct SimulationTests {
    static let fanOut = """
        (define items (string-split context "\\n\\n"))
        (define extractions (map-async (lambda (x) (llm-query-async #:instruction "Extract the key facts" #:data x #:model "gpt-4.1-nano")) items))
        (finish (syntax-e (llm-query #:instruction "Synthesize the facts" #:data (string-join extractions "\\n") #:model "gpt-4o")))
        """

    func options(runs: Int = 1, seed: UInt64 = 1, items: Int = 20, chars: Int = 800) -> SimulationOptions {
        var o = SimulationOptions()
        o.runs = runs
        o.seed = seed
        o.context = SyntheticData.items(items, chars: chars, seed: 9)
        return o
    }

    @Test func sameSeedSameReportByteForByte() throws {
        let a = try Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 3)).json()
        let b = try Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 3)).json()
        #expect(a == b)
        let c = try Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 3, seed: 2)).json()
        #expect(c != a)
        // A different seed changes sampled figures, not the structure: the same 21 calls.
        let r = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 1, seed: 2))
        #expect(r.calls.p50 == 21)
    }

    @Test func reportHasTheDocumentedKeys() throws {
        let one = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(one.json().utf8)) as? [String: Any])
        for key in ["seed", "runs", "status", "result", "calls", "input_tokens", "output_tokens", "token_counts", "cost_usd", "latency_s",
                    "rate_limit_wait_s", "outputs", "schedule", "by_model", "by_call_site", "rate_limits", "warnings"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["calls"] as? Int == 21)
        let byModel = try #require(json["by_model"] as? [[String: Any]])
        #expect(byModel.map { $0["model"] as? String } == ["gpt-4.1-nano", "gpt-4o"])
        #expect(byModel.first?["calls"] as? Int == 20)
        let sites = try #require(json["by_call_site"] as? [[String: Any]])
        #expect(sites.map { $0["site"] as? String } == ["fan.scm:2", "fan.scm:3"])
        let schedule = try #require(json["schedule"] as? [String: Any])
        #expect(schedule["peak_concurrency"] as? Int == 20)
        let many = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 5))
        let m = try #require(try JSONSerialization.jsonObject(with: Data(many.json().utf8)) as? [String: Any])
        let cost = try #require(m["cost_usd"] as? [String: Double])
        #expect(Set(cost.keys) == ["p5", "p50", "p95", "mean", "sd"])
        #expect(cost["p5"]! <= cost["p50"]! && cost["p50"]! <= cost["p95"]!)
        // Means over runs of a figure that is the same in every run come out exact.
        #expect((m["by_model"] as? [[String: Any]])?.first?["calls"] as? Int == 20)
    }

    @Test func dollarsAreTokensTimesRegistryPrices() {
        let r = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options())
        let catalog = ModelCatalog.embedded
        for record in r.runs[0].records {
            #expect(record.cost == catalog.cost(model: record.model, promptTokens: record.promptTokens, completionTokens: record.completionTokens))
        }
        #expect(abs(r.cost.p50 - r.runs[0].records.reduce(0) { $0 + ($1.cost ?? 0) }) < 1e-12)
    }

    @Test func fixturesSteerBranchesAndUnusedOnesAreReported() {
        let program = """
            (finish (critique-refine (lambda () "draft")
                                     (lambda (d) (syntax-e (llm-query #:instruction "Critique this" #:data d)))
                                     (lambda (d c) (syntax-e (llm-query #:instruction "Refine" #:data d)))
                                     #:max-iter 5 #:quality-threshold 0.9))
            """
        var o = options()
        o.fixtures = FixtureSet(entries: [
            .init(instruction: "critique", text: "APPROVED"),
            .init(instruction: "never used", text: "x"),
        ])
        let r = Simulation.simulate(program: program, sourceName: "cr.scm", options: o)
        #expect(r.calls.p50 == 1)
        #expect(r.runs[0].result == "draft")
        let unused = r.warnings.filter { $0.code == .fixtureUnused }
        #expect(unused.count == 1)
        #expect(unused.first?.fixture == 2)
        #expect(unused.first?.message.hasPrefix("fixture 2 (instruction \"never used\") never matched") == true)
    }

    @Test func warningsBeforePayingAreTyped() {
        var o = options(items: 2, chars: 200)
        o.context = String(repeating: "word ", count: 100_000)
        let big = Simulation.simulate(program: #"(llm-query #:data context #:model "gpt-3.5-turbo" #:max-tokens 10)"#, sourceName: "big.scm", options: o)
        let overflow = big.warnings.first { $0.code == .contextOverflow }
        #expect(overflow?.message.hasPrefix("context window: the call at big.scm:1 sends") == true)
        #expect(overflow?.site == "big.scm:1")
        #expect(overflow?.model == "gpt-3.5-turbo")
        #expect((overflow?.promptTokens ?? 0) > (overflow?.contextWindow ?? Int.max))
        let budget = Simulation.simulate(program: #"(parameterize ([token-budget 1000]) (llm-query #:data "x"))"#, sourceName: "b.scm", options: options())
        let over = budget.warnings.first { $0.code == .budgetExceeded }
        #expect(over?.message.hasPrefix("budget: the strategy would exceed its budget") == true)
        #expect(over?.runs == 1)
        #expect(budget.runs[0].errorCode == .budgetExceeded)
        // Recognised by code, not wording: an error whose text mentions a budget is a plain failure.
        let worded = Simulation.simulate(program: #"(error "token budget exceeded, says the user")"#, sourceName: "w.scm", options: options())
        #expect(worded.warnings.map(\.code) == [.strategyFailed])
        let unknown = Simulation.simulate(program: #"(llm-query #:data "x" #:model "my-local-llama")"#, sourceName: "u.scm", options: options())
        #expect(unknown.warnings.filter { $0.model == "my-local-llama" }.map(\.code) == [.unknownModel, .unknownPrice])
        #expect(unknown.warnings.contains { $0.message.hasPrefix("unknown model: my-local-llama") })
        #expect(unknown.warnings.contains { $0.message.hasPrefix("unknown price: my-local-llama") })
        #expect(unknown.byModel.first?.costUSD == nil)
    }

    @Test func rateLimitsShapeTheSchedule() {
        var o = options(items: 30, chars: 200)
        var table = ModelBehaviorTable.embedded
        var nano = table.behavior("gpt-4.1-nano")!
        nano.requestsPerMinute = 10
        table.set(nano, for: "gpt-4.1-nano")
        o.behaviors = table
        let slow = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: o)
        let fast = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(items: 30, chars: 200))
        #expect(slow.latency.p50 > 60)
        #expect(fast.latency.p50 < 60)
        let dominant = slow.warnings.first { $0.code == .rateLimitDominant }
        #expect(dominant?.message.hasPrefix("rate limits:") == true)
        #expect((dominant?.waitSeconds ?? 0) > (dominant?.modelSeconds ?? .infinity) * 0.5)
        #expect(slow.rateLimits.first { $0.model == "gpt-4.1-nano" }?.rpm == 10)
        #expect(fast.schedule.peakConcurrency == 20)
    }

    @Test func jsonModeRepliesFollowTheSketchedKeys() {
        let program = #"(finish (syntax-e (llm-query #:instruction "Return a JSON object with keys: label, confidence, is_relevant" #:data "x" #:json #t)))"#
        let r = Simulation.simulate(program: program, sourceName: "j.scm", options: options())
        let reply = r.runs[0].result
        let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]
        #expect(object?["label"] is String, "\(reply)")
        #expect(object?["confidence"] is Double)
        #expect(object?["is_relevant"] is Bool)
        // Cues shift lengths: a one-word answer is short, #:max-tokens caps.
        let short = Simulation.simulate(program: #"(llm-query #:instruction "Answer with one word" #:data "x") (llm-query #:data "y" #:max-tokens 5)"#,
                                        sourceName: "s.scm", options: options())
        #expect(short.runs[0].records.allSatisfy { $0.completionTokens <= 5 })
    }

    @Test func tiersSetRateLimits() {
        var table = ModelBehaviorTable.embedded
        // No tier is assumed by the table itself (the rate-limit resolver decides, issue 8).
        #expect(table.behavior("gpt-4o")?.tokensPerMinute == nil)
        table.selectTier("tier-4")
        #expect(table.behavior("gpt-4o")?.tokensPerMinute == 2_000_000)
        #expect(table.behavior("gpt-4o")?.requestsPerMinute == 10_000)
        #expect(table.tierNames == ["tier-1", "tier-2", "tier-3", "tier-4", "tier-5"])
    }

    @Test func aliasesResolve() {
        let r = Simulation.simulate(program: #"(llm-query #:data "x" #:model "fast")"#, sourceName: "a.scm", options: options())
        #expect(r.runs[0].records.first?.model == "gpt-4o-mini")
    }

    @Test func timelineDrawsEveryCall() {
        let r = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options())
        let svg = Timeline.svg(r.runs[0])
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<title>").count - 1 == 21)
        #expect(svg.contains("stroke=\"black\""))
    }
}
