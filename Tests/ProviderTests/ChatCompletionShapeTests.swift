import Foundation
import ModelServer
import Sandbox
import Testing

/// What goes over the wire and what comes back, checked on the server side of a real socket.
@Suite("OpenAI provider: request and reply shapes")
struct ChatCompletionShapeTests {
    @Test("a reply's text, token counts and rate-limit headers are parsed")
    func success() async throws {
        let log = RequestLog()
        try await withServer(log.recording()) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            let (result, probe) = await call(provider, query("What is the capital of France?", instruction: "Be terse."))
            let reply = try #require(result.success)
            let served = try #require(log.all.first)
            #expect(reply.text == "Reply to: What is the capital of France?")
            #expect(reply.promptTokens == EchoModel.promptTokens(for: served))
            #expect(reply.promptTokens == ("Be terse.".count + "What is the capital of France?".count) / 4)
            #expect(reply.completionTokens == reply.text.count / 4)
            #expect(reply.attempts == 1)
            #expect(reply.rateLimits == RateLimitSnapshot(limitRequests: 10000, limitTokens: 2000000, remainingRequests: 9999,
                                                          remainingTokens: 1999000, resetRequests: "6ms", resetTokens: "30ms"))
            #expect(served.method == "POST")
            #expect(served.path == "/v1/chat/completions")
            #expect(served.headers["authorization"] == "Bearer \(testAPIKey)")
            #expect(served.headers["content-type"] == "application/json")
            #expect(served.model == "test-model")
            #expect(served.messages == [ServedMessage(role: "system", text: "Be terse."),
                                        ServedMessage(role: "user", text: "What is the capital of France?")])
            #expect(served.responseFormatType == nil)
            #expect(probe.count == 1)
        }
    }

    @Test("a reply without rate-limit headers has no snapshot; missing counts read as 0")
    func rateLimitHeadersOptional() async throws {
        let bare = ServerBehavior { _ in .chatCompletion(text: "ok", promptTokens: 3, completionTokens: 1, headers: []) }
        let partial = ServerBehavior { _ in
            .chatCompletion(text: "ok", promptTokens: 3, completionTokens: 1,
                            headers: [("x-ratelimit-remaining-requests", "7"), ("x-ratelimit-limit-tokens", "many")])
        }
        try await withServer(bare) { server in
            let (result, _) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let outcome = try #require(result.success)
            #expect(outcome.rateLimits == nil)
        }
        try await withServer(partial) { server in
            let (result, _) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"))
            let outcome = try #require(result.success)
            #expect(outcome.rateLimits == RateLimitSnapshot(remainingRequests: 7))
        }
    }

    @Test("JSON mode sends response_format json_object and gets a JSON object back")
    func jsonMode() async throws {
        let log = RequestLog()
        try await withServer(log.recording()) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            let (result, _) = await call(provider, query("rate this", instruction: "Reply in JSON.", jsonMode: true))
            let reply = try #require(result.success)
            let served = try #require(log.all.first)
            #expect(served.responseFormatType == "json_object")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(served.body)) as? [String: Any])
            #expect(body["response_format"] as? [String: String] == ["type": "json_object"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])
            #expect(object["answer"] as? String == "rate this")
            #expect(object["approved"] as? Bool == true)
        }
    }

    @Test("temperature and max_tokens are omitted when unset, and 0 is forwarded")
    func optionalParameters() async throws {
        let log = RequestLog()
        try await withServer(log.recording()) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            _ = await call(provider, query("a"))
            _ = await call(provider, query("b", temperature: 0, maxTokens: 0))
            _ = await call(provider, query("c", temperature: 0.7, maxTokens: 256))
            let served = log.all
            try #require(served.count == 3)
            let bodies = try served.map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
            #expect(bodies[0]["temperature"] == nil)
            #expect(bodies[0]["max_tokens"] == nil)
            #expect(bodies[0]["response_format"] == nil)
            #expect(served[1].temperature == 0)
            #expect(bodies[1]["temperature"] != nil)
            #expect(served[1].maxTokens == 0)
            #expect(served[2].temperature == 0.7)
            #expect(served[2].maxTokens == 256)
        }
    }

    @Test("images turn the user content into text and image_url parts; the system message stays a string")
    func images() async throws {
        let log = RequestLog()
        let images = ["data:image/png;base64,iVBORw0KGgo=", "https://example.com/cat.jpg"]
        try await withServer(log.recording()) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            let (result, _) = await call(provider, query("describe", instruction: "You see images.", images: images))
            let outcome = try #require(result.success)
            #expect(outcome.text == "Reply to: describe")
            let served = try #require(log.all.first)
            #expect(served.messages[1] == ServedMessage(role: "user", text: "describe", imageURLs: images, contentIsParts: true))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(served.body)) as? [String: Any])
            let messages = try #require(body["messages"] as? [[String: Any]])
            #expect(messages[0]["content"] as? String == "You see images.")
            let parts = try #require(messages[1]["content"] as? [[String: Any]])
            #expect(parts.count == 3)
            #expect(parts[0]["type"] as? String == "text")
            #expect(parts[0]["text"] as? String == "describe")
            #expect(parts[1]["type"] as? String == "image_url")
            #expect(parts[1]["image_url"] as? [String: String] == ["url": images[0]])
            #expect(parts[2]["image_url"] as? [String: String] == ["url": images[1]])
            #expect(parts[1].keys.sorted() == ["image_url", "type"])
        }
    }

    @Test("empty data is sent as the literal (no data provided), and no system message without an instruction")
    func emptyDataAndInstruction() async throws {
        let log = RequestLog()
        try await withServer(log.recording()) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            _ = await call(provider, query("", instruction: ""))
            #expect(log.all.first?.messages == [ServedMessage(role: "user", text: "(no data provided)")])
        }
    }

    @Test("200 calls with 50 in flight against an out-of-order server all get their own answers")
    func concurrentCallsOutOfOrder() async throws {
        try await withServer(.outOfOrder(maxDelay: 0.01, seed: 7)) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var collected: [Int: String] = [:]
                for index in 0..<200 {
                    if index >= 50, let (i, text) = try await group.next() { collected[i] = text }
                    group.addTask {
                        let (result, _) = await call(provider, query("call \(index)"))
                        return (index, try #require(result.success).text)
                    }
                }
                for try await (i, text) in group { collected[i] = text }
                return collected
            }
            #expect(texts.count == 200)
            for (index, text) in texts { #expect(text == "Reply to: call \(index)") }
        }
    }
}
