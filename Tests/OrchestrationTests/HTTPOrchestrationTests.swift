import Foundation
import ModelServer
import Sandbox
import Testing

/// The sandbox against a real OpenAI-compatible server on 127.0.0.1 (issue 3 acceptance).
@Suite struct HTTPOrchestrationTests {
    func session(_ server: LocalModelServer, maxInFlight: Int = 64, storePath: String = ":memory:",
                 journal: String? = nil, replay: Bool = false) -> SandboxSession {
        var config = OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil)
        config.retryBaseDelay = 0.01
        let provider = OpenAICompatibleProvider(configuration: config)
        let settings = ModelSettings(defaultModel: "gpt-4o-mini", maxInFlight: maxInFlight, journal: journal, replayJournal: replay)
        return SandboxSession(storePath: storePath, gateway: ModelGateway(clock: WallClock(), settings: settings) { provider })
    }

    @Test func mapAsync200OutOfOrderComesBackInInputOrder() throws {
        let server = LocalModelServer(behavior: .outOfOrder(maxDelay: 0.02, seed: 7))
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let r = s.eval(#"""
            (define out (map-async (lambda (i) (llm-query-async #:data (format "item ~a" i))) (range 200) #:max-concurrent 20))
            (finish (for/and ([o out] [i (in-naturals)]) (string-contains? o (format "item ~a" i))))
            """#)
        #expect(r.result == "#t", "\(r.error?.message ?? "")")
        #expect(server.requestsReceived == 200)
        #expect(s.usage.calls == 200)
    }

    @Test func failuresSurfaceAsSchemeErrors() throws {
        let server = LocalModelServer(behavior: .alwaysFailing(status: 401, message: "bad key"))
        try server.start()
        defer { server.stop() }
        let r = session(server).eval(#"(finish (with-handlers ([exn:llm? (lambda (e) (list (exn:llm-status e) (exn-message e)))]) (llm-query #:data "x")))"#)
        #expect(r.status == .finished)
        #expect(r.result.hasPrefix("(401 llm-query: API 401: bad key"), "\(r.result)")
    }

    @Test func retriedRateLimitsStillAnswer() throws {
        let server = LocalModelServer(behavior: .rateLimited(times: 2, retryAfter: 0.01))
        try server.start()
        defer { server.stop() }
        let r = session(server).eval(#"(finish (syntax-e (llm-query #:data "x")))"#)
        #expect(r.status == .finished, "\(r.error?.message ?? "")")
        #expect(server.requestsReceived == 3)
    }

    @Test func resumeReplaysCompletedCalls() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let program = #"(finish (map-async (lambda (i) (llm-query-async #:data i)) (list "a" "b" "a")))"#
        let first = session(server, storePath: path, journal: "j").eval(program)
        #expect(first.status == .finished)
        #expect(server.requestsReceived == 3)
        let again = session(server, storePath: path, journal: "j", replay: true)
        let second = again.eval(program)
        #expect(second.result == first.result)
        #expect(server.requestsReceived == 3)
        #expect(again.usage.replayedCalls == 3)
        #expect(again.callRecords.allSatisfy { $0.status == "replayed" && $0.cost == 0 })
    }
}

extension HTTPOrchestrationTests {
    @Test func responseCacheServesDeterministicCallsForFree() throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func cachedSession() -> SandboxSession {
            let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL))
            let settings = ModelSettings(defaultModel: "gpt-4o-mini", cacheResponses: true)
            return SandboxSession(storePath: path, gateway: ModelGateway(clock: WallClock(), settings: settings) { provider })
        }
        let program = #"(finish (list (syntax-e (llm-query #:data "same")) (syntax-e (llm-query #:data "warm" #:temperature 0.7))))"#
        let first = cachedSession().eval(program)
        #expect(server.requestsReceived == 2)
        let s = cachedSession()
        let second = s.eval(program)
        #expect(second.result == first.result)
        // The deterministic call came from the cache; the temperature 0.7 one was sent again.
        #expect(server.requestsReceived == 3)
        #expect(s.usage.cachedCalls == 1)
        #expect(s.callRecords.first { $0.status == "cached" }?.cost == 0)
    }
}
