import Foundation
import Sandbox
import Simulator
import Testing

/// The simulated world: injected failures under the real retry policy, on virtual time, and
/// rate limits from the same sources as a real run.
@Suite struct WorldTests {
    static let fanOut = """
        (define items (string-split context "\\n\\n"))
        (define extractions (map-async (lambda (x) (llm-query-async #:instruction "Extract the key facts" #:data x #:model "gpt-4.1-nano")) items))
        (finish (syntax-e (llm-query #:instruction "Synthesize the facts" #:data (string-join extractions "\\n") #:model "gpt-4o")))
        """

    func options(runs: Int = 1, items: Int = 100, errorRate: Double? = nil) -> SimulationOptions {
        var o = SimulationOptions()
        o.runs = runs
        o.context = SyntheticData.items(items, chars: 400, seed: 9)
        o.maxInFlight = 20
        o.errorRate = errorRate
        return o
    }

    @Test("--error-rate 0.3 over 20 runs of a 100-item fan-out: same calls and tokens, retries > 0, higher p50 latency")
    func injectedFailuresCostTimeNotTokens() throws {
        let clean = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 20))
        // Enough retries that no item is given up (0.3⁹ per call), so every run must match.
        var patient = options(runs: 20, errorRate: 0.3)
        patient.retry = RetryPolicy(maxRetries: 8)
        let faulty = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: patient)
        #expect(clean.runs.count == 20 && faulty.runs.count == 20)
        for (a, b) in zip(clean.runs, faulty.runs) {
            #expect(b.status == .finished, "\(b.error ?? "")")
            #expect(a.records.count == b.records.count)
            #expect(a.inputTokens == b.inputTokens)
            #expect(a.outputTokens == b.outputTokens)
        }
        #expect(clean.retries.p95 == 0)
        #expect(faulty.retries.p50 > 0)
        #expect(faulty.latency.p50 > clean.latency.p50)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(faulty.json().utf8)) as? [String: Any])
        #expect((json["retries"] as? [String: Any])?["p50"] != nil)
        #expect(faulty.text().contains("retries"))
    }

    @Test("with the default 3 retries at a 30% error rate, a run either matches the clean run or gives an item up with exn:fail:llm")
    func defaultRetriesSometimesGiveUp() {
        let clean = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 20))
        let faulty = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 20, errorRate: 0.3))
        var finished = 0
        for (a, b) in zip(clean.runs, faulty.runs) {
            if b.status == .finished {
                finished += 1
                #expect(a.records.count == b.records.count && a.inputTokens == b.inputTokens && a.outputTokens == b.outputTokens)
            } else {
                #expect(b.error?.contains("simulated transient failure") == true, "\(b.error ?? "")")
                #expect(b.records.contains { $0.status == "error" && $0.retries == 3 })
            }
        }
        #expect(finished > 0)
    }

    @Test("--error-rate 0.3 with the default 3 retries: one aggregated warning for the failed runs (count, first error on one line), one saying how many calls gave up and what to do; failed calls bill $0, not an unknown price; finished runs have the clean runs' calls and tokens, p50 too")
    func givenUpCallsAreReportedOnce() throws {
        let clean = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 20))
        let faulty = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: options(runs: 20, errorRate: 0.3))
        let failed = faulty.runs.filter { $0.status == .error }
        try #require(!failed.isEmpty && failed.count < 20, "seeds 1…20 give both outcomes")
        let failures = faulty.warnings.filter { $0.code == .strategyFailed }
        #expect(failures.count == 1)
        #expect(failures.first?.runs == failed.count)
        #expect(failures.first?.message.contains("fails in \(failed.count) of 20 runs") == true)
        #expect(failures.first?.message.contains("\n") == false)
        #expect(failures.first?.error == failed.first?.error)
        let gaveUp = faulty.runs.flatMap(\.records).filter { $0.status == "error" }
        let exhausted = try #require(faulty.warnings.first { $0.code == .retriesExhausted })
        #expect(exhausted.calls == gaveUp.count)
        #expect(exhausted.runs == failed.count)
        #expect(exhausted.share == Double(gaveUp.count) / Double(faulty.runs.reduce(0) { $0 + $1.records.count }))
        #expect(exhausted.message.contains("RLM_MAX_RETRIES") && exhausted.message.contains("#:on-error"))
        // A failed call: one logical call, its retries counted, no tokens billed, $0.
        #expect(gaveUp.allSatisfy { $0.retries == 3 && $0.promptTokens == 0 && $0.completionTokens == 0 })
        #expect(faulty.byModel.allSatisfy { $0.costUSD != nil }, "\(faulty.byModel)")
        // Finished runs match the clean runs of the same seeds, one by one and at the median.
        let finished = zip(clean.runs, faulty.runs).filter { $0.1.status == .finished }
        for (a, b) in finished {
            #expect(a.records.count == b.records.count && a.inputTokens == b.inputTokens && a.outputTokens == b.outputTokens)
        }
        #expect(Distribution(finished.map { Double($0.1.outputTokens) }).p50 == Distribution(finished.map { Double($0.0.outputTokens) }).p50)
        #expect(Distribution(finished.map { Double($0.1.records.count) }).p50 == clean.calls.p50)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(faulty.json().utf8)) as? [String: Any])
        let encoded = try #require((json["warnings"] as? [[String: Any]])?.first { $0["code"] as? String == "retries_exhausted" })
        #expect(encoded["calls"] as? Int == gaveUp.count && encoded["runs"] as? Int == failed.count)
    }

    @Test("a call whose injected failures exhaust the retries raises exn:fail:llm, and try-fallback takes its fallback")
    func exhaustedRetriesTakeTheFallback() {
        let program = """
            (define ask (try-fallback (lambda () (syntax-e (llm-query #:data "x" #:model "gpt-4o-mini")))
                                      (lambda () "fallback taken")))
            (finish (ask))
            """
        var o = options(items: 1, errorRate: 0.99)
        o.retry = RetryPolicy(maxRetries: 2, baseDelay: 1, jitter: 0)
        let r = Simulation.simulate(program: program, sourceName: "fb.scm", options: o)
        #expect(r.runs[0].result == "fallback taken")
        let record = r.runs[0].records.first
        #expect(record?.status == "error")
        #expect(record?.retries == 2)
        #expect(record?.error?.contains("simulated transient failure") == true)
        // The backoff (1 s + 2 s) happened in virtual time.
        #expect(r.runs[0].latency >= 3)
        let handled = Simulation.simulate(program: #"(finish (with-handlers ([exn:fail:llm? (lambda (e) "llm error")]) (llm-query #:data "x")))"#,
                                          sourceName: "h.scm", options: o)
        #expect(handled.runs[0].result == "llm error")
    }

    @Test("a model's error_rate from the models file injects failures for that model only")
    func perModelErrorRate() throws {
        var registry = ModelRegistry()
        try registry.merge(Data(#"{"gpt-4.1-nano": {"error_rate": 0.5}}"#.utf8), source: "m.json")
        var o = options(items: 40)
        o.behaviors = registry.behaviors
        let r = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: o)
        let retried = r.runs[0].records.filter { ($0.retries ?? 0) > 0 }
        #expect(!retried.isEmpty)
        #expect(retried.allSatisfy { $0.model == "gpt-4.1-nano" })
        #expect(throws: ModelCatalogError.self) { try registry.merge(Data(#"{"x": {"error_rate": 1.5}}"#.utf8), source: "bad.json") }
    }

    @Test("rate limits: none for a loopback server, tier-1 assumed (with a warning) for api.openai.com, explicit wins")
    func rateLimitSources() throws {
        let registry = ModelRegistry()
        var o = options(items: 5)
        o.rateLimits = registry.rateLimitResolver(baseURL: "http://127.0.0.1:8080/v1", tier: nil)
        let local = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: o)
        let localLimit = try #require(local.rateLimits.first { $0.model == "gpt-4o" })
        #expect(localLimit.rpm == nil && localLimit.tpm == nil && localLimit.source == "none")
        #expect(!local.warnings.contains { $0.code == .rateLimitAssumed })
        let localJSON = try #require(try JSONSerialization.jsonObject(with: Data(local.json().utf8)) as? [String: Any])
        let limits = try #require(localJSON["rate_limits"] as? [[String: Any]])
        let gpt4o = try #require(limits.first { $0["model"] as? String == "gpt-4o" })
        #expect(gpt4o["source"] as? String == "none")
        #expect(gpt4o["rpm"] == nil || gpt4o["rpm"] is NSNull)

        o.rateLimits = registry.rateLimitResolver(baseURL: "https://api.openai.com/v1", tier: nil)
        let openAI = Simulation.simulate(program: Self.fanOut, sourceName: "fan.scm", options: o)
        let assumed = try #require(openAI.rateLimits.first { $0.model == "gpt-4o" })
        #expect(assumed.rpm == 500 && assumed.tpm == 30_000 && assumed.source == "tier-1 assumed for api.openai.com")
        #expect(openAI.warnings.contains { $0.code == .rateLimitAssumed && $0.message.contains("assuming usage tier tier-1 for api.openai.com") })

        var explicit = registry.rateLimitResolver(baseURL: "https://api.openai.com/v1", tier: "tier-4")
        try explicit.readEnvironment(["RLM_RPM": "42"])
        #expect(explicit.resolve("gpt-4o") == ResolvedRateLimit(rpm: 42, tpm: 2_000_000, source: "RLM_RPM/RLM_TPM (rpm), tier-4 (tpm)"))
        #expect(explicit.assumptionWarning == nil)
        var bad = explicit
        #expect(throws: ProviderError.self) { try bad.readEnvironment(["RLM_TPM": "lots"]) }
    }

    @Test("observed limits from calibration come before the tier; a models file's rpm before both")
    func observedAndFileLimits() throws {
        var registry = ModelRegistry()
        try registry.mergeCalibration(Data(#"{"models": {"gpt-4o": {"observed_rpm": 5000, "observed_tpm": 800000, "rpm": 500}}}"#.utf8),
                                      source: "calibration.json")
        try registry.merge(Data(#"{"my-llama": {"input_cost_per_token": 0, "output_cost_per_token": 0, "rpm": 600}}"#.utf8), source: "m.json")
        registry.userFilePath = "m.json"
        let resolver = registry.rateLimitResolver(baseURL: "https://api.openai.com/v1", tier: nil)
        #expect(resolver.resolve("gpt-4o") == ResolvedRateLimit(rpm: 5000, tpm: 800_000, source: "observed in real runs"))
        #expect(resolver.resolve("my-llama") == ResolvedRateLimit(rpm: 600, tpm: nil, source: "models file m.json"))
    }
}
