import Foundation
import Testing

/// Each tool over the wire, as a client's model would use it.
@Suite("MCP tools")
struct ToolTests {
    @Test("state persists across execute_scheme calls; sandbox state, trace and reset behave as the original's")
    func sandboxWorkflow() throws {
        let child = try MCPChild()
        child.initialize()
        #expect(child.callTool("load_context", ["data": "alpha\n\nbeta"])?.text == "context loaded")
        #expect(child.callTool("load_context", ["data": "x", "name": "extra"])?.text == "context loaded as 'extra'")
        let first = try #require(child.callTool("execute_scheme", ["code": "(define base 41) (display \"hi\") (finish (+ base 1))"]))
        let s = try #require(first.structured)
        #expect(s["status"] as? String == "finished")
        #expect(s["value"] as? String == "42")
        #expect(s["stdout"] as? String == "hi")
        #expect((s["execution"] as? [String: Any])?["llm_calls"] as? Int == 0)
        #expect(first.text.contains("\"status\":\"finished\""), "the text block carries the same JSON")
        let second = try #require(child.callTool("execute_scheme", ["code": "(finish (string-append context \"/\" (get-context \"extra\") (number->string base)))"]))
        #expect(second.structured?["value"] as? String == "x/x41")

        let failing = try #require(child.callTool("execute_scheme", ["code": "(define later 1)\n(car 5)"]))
        #expect(failing.isError)
        #expect(failing.structured?["status"] as? String == "error")
        #expect((failing.structured?["message"] as? String ?? "").contains("car"))

        let state = try #require(child.callTool("get_sandbox_state")?.structured)
        let variables = state["scheme_variables"] as? [String] ?? []
        #expect(variables.contains("base") && variables.contains("later"))
        #expect(state["python_available"] is Bool)
        #expect(state["checkpoints"] is [Any])
        #expect(state["scope_log_entries"] as? Int == 0)

        let trace = try #require(child.callTool("get_execution_trace"))
        #expect(trace.text == "[]")
        #expect((trace.structured?["entries"] as? [Any])?.isEmpty == true)

        #expect(child.callTool("reset")?.text == "sandbox reset")
        let after = try #require(child.callTool("execute_scheme", ["code": "(finish base)"]))
        #expect(after.structured?["status"] as? String == "error")
        #expect((after.structured?["message"] as? String ?? "").contains("base"))
        #expect(child.strayLines.isEmpty)
    }

    @Test("get_status reports token usage, rate limits and no active calls when idle; cancel_call of an unknown id says so")
    func statusWhenIdle() throws {
        let child = try MCPChild()
        child.initialize()
        let status = try #require(child.callTool("get_status")?.structured)
        #expect((status["active_calls"] as? [Any])?.isEmpty == true)
        let usage = try #require(status["token_usage"] as? [String: Any])
        #expect(Set(usage.keys) == ["prompt_tokens", "completion_tokens", "total_tokens", "total_calls", "cost_usd"])
        let limits = try #require(status["rate_limits"] as? [String: Any])
        #expect(limits.count == 6)
        #expect(child.callTool("cancel_call", ["call_id": "call_99"])?.text == "No active call with ID call_99")
    }

    @Test("the guides come from docs/; a missing guide is a clear tool error")
    func referenceTools() throws {
        let home = try FixtureHome.make()
        let child = try MCPChild(environment: ["RLM_PLAN_HOME": home.path])
        child.initialize()
        #expect(child.callTool("get_usage_guide")?.text == "# Getting started\nplan, simulate, execute\n")
        #expect(child.callTool("get_combinator_reference")?.text.hasPrefix("# Combinators") == true)
        let missing = try #require(child.callTool("get_codegen_reference"))
        #expect(missing.isError)
        #expect(missing.text.contains("codegen-reference.md"))
    }

    @Test("resources list the guides and patterns and read them back")
    func resources() throws {
        let home = try FixtureHome.make()
        let child = try MCPChild(environment: ["RLM_PLAN_HOME": home.path])
        child.initialize()
        let list = try #require((child.request("resources/list")?["result"] as? [String: Any])?["resources"] as? [[String: Any]])
        let uris = Set(list.compactMap { $0["uri"] as? String })
        #expect(uris == ["rlm-plan://guide/getting-started", "rlm-plan://guide/combinators", "rlm-plan://pattern/critique-refine",
                         "rlm-plan://pattern/fan-out", "rlm-plan://pattern/fan-out-synthesis", "rlm-plan://pattern/tree-summary"])
        let read = try #require((child.request("resources/read", ["uri": "rlm-plan://pattern/fan-out"])?["result"] as? [String: Any])?["contents"] as? [[String: Any]])
        #expect((read.first?["text"] as? String ?? "").contains("map-async"))
        let unknown = try #require(child.request("resources/read", ["uri": "rlm-plan://guide/nothing"]))
        #expect(unknown["error"] != nil)
    }

    @Test("list_patterns and get_pattern read patterns/; an unknown pattern is named in the error")
    func patternTools() throws {
        let home = try FixtureHome.make()
        let child = try MCPChild(environment: ["RLM_PLAN_HOME": home.path])
        child.initialize()
        let list = try #require(child.callTool("list_patterns")?.structured?["patterns"] as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["critique-refine", "fan-out", "fan-out-synthesis", "tree-summary"])
        #expect(list.first { $0["name"] as? String == "fan-out" }?["combinators"] as? [String] == ["map-async"])
        let one = try #require(child.callTool("get_pattern", ["name": "fan-out"])?.structured)
        #expect((one["code"] as? String ?? "").contains("(define worker-model"))
        let parameters = try #require(one["parameters"] as? [[String: Any]])
        #expect(parameters.contains { $0["name"] as? String == "worker-model" && $0["role"] as? String == "worker" })
        let unknown = try #require(child.callTool("get_pattern", ["name": "nope"]))
        #expect(unknown.isError && unknown.text.contains("'nope'") && unknown.text.contains("fan-out"))
    }

    @Test("simulate_strategy and estimate_cost price a program without calling any model")
    func simulationTools() throws {
        let home = try FixtureHome.make()
        let child = try MCPChild(environment: ["RLM_PLAN_HOME": home.path, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"])
        child.initialize()
        let program = "(define xs (list \"a\" \"b\" \"c\" \"d\")) (finish (map-async (lambda (x) (llm-query-async #:instruction \"Summarise\" #:data x #:model \"gpt-4o-mini\")) xs))"
        let report = try #require(child.callTool("simulate_strategy", ["code": program, "runs": 5])?.structured)
        #expect(report["runs"] as? Int == 5)
        #expect(((report["calls"] as? [String: Any])?["p50"] as? Double) == 4)
        let estimate = try #require(child.callTool("estimate_cost", ["code": program])?.structured)
        #expect(estimate["calls"] as? Double == 4)
        #expect((estimate["cost_usd"] as? Double ?? 0) > 0)
        let pattern = try #require(child.callTool("estimate_cost", ["pattern": "fan-out", "items": 3])?.structured)
        #expect(pattern["calls"] as? Double == 3)
        let shaped = try #require(child.callTool("estimate_cost", ["code": "(finish (length (string-split context \"\\n\\n\")))", "items": 7, "item_chars": 100])?.structured)
        #expect(shaped["status"] as? String == "finished")
        let bad = try #require(child.callTool("simulate_strategy", ["code": program, "runs": 0]))
        #expect(bad.isError && bad.text.contains("'runs'"))
        let badRate = try #require(child.callTool("estimate_cost", ["code": program, "error_rate": 2]))
        #expect(badRate.isError && badRate.text.contains("'error_rate'"))
        let flaky = try #require(child.callTool("simulate_strategy", ["code": program, "runs": 3, "error_rate": 0.5])?.structured)
        #expect(flaky["status"] as? String == "finished", "transient failures are retried")
    }

    @Test("list_models gives prices, limits and aliases from the registry")
    func listModels() throws {
        let child = try MCPChild()
        child.initialize()
        let reply = try #require(child.callTool("list_models")?.structured)
        let models = try #require(reply["models"] as? [[String: Any]])
        let mini = try #require(models.first { $0["name"] as? String == "gpt-4o-mini" })
        #expect((mini["input_usd_per_1m"] as? Double ?? 0) > 0)
        #expect((mini["max_input_tokens"] as? Int ?? 0) > 0)
        #expect(reply["aliases"] is [String: Any])
    }

    @Test("list_models shows the rate limits a run against the configured provider would apply, as `rlm-plan models` does")
    func listModelsRateLimits() throws {
        func miniLimits(_ baseURL: String) throws -> (rpm: Int?, source: String?) {
            let child = try MCPChild(environment: ["OPENAI_BASE_URL": baseURL, "RLM_TIER": nil, "RLM_RPM": nil, "RLM_TPM": nil])
            child.initialize()
            let reply = try #require(child.callTool("list_models")?.structured)
            let models = try #require(reply["models"] as? [[String: Any]])
            let mini = try #require(models.first { $0["name"] as? String == "gpt-4o-mini" })
            return (mini["rpm"] as? Int, mini["rate_limit_source"] as? String)
        }
        let local = try miniLimits("http://127.0.0.1:9/v1")
        #expect(local.rpm == nil && local.source == "none", "a local server gets no assumed limits: \(local)")
        let openAI = try miniLimits("https://api.openai.com/v1")
        #expect((openAI.rpm ?? 0) > 0 && openAI.source?.contains("tier-1 assumed") == true, "\(openAI)")
    }

    @Test("plan_strategy returns ranked, simulated strategies; clarify and finalize follow the original's flow")
    func planTools() throws {
        let home = try FixtureHome.make()
        let child = try MCPChild(environment: ["RLM_PLAN_HOME": home.path])
        child.initialize()
        let plan = try #require(child.callTool("plan_strategy", ["task_description": "Summarise 40 customer reviews",
                                                                 "data_characteristics": "40 reviews of ~1KB each", "priority": "cost"], timeout: 120))
        #expect(!plan.isError, "\(plan.text)")
        let recommended = try #require(plan.structured?["recommended"] as? [String: Any])
        #expect((recommended["code_template"] as? String ?? "").contains("(finish"))
        #expect(recommended["cost_usd"] != nil)
        let badPriority = try #require(child.callTool("plan_strategy", ["task_description": "x", "priority": "cheap"]))
        #expect(badPriority.isError && badPriority.text.contains("'priority'") && badPriority.text.contains("balanced"))
        let clarify = try #require(child.callTool("plan_strategy_clarify", ["task_description": "Document the large repository"], timeout: 120))
        #expect(clarify.structured?["is_clear"] as? Bool == false)
        let missing = try #require(child.callTool("plan_strategy_finalize", ["task_description": "Document the large repository"]))
        #expect(missing.isError && missing.text.contains("'clarifications'"))
        let final = try #require(child.callTool("plan_strategy_finalize", ["task_description": "Document the large repository",
                                                                           "clarifications": "500 Python files, API docs format, all files"], timeout: 120))
        #expect(!final.isError, "\(final.text)")
        #expect(final.structured?["_meta"] != nil)
    }
}
