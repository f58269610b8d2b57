import Foundation
import Testing

/// `rlm-plan mcp` speaks MCP over stdio: the handshake, the tool list a client sees, and errors
/// that never take the server down.
@Suite("MCP protocol")
struct ProtocolTests {
    static let allTools = ["get_usage_guide", "get_combinator_reference", "get_codegen_reference",
                           "plan_strategy", "plan_strategy_clarify", "plan_strategy_finalize",
                           "simulate_strategy", "estimate_cost", "list_models", "list_patterns", "get_pattern",
                           "load_context", "execute_scheme", "get_status", "cancel_call", "get_sandbox_state",
                           "get_execution_trace", "reset"]

    @Test("initialize names the server and gives the plan → simulate → execute workflow")
    func initializeReportsInstructions() throws {
        let child = try MCPChild()
        let reply = try #require(child.initialize())
        let result = try #require(reply["result"] as? [String: Any])
        let info = try #require(result["serverInfo"] as? [String: Any])
        #expect(info["name"] as? String == "rlm-plan")
        let instructions = try #require(result["instructions"] as? String)
        for word in ["plan_strategy", "simulate_strategy", "execute_scheme"] { #expect(instructions.contains(word)) }
        let capabilities = try #require(result["capabilities"] as? [String: Any])
        #expect(capabilities["tools"] != nil)
        #expect(capabilities["resources"] != nil)
        #expect(child.strayLines.isEmpty)
    }

    @Test("tools/list has every tool with an input schema, annotations and, for data, an output schema")
    func toolListIsComplete() throws {
        let child = try MCPChild()
        child.initialize()
        let reply = try #require(child.request("tools/list"))
        let tools = try #require((reply["result"] as? [String: Any])?["tools"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: tools.map { ($0["name"] as? String ?? "", $0) })
        for name in Self.allTools {
            let tool = try #require(byName[name], "missing tool \(name)")
            let schema = try #require(tool["inputSchema"] as? [String: Any])
            #expect(schema["type"] as? String == "object")
            #expect(!(tool["description"] as? String ?? "").isEmpty)
            #expect(tool["annotations"] is [String: Any], "no annotations on \(name)")
        }
        func hint(_ tool: String, _ key: String) -> Bool? { (byName[tool]?["annotations"] as? [String: Any])?[key] as? Bool }
        for name in ["get_status", "simulate_strategy", "estimate_cost", "get_usage_guide", "list_models", "get_sandbox_state"] {
            #expect(hint(name, "readOnlyHint") == true, "\(name) should be read-only")
        }
        #expect(hint("reset", "destructiveHint") == true)
        #expect(hint("execute_scheme", "openWorldHint") == true)
        #expect(hint("execute_scheme", "readOnlyHint") == false)
        let execute = try #require(byName["execute_scheme"]?["inputSchema"] as? [String: Any])
        #expect(execute["required"] as? [String] == ["code"])
        let plan = try #require(byName["plan_strategy"]?["inputSchema"] as? [String: Any])
        #expect(plan["required"] as? [String] == ["task_description"])
        let planProperties = try #require(plan["properties"] as? [String: [String: Any]])
        #expect(Set(planProperties.keys) == ["task_description", "data_characteristics", "constraints", "priority", "scale",
                                             "min_outputs", "coverage_target"])
        #expect(planProperties["priority"]?["enum"] as? [String] == ["speed", "cost", "quality", "balanced"])
        #expect(planProperties["scale"]?["enum"] as? [String] == ["minimal", "small", "medium", "large", "comprehensive"])
        #expect(hint("plan_strategy", "readOnlyHint") == true)
        let properties = try #require(execute["properties"] as? [String: [String: Any]])
        #expect(properties["timeout"]?["type"] as? String == "integer")
        #expect(properties["max_cost"]?["type"] as? String == "number")
        for name in ["execute_scheme", "get_status", "get_sandbox_state", "simulate_strategy", "estimate_cost", "list_models"] {
            #expect((byName[name]?["outputSchema"] as? [String: Any])?["type"] as? String == "object", "\(name) lacks an output schema")
        }
    }

    @Test("malformed JSON gets an error reply and the server still answers")
    func malformedJSONIsAnswered() throws {
        let child = try MCPChild()
        child.initialize()
        child.sendLine("{this is not json")
        child.sendLine("[1, 2")
        let ping = try #require(child.request("ping", timeout: 10))
        #expect(ping["result"] != nil)
        let errors = child.unmatchedReplies.compactMap { ($0["error"] as? [String: Any])?["code"] as? Int }
        #expect(errors == [-32700, -32700], "each malformed line gets a parse error reply")
        #expect(child.callTool("get_status")?.isError == false)
    }

    @Test("an unknown tool is a JSON-RPC error naming it; an unknown method too; the server goes on")
    func unknownToolIsAnError() throws {
        let child = try MCPChild()
        child.initialize()
        let reply = try #require(child.request("tools/call", ["name": "no_such_tool", "arguments": [:] as [String: Any]]))
        let error = try #require(reply["error"] as? [String: Any])
        #expect((error["message"] as? String ?? "").contains("no_such_tool"))
        let method = try #require(child.request("no/such/method"))
        #expect(method["error"] != nil)
        #expect(child.callTool("get_status")?.isError == false)
    }

    @Test("bad arguments are tool errors that name the argument")
    func badArgumentsNameTheArgument() throws {
        let child = try MCPChild()
        child.initialize()
        let missing = try #require(child.callTool("execute_scheme", [:]))
        #expect(missing.isError)
        #expect(missing.text.contains("'code'"))
        let wrongType = try #require(child.callTool("execute_scheme", ["code": "(finish 1)", "timeout": "soon"]))
        #expect(wrongType.isError)
        #expect(wrongType.text.contains("'timeout'") && wrongType.text.contains("whole number"))
        let negative = try #require(child.callTool("execute_scheme", ["code": "(finish 1)", "max_cost": -1]))
        #expect(negative.isError && negative.text.contains("'max_cost'"))
        let unknown = try #require(child.callTool("get_status", ["verbose": true]))
        #expect(unknown.isError && unknown.text.contains("'verbose'"))
        let notString = try #require(child.callTool("load_context", ["data": 42]))
        #expect(notString.isError && notString.text.contains("'data'"))
        let both = try #require(child.callTool("estimate_cost", ["code": "(finish 1)", "pattern": "fan-out"]))
        #expect(both.isError && both.text.contains("'code'") && both.text.contains("'pattern'"))
        #expect(child.callTool("get_status")?.isError == false)
    }
}
