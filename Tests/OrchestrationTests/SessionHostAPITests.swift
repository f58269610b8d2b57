import Foundation
import ModelServer
import Sandbox
import Testing

/// The host API of a session (issue 9 item 1): async evaluation, interrupt from another thread,
/// cancelling one call, the event stream, active calls, per-evaluation results.
@Suite struct SessionHostAPITests {
    func session(_ server: LocalModelServer, maxInFlight: Int = 64) -> SandboxSession {
        let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil))
        let settings = ModelSettings(defaultModel: "gpt-4o-mini", maxInFlight: maxInFlight)
        return SandboxSession(storePath: ":memory:", gateway: ModelGateway(clock: WallClock(), settings: settings) { provider })
    }

    /// Polls `condition` every 10 ms for up to `seconds`, blocking this thread (the timing tests
    /// stay off Swift's cooperative pool, which other tests may keep busy on a 2-core machine).
    func waitUntil(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    /// Runs `code` with the blocking `eval` on a thread of its own; `wait()` returns its result.
    final class Background: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: EvalResult?
        private(set) var endedAt = Date.distantFuture

        init(_ session: SandboxSession, _ code: String) {
            Thread.detachNewThread { [self] in
                result = session.eval(code)
                endedAt = Date()
                done.signal()
            }
        }

        func wait() -> EvalResult? {
            guard done.wait(timeout: .now() + 60) == .success else { return nil }
            return result
        }
    }

    @Test func interruptFromAnotherThreadStopsA200CallFanOutPromptlyAndKeepsDefinitions() throws {
        let server = LocalModelServer(behavior: .fixedLatency(30))
        try server.start()
        defer { server.stop() }
        let s = session(server, maxInFlight: 10)
        #expect(s.eval("(define kept 42)").status == .ok)
        let running = Background(s, #"(finish (map-async (lambda (i) (llm-query-async #:data (format "item ~a" i))) (range 200) #:max-concurrent 200))"#)
        #expect(waitUntil { server.openConnections == 10 && s.activeCalls().count == 200 })
        let active = s.activeCalls()
        #expect(active.filter { $0.state == .inFlight }.count == 10)
        #expect(active.filter { $0.state == .queuedForSlot }.count == 190)

        let interruptedAt = Date()
        #expect(s.interrupt())
        let result = try #require(running.wait())
        let seconds = running.endedAt.timeIntervalSince(interruptedAt)
        print("interrupt of a 200-call map-async: ended \(Int(seconds * 1000)) ms after interrupt()")
        #expect(seconds < 1.0)
        #expect(result.status == .error)
        #expect(result.error?.code == .interrupted)
        #expect(s.callRecords.count == 200)
        #expect(s.callRecords.allSatisfy { $0.status == "cancelled" })
        #expect(s.activeCalls().isEmpty)
        // The aborted requests' connections close on the server side.
        #expect(waitUntil(10) { server.openConnections == 0 }, "still open: \(server.openConnections)")
        #expect(server.requestsReceived == 10)
        let next = s.eval("(finish kept)")
        #expect(next.status == .finished)
        #expect(next.result == "42")
    }

    @Test func asyncEvaluateReportsAnInterruptedStatusAndThisEvaluationsCalls() async throws {
        // Replies that never come in time: the state polled below lasts until the interrupt, so a
        // poller that the loaded test machine starves for a while still sees it.
        let server = LocalModelServer(behavior: .fixedLatency(600))
        try server.start()
        defer { server.stop() }
        let s = session(server, maxInFlight: 5)
        let running = Task { await s.evaluate(#"(define xs (map-async (lambda (i) (llm-query-async #:data i)) (range 20)))"#) }
        // All 20 calls exist once the first window of 5 reached the server (15 queued for a slot).
        let end = Date().addingTimeInterval(300)
        while server.requestsReceived < 5 && Date() < end { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(s.activeCalls().count == 20)
        #expect(s.interrupt())
        let result = await running.value
        #expect(result.status == .interrupted)
        #expect(result.error?.code == "interrupted")
        #expect(result.calls == 20)
        #expect(result.failedCalls == 20)
        #expect(await s.evaluate("(finish (+ 1 2))").value == "3")
    }

    @Test func interruptWhileComputingStopsAtTheNextLimitCheck() throws {
        let s = SandboxSession(storePath: ":memory:")
        let running = Background(s, "(define (spin n) (spin (+ n 1))) (spin 0)")
        usleep(100_000)
        let at = Date()
        #expect(s.interrupt())
        let result = try #require(running.wait())
        #expect(running.endedAt.timeIntervalSince(at) < 1.0)
        #expect(result.error?.code == .interrupted)
        #expect(s.eval("(finish (procedure? spin))").result == "#t")
    }

    @Test func interruptWithNothingRunningIsIgnored() async {
        let s = SandboxSession(storePath: ":memory:")
        #expect(!s.interrupt())
        #expect(await s.evaluate("(finish 1)").status == .finished)
    }

    @Test func eventStreamReportsEveryCallWithGrowingTotals() async throws {
        let server = LocalModelServer(behavior: .outOfOrder(maxDelay: 0.02, seed: 3))
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let events = s.events()
        let collector = Task { () -> [SessionEvent] in
            var seen: [SessionEvent] = []
            for await e in events {
                seen.append(e)
                if seen.count { $0.kind == .finished || $0.kind == .failed } == 50 { break }
            }
            return seen
        }
        let result = await s.evaluate(#"(finish (length (map-async (lambda (i) (llm-query-async #:data (format "n ~a" i))) (range 50))))"#)
        #expect(result.status == .finished, "\(result.error?.message ?? "")")
        let seen = await collector.value
        let started = seen.filter { $0.kind == .started }
        let finished = seen.filter { $0.kind == .finished }
        #expect(started.count == 50)
        #expect(finished.count == 50)
        #expect(finished.map(\.totals.finished) == Array(1...50))
        #expect(zip(finished, finished.dropFirst()).allSatisfy { $0.totals.inputTokens < $1.totals.inputTokens })
        #expect(Set(finished.map(\.callID)) == Set(started.map(\.callID)))
        #expect(finished.last?.totals.inputTokens == result.inputTokens)
    }

    @Test func totalsTellCallsInFlightFromCallsQueuedForASlot() async throws {
        let server = LocalModelServer(behavior: .fixedLatency(0.02))
        try server.start()
        defer { server.stop() }
        let s = session(server, maxInFlight: 10)
        let events = s.events()
        let collector = Task { () -> [SessionEvent] in
            var seen: [SessionEvent] = []
            for await e in events {
                seen.append(e)
                if e.totals.finished == 50 { break }
            }
            return seen
        }
        let result = await s.evaluate(#"(finish (length (map-async (lambda (i) (llm-query-async #:data i)) (range 50) #:max-concurrent 50)))"#)
        #expect(result.value == "50", "\(result.error?.message ?? "")")
        let seen = await collector.value
        #expect(seen.map(\.totals.inFlight).max() == 10)
        #expect(seen.map(\.totals.queuedForSlot).max() == 40)
        #expect(seen.filter { $0.kind == .sent }.count == 40)
        #expect(seen.last?.totals.inFlight == 0 && seen.last?.totals.queuedForSlot == 0)
    }

    @Test func cancellingOneCallByIdRaisesACatchableError() throws {
        let server = LocalModelServer(behavior: ServerBehavior { request in
            request.lastUserText == "slow" ? ServedResponse(status: 200, delay: .infinity) : EchoModel.respond(to: request)
        })
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let running = Background(s, #"""
                (define fast (llm-query-async #:data "fast"))
                (define slow (with-handlers ([exn:llm? (lambda (e) (list 'caught (exn:llm-status e) (exn-message e)))])
                               (syntax-e (llm-query #:data "slow"))))
                (finish (list slow (string? (syntax-e (await fast)))))
                """#)
        #expect(waitUntil { server.requestsReceived == 2 && s.activeCalls().count == 1 })
        let slow = try #require(s.activeCalls().last)
        #expect(slow.state == .inFlight && slow.sentAt != nil)
        #expect(!s.cancelCall(id: "call_999"))
        #expect(s.cancelCall(id: slow.id))
        let result = try #require(running.wait())
        #expect(result.status == .finished, "\(result.error?.message ?? "")")
        #expect(result.result.hasPrefix("((caught #f llm-query: ") == true, "\(result.result)")
        #expect(result.result.contains("cancelled") == true)
        #expect(result.result.hasSuffix(" #t)") == true, "\(result.result)")
    }

    @Test func resultCountsOnlyThisEvaluationAndGivesJSON() async throws {
        let server = LocalModelServer()
        try server.start()
        defer { server.stop() }
        let s = session(server)
        let first = await s.evaluate(#"(define a (syntax-e (llm-query #:data "one"))) (define b (syntax-e (llm-query #:data "two" #:model "gpt-4o")))"#)
        #expect(first.status == .ok)
        #expect(first.calls == 2)
        #expect(first.models == ["gpt-4o-mini", "gpt-4o"])
        let second = await s.evaluate(#"(display "hi") (finish (hash 'answer (syntax-e (llm-query #:data "three")) 'n 3))"#)
        #expect(second.status == .finished)
        #expect(second.calls == 1)
        #expect(second.stdout == "hi")
        #expect(second.byModel.map(\.model) == ["gpt-4o-mini"])
        #expect(second.inputTokens > 0 && second.outputTokens > 0)
        #expect(second.inputTokens == s.callRecords.last?.promptTokens)
        #expect(second.valueJSON?["n"] == .int(3))
        if case .string(let answer)? = second.valueJSON?["answer"] { #expect(answer.contains("three")) } else { Issue.record("answer is not a JSON string") }
        let bad = await s.evaluate("(finish (car 1))")
        #expect(bad.status == .error)
        #expect(bad.error?.code == "contract")
        #expect(bad.error?.line == 1)
        let encoded = try JSONEncoder().encode(second)
        var decoded = try JSONDecoder().decode(EvaluationResult.self, from: encoded)
        #expect(decoded.valueJSON?["n"] == .int(3))
        // JSONDecoder does not keep object key order; everything else round-trips exactly.
        decoded.valueJSON = second.valueJSON
        #expect(decoded == second)
    }
}
