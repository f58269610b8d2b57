import Foundation
import ModelServer
import Testing

/// A long `execute_scheme` does not block the server: progress flows, `get_status` answers, and
/// (issue 11 acceptance) 40 calls of 0.3 s through a window of 5 all complete.
@Suite("MCP responsiveness", .serialized)
struct ResponsivenessTests {
    static let fortyItems = """
        (define items (range 40))
        (define out (map-async (lambda (i) (llm-query-async #:instruction "Label" #:data (number->string i) #:model "gpt-4o-mini"))
                               items #:max-concurrent 5))
        (finish (length out))
        """

    static func slowProvider() throws -> LocalModelServer {
        let server = LocalModelServer(behavior: .fixedLatency(0.3))
        try server.start()
        return server
    }

    @Test("a 40-item map-async sends progress, get_status answers within 1 s during it and lists active calls")
    func progressAndStatusDuringExecution() throws {
        let provider = try Self.slowProvider()
        defer { provider.stop() }
        let child = try MCPChild(environment: ["OPENAI_BASE_URL": provider.baseURL, "OPENAI_API_KEY": "test-key"])
        child.initialize()
        // One call first, so the 40 start at once (the first call waits for the tokenizer, slow in debug builds).
        #expect(child.callTool("execute_scheme", ["code": "(llm-query #:data \"warm\" #:model \"gpt-4o-mini\")"])?.isError == false)
        let execute = child.start("tools/call", ["name": "execute_scheme", "arguments": ["code": Self.fortyItems],
                                                 "_meta": ["progressToken": "run-1"]])
        Thread.sleep(forTimeInterval: 1.0)
        let asked = Date()
        let status = try #require(child.callTool("get_status", timeout: 5))
        let answeredIn = Date().timeIntervalSince(asked)
        print("get_status during execute_scheme answered in \(Int(answeredIn * 1000)) ms")
        #expect(answeredIn < 1.0)
        let active = try #require(status.structured?["active_calls"] as? [[String: Any]])
        #expect(!active.isEmpty && active.count <= 5, "the window holds at most 5 calls, got \(active.count)")
        #expect(active.allSatisfy { $0["model"] as? String == "gpt-4o-mini" && ($0["call_id"] as? String ?? "").hasPrefix("call_") })
        #expect(status.structured?["executing"] as? Bool == true)

        let reply = try #require(child.response(execute, timeout: 60))
        let result = try #require(reply["result"] as? [String: Any])
        let structured = try #require(result["structuredContent"] as? [String: Any])
        #expect(structured["status"] as? String == "finished")
        #expect(structured["value"] as? String == "40")
        let execution = try #require(structured["execution"] as? [String: Any])
        #expect(execution["llm_calls"] as? Int == 40)
        #expect(execution["models"] as? String == "gpt-4o-mini×40")
        let progress = child.notifications("notifications/progress")
        #expect(progress.count >= 2, "got \(progress.count) progress notifications")
        let params = progress.compactMap { $0["params"] as? [String: Any] }
        #expect(params.allSatisfy { $0["progressToken"] as? String == "run-1" })
        #expect(params.contains { ($0["message"] as? String ?? "").contains("active: ") })
        #expect(params.allSatisfy { ($0["message"] as? String ?? "").contains("so far") })
        let done = params.compactMap { $0["progress"] as? Double }
        #expect(done == done.sorted(), "progress never goes backwards")
        #expect(provider.requestsReceived == 41)
        #expect(child.strayLines.isEmpty)
    }

    @Test("max_cost refuses a strategy whose simulated p95 cost is higher, before any request is sent")
    func maxCostRefuses() throws {
        let provider = try Self.slowProvider()
        defer { provider.stop() }
        let child = try MCPChild(environment: ["OPENAI_BASE_URL": provider.baseURL, "OPENAI_API_KEY": "test-key"])
        child.initialize()
        let refused = try #require(child.callTool("execute_scheme", ["code": Self.fortyItems, "max_cost": 0.000001]))
        let s = try #require(refused.structured)
        #expect(s["status"] as? String == "refused")
        #expect((s["message"] as? String ?? "").contains("max_cost"))
        #expect(((s["estimate"] as? [String: Any])?["cost_usd_p95"] as? Double ?? 0) > 0.000001)
        #expect(provider.requestsReceived == 0)
        let allowed = try #require(child.callTool("execute_scheme", ["code": "(finish (syntax-e (llm-query #:data \"x\" #:model \"gpt-4o-mini\")))", "max_cost": 5]))
        #expect(allowed.structured?["status"] as? String == "finished")
        #expect(provider.requestsReceived == 1)
    }
}
