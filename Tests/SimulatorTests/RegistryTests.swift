import Foundation
import ModelServer
import TestSupport
import Testing

/// One registry for both worlds, through the built binary: a model defined only in a
/// `RLM_MODELS` file is used alike by `models`, `simulate` and `run`; rate limits come from the
/// same sources and say where from.
@Suite struct RegistryTests {
    /// A fresh folder (no `.env`, no calibration) holding `files`.
    func folder(_ files: [String: String] = [:]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    func run(_ args: [String], env: [String: String?], in dir: URL) throws -> BuiltBinary.Outcome {
        var environment = env
        for name in ["OPENAI_BASE_URL", "RLM_MODELS", "RLM_MODELS_FILE", "RLM_RPM", "RLM_TPM", "RLM_TIER"] where environment[name] == nil {
            environment[name] = .some(nil)
        }
        return try BuiltBinary.run(args, environment: environment, directory: dir)
    }

    /// The entry for `model` in a report's array of per-model objects (`by_model`, `rate_limits`).
    func entry(_ report: [String: Any], _ key: String, _ model: String) -> [String: Any]? {
        (report[key] as? [[String: Any]])?.first { $0["model"] as? String == model }
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static let modelsFile = #"""
        {"my-llama": {"input_cost_per_token": 0.001, "output_cost_per_token": 0.002, "max_input_tokens": 8192,
                      "max_output_tokens": 1000, "ttft_s": 0.2, "output_tokens_per_s": 40, "rpm": 600}}
        """#

    @Test("a model defined only in RLM_MODELS is priced, timed and limited alike by models, simulate and run")
    func userFileModelEverywhere() throws {
        let dir = try folder(["models.json": Self.modelsFile,
                              "ask.scm": #"(finish (syntax-e (llm-query #:data "x" #:model "my-llama")))"#,
                              "budget.scm": #"(parameterize ([cost-budget 0.01]) (llm-query #:data "x" #:model "my-llama"))"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let env: [String: String?] = ["RLM_MODELS": dir.appendingPathComponent("models.json").path, "OPENAI_BASE_URL": server.baseURL]

        let models = try run(["models", "--json"], env: env, in: dir)
        #expect(models.status == 0, "\(models.stderr)")
        let llama = try #require(try object(models.stdout)["my-llama"] as? [String: Any])
        #expect(llama["input_cost_per_token"] as? Double == 0.001)
        #expect(llama["ttft_s"] as? Double == 0.2)
        #expect(llama["rpm"] as? Int == 600)
        let sources = try #require(llama["sources"] as? [String: String])
        #expect(sources["price"]?.hasPrefix("models file ") == true)
        #expect(sources["rate_limits"]?.hasPrefix("models file ") == true)

        let simulated = try run(["simulate", "ask.scm", "--json"], env: env, in: dir)
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let report = try object(simulated.stdout)
        let usage = try #require(entry(report, "by_model", "my-llama"))
        let cost = try #require(usage["cost_usd"] as? Double)
        #expect(cost > 0.001)
        let limits = try #require(entry(report, "rate_limits", "my-llama"))
        #expect(limits["rpm"] as? Int == 600)
        #expect((limits["source"] as? String)?.hasPrefix("models file ") == true)
        // Latency from the file's profile: at least its time to first token.
        #expect((report["latency_s"] as? Double ?? 0) >= 0.1)

        // run reserves the file's price × (prompt + the file's output limit): over a $0.01 budget.
        let refused = try run(["run", "budget.scm", "--quiet"], env: env, in: dir)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cost budget exceeded"), "\(refused.stderr)")
        #expect(server.requestsReceived == 0)
        let ran = try run(["run", "ask.scm", "--quiet"], env: env, in: dir)
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(server.requestsReceived == 1)
    }

    @Test("RLM_MODELS_FILE is still read (the older name)")
    func olderVariableStillWorks() throws {
        let dir = try folder(["models.json": Self.modelsFile])
        defer { try? FileManager.default.removeItem(at: dir) }
        let models = try run(["models", "--json"], env: ["RLM_MODELS_FILE": dir.appendingPathComponent("models.json").path], in: dir)
        #expect(models.status == 0, "\(models.stderr)")
        #expect(try object(models.stdout)["my-llama"] != nil)
    }

    @Test("simulate --json: no assumed limits at a loopback server; tier-1 with its source at the OpenAI URL")
    func rateLimitsFollowTheServer() throws {
        let dir = try folder(["ask.scm": #"(finish (syntax-e (llm-query #:data "x" #:model "gpt-4o")))"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let local = try run(["simulate", "ask.scm", "--json"], env: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"], in: dir)
        #expect(local.status == 0, "\(local.stderr)")
        let localReport = try object(local.stdout)
        let localLimits = try #require(entry(localReport, "rate_limits", "gpt-4o"))
        #expect(localLimits["source"] as? String == "none")
        #expect(localLimits["rpm"] == nil && localLimits["tpm"] == nil)
        #expect(!codes(localReport).contains("rate_limit_assumed"))

        let openAI = try run(["simulate", "ask.scm", "--json"], env: ["OPENAI_BASE_URL": "https://api.openai.com/v1"], in: dir)
        #expect(openAI.status == 0, "\(openAI.stderr)")
        let report = try object(openAI.stdout)
        let limits = try #require(entry(report, "rate_limits", "gpt-4o"))
        #expect(limits["rpm"] as? Int == 500)
        #expect(limits["tpm"] as? Int == 30_000)
        #expect(limits["source"] as? String == "tier-1 assumed for api.openai.com")
        #expect(codes(report).contains("rate_limit_assumed"))

        let told = try run(["simulate", "ask.scm", "--json", "--tier", "tier-3"], env: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"], in: dir)
        let toldLimits = try #require(entry(try object(told.stdout), "rate_limits", "gpt-4o"))
        #expect(toldLimits["rpm"] as? Int == 5000)
        #expect(toldLimits["source"] as? String == "tier-3")
        let bad = try run(["simulate", "ask.scm", "--tier", "tier-9"], env: [:], in: dir)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("tier-9"))
    }

    func codes(_ report: [String: Any]) -> [String] {
        ((report["warnings"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    @Test("simulate --error-rate reports retries; a bad rate is a usage error naming the option")
    func errorRateOption() throws {
        let dir = try folder(["fan.scm": """
            (define xs (build-list 30 (lambda (i) (format "item ~a" i))))
            (finish (length (map-async (lambda (x) (llm-query-async #:data x #:model "gpt-4o-mini")) xs)))
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["simulate", "fan.scm", "--json", "--error-rate", "0.3", "--runs", "3"], env: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let retries = try #require(try object(r.stdout)["retries"] as? [String: Any])
        #expect((retries["mean"] as? Double ?? (retries["mean"] as? Int).map(Double.init) ?? 0) > 0)
        let bad = try run(["simulate", "fan.scm", "--error-rate", "1.5"], env: [:], in: dir)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--error-rate"))
    }

    @Test("a model that always fails (error_rate 1.0 in the models file): try-fallback takes its fallback in simulation, whose calls are in the report")
    func fallbackTakenWhenRetriesExhausted() throws {
        let dir = try folder([
            "fb.scm": """
                (define ask (try-fallback (lambda (x) (syntax-e (llm-query #:data x #:model "gpt-4o-mini")))
                                          (lambda (x) (string-append "fallback: " (syntax-e (llm-query #:data x #:model "gpt-4.1-nano"))))))
                (finish (map ask (list "a" "b" "c")))
                """,
            "down.json": #"{"gpt-4o-mini": {"error_rate": 1.0}}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["simulate", "fb.scm", "--json", "--runs", "2", "--models", "down.json"],
                        env: ["OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "RLM_MAX_RETRIES": "1"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try object(r.stdout)
        #expect(report["status"] as? String == "finished")
        let primary = try #require(entry(report, "by_model", "gpt-4o-mini"))
        let fallback = try #require(entry(report, "by_model", "gpt-4.1-nano"))
        #expect(primary["calls"] as? Double == 3 && primary["cost_usd"] as? Double == 0, "failed calls bill nothing: \(primary)")
        #expect(fallback["calls"] as? Double == 3)
        #expect(((report["retries"] as? [String: Any])?["p50"] as? Double) == 3, "one retry for each of the 3 failed calls")
        let warning = try #require((report["warnings"] as? [[String: Any]])?.first { $0["code"] as? String == "retries_exhausted" })
        #expect(warning["calls"] as? Int == 6 && warning["share"] as? Double == 0.5, "\(warning)")
        #expect((warning["message"] as? String)?.contains("survived") == true)
        #expect(!codes(report).contains("strategy_failed"))
    }

    @Test("simulate --compare breaks predicted against actual down by model")
    func compareByModel() throws {
        let dir = try folder(["two.scm": """
            (define a (llm-query #:data "first" #:model "gpt-4o-mini"))
            (finish (syntax-e (llm-query #:data (syntax-e a) #:model "gpt-4o")))
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let env: [String: String?] = ["OPENAI_BASE_URL": server.baseURL]
        let ran = try run(["run", "two.scm", "--quiet", "--trace", "t.json"], env: env, in: dir)
        #expect(ran.status == 0, "\(ran.stderr)")
        let compared = try run(["simulate", "two.scm", "--compare", "t.json", "--runs", "5"], env: env, in: dir)
        #expect(compared.status == 0, "\(compared.stderr)")
        let lines = compared.stdout.split(separator: "\n").map(String.init)
        let mini = try #require(lines.firstIndex(of: "gpt-4o-mini:"))
        #expect(lines.contains("gpt-4o:"))
        #expect(lines[mini + 1].hasPrefix("  calls"))
        #expect(lines[mini + 1].contains("1 "))
        #expect(lines.contains { $0.hasPrefix("  call latency") })
    }
}
