import Foundation
import ModelServer
import Sandbox
import Testing

@Suite("OpenAI provider: cancellation and connections")
struct CancellationAndConnectionTests {
    @Test("cancelling a call in flight completes it once with .cancelled and closes the request")
    func cancelInFlight() async throws {
        try await withServer(.neverAnswer) { server in
            // Timeouts and delays far beyond any test run, so a test task starved by a busy
            // parallel run still cancels before the provider would do anything on its own.
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server, timeout: 3600))
            let cancellation = CallCancellation()
            let probe = CompletionProbe()
            provider.start(query("x"), cancellation: cancellation, completion: probe.completion)
            try await waitUntil { server.requestsReceived == 1 }
            #expect(probe.count == 0)
            cancellation.cancel()
            let error = try #require(await probe.firstResult(within: 60).failure)
            #expect(error.kind == .cancelled)
            #expect(error.attempts == 1)
            cancellation.cancel()
            // Give a stray callback (the cancelled task's own) time to arrive; it must be ignored.
            try await Task.sleep(nanoseconds: 200_000_000)
            #expect(probe.count == 1)
            #expect(server.requestsReceived == 1)
        }
    }

    @Test("cancelling during the backoff sleep stops the retry")
    func cancelDuringBackoff() async throws {
        try await withServer(.failing(status: 500, times: 100)) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server, baseDelay: 3600))
            let cancellation = CallCancellation()
            let probe = CompletionProbe()
            provider.start(query("x"), cancellation: cancellation, completion: probe.completion)
            try await waitUntil { server.requestsReceived == 1 }
            try await Task.sleep(nanoseconds: 50_000_000)
            cancellation.cancel()
            let error = try #require(await probe.firstResult(within: 60).failure)
            #expect(error.kind == .cancelled)
            try await Task.sleep(nanoseconds: 100_000_000)
            #expect(probe.count == 1)
            #expect(server.requestsReceived == 1)
        }
    }

    @Test("a call cancelled before it starts sends nothing")
    func cancelledBeforeStart() async throws {
        try await withServer { server in
            let cancellation = CallCancellation()
            cancellation.cancel()
            let (result, probe) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"),
                                             cancellation: cancellation)
            #expect(result.failure?.kind == .cancelled)
            try await Task.sleep(nanoseconds: 100_000_000)
            #expect(probe.count == 1)
            #expect(server.requestsReceived == 0)
        }
    }

    @Test("cancelling after the reply changes nothing")
    func cancelAfterReply() async throws {
        try await withServer { server in
            let cancellation = CallCancellation()
            let (result, probe) = await call(OpenAICompatibleProvider(configuration: testConfiguration(server)), query("x"),
                                             cancellation: cancellation)
            cancellation.cancel()
            #expect(result.success != nil)
            #expect(probe.count == 1)
        }
    }

    @Test("100 sequential calls reuse their connection")
    func connectionReuse() async throws {
        try await withServer { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            for index in 0..<100 {
                let (result, _) = await call(provider, query("call \(index)"))
                #expect(result.success?.text == "Reply to: call \(index)")
            }
            #expect(server.requestsReceived == 100)
            #expect(server.connectionsAccepted <= 2)
        }
    }

    @Test("a second burst of 50 parallel calls reuses the first burst's connections")
    func burstsReuseConnections() async throws {
        try await withServer(.fixedLatency(0.02)) { server in
            let provider = OpenAICompatibleProvider(configuration: testConfiguration(server))
            for burst in 0..<2 {
                let answers = await withTaskGroup(of: Bool.self) { group in
                    for index in 0..<50 {
                        group.addTask { await call(provider, query("\(burst)-\(index)")).0.success != nil }
                    }
                    return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(answers == 50)
            }
            #expect(server.requestsReceived == 100)
            // Never more connections than calls in flight, and the idle ones survive between bursts.
            #expect(server.connectionsAccepted <= 50)
        }
    }

    @Test("maxConnectionsPerHost caps the connections; further calls wait for one")
    func connectionCap() async throws {
        try await withServer(.fixedLatency(0.01)) { server in
            var configuration = testConfiguration(server)
            configuration.maxConnectionsPerHost = 3
            let provider = OpenAICompatibleProvider(configuration: configuration)
            let answers = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    group.addTask { await call(provider, query("call \(index)")).0.success != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(answers == 30)
            #expect(server.connectionsAccepted <= 3)
        }
    }
}
