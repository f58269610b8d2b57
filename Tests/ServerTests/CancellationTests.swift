import Foundation
import ModelServer
import Testing

/// Stopping work from the client: `notifications/cancelled` and `timeout` interrupt an
/// evaluation and keep the session's state; `cancel_call` cancels one call with a catchable error.
@Suite("MCP cancellation", .serialized)
struct CancellationTests {
    static func provider(latency: Double) throws -> LocalModelServer {
        let server = LocalModelServer(behavior: .fixedLatency(latency))
        try server.start()
        return server
    }

    static func child(_ provider: LocalModelServer) throws -> MCPChild {
        let child = try MCPChild(environment: ["OPENAI_BASE_URL": provider.baseURL, "OPENAI_API_KEY": "test-key"])
        child.initialize()
        return child
    }

    @Test("notifications/cancelled ends a running execute_scheme within 1 s; the next one sees earlier definitions")
    func clientCancellationInterrupts() throws {
        let provider = try Self.provider(latency: 0.3)
        defer { provider.stop() }
        let child = try Self.child(provider)
        // The definition comes with one call, so the tokenizer is loaded before the 40 start.
        #expect(child.callTool("execute_scheme", ["code": "(define base 7) (llm-query #:data \"warm\" #:model \"gpt-4o-mini\")"])?.structured?["status"] as? String == "ok")
        let long = child.start("tools/call", ["name": "execute_scheme", "arguments": ["code": "(define before 1)\n" + ResponsivenessTests.fortyItems],
                                              "_meta": ["progressToken": 9]])
        Thread.sleep(forTimeInterval: 1.0)
        child.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": long, "reason": "user pressed stop"]])
        let cancelledAt = Date()
        let next = try #require(child.callTool("execute_scheme", ["code": "(finish (+ base before))"], timeout: 10))
        let took = Date().timeIntervalSince(cancelledAt)
        print("execute_scheme after a cancellation answered \(Int(took * 1000)) ms after the notification")
        #expect(took < 1.0)
        #expect(next.structured?["value"] as? String == "8")
        #expect(provider.requestsReceived < 41, "the cancelled run stopped sending calls")
        #expect(child.response(long, timeout: 0.5) == nil, "a cancelled request gets no reply (MCP)")
        #expect(child.callTool("get_status")?.structured?["active_calls"] as? [Any] != nil)
    }

    @Test("timeout interrupts the evaluation with an error naming the timeout; state stays")
    func timeoutInterrupts() throws {
        let provider = try Self.provider(latency: 0.3)
        defer { provider.stop() }
        let child = try Self.child(provider)
        let started = Date()
        let reply = try #require(child.callTool("execute_scheme", ["code": "(define kept 5)\n" + ResponsivenessTests.fortyItems, "timeout": 1], timeout: 20))
        let took = Date().timeIntervalSince(started)
        #expect(took < 2.5, "took \(took) s")
        #expect(reply.isError)
        #expect(reply.structured?["status"] as? String == "error")
        #expect((reply.structured?["message"] as? String ?? "").contains("timed out after 1 s"))
        #expect(child.callTool("execute_scheme", ["code": "(finish kept)"])?.structured?["value"] as? String == "5")
    }

    @Test("cancel_call cancels one in-flight call; the program catches the error and goes on")
    func cancelOneCall() throws {
        let provider = try Self.provider(latency: 5)
        defer { provider.stop() }
        let child = try Self.child(provider)
        let code = """
            (define r (with-handlers ([exn:fail? (lambda (e) "caught")]) (syntax-e (llm-query #:data "slow" #:model "gpt-4o-mini"))))
            (finish r)
            """
        let run = child.start("tools/call", ["name": "execute_scheme", "arguments": ["code": code]])
        var id: String?
        for _ in 0..<50 where id == nil {
            Thread.sleep(forTimeInterval: 0.1)
            id = (child.callTool("get_status")?.structured?["active_calls"] as? [[String: Any]])?.first?["call_id"] as? String
        }
        let callID = try #require(id)
        let started = Date()
        #expect(child.callTool("cancel_call", ["call_id": callID])?.text == "Cancelled \(callID)")
        let reply = try #require(child.response(run, timeout: 10))
        #expect(Date().timeIntervalSince(started) < 2)
        let structured = (reply["result"] as? [String: Any])?["structuredContent"] as? [String: Any]
        #expect(structured?["value"] as? String == "caught")
        #expect(child.callTool("cancel_call", ["call_id": callID])?.text == "No active call with ID \(callID)")
    }
}
