import Foundation
import ModelServer
import Sandbox
import Testing

/// `#:recursive #t` children as fibers on the parent's scheduler (issue 9 item 4): they overlap
/// with each other and with the parent's fibers, in real time and on a virtual clock.
@Suite struct RecursiveFiberTests {
    static let childProgram = "Here you go:\n```scheme\n(finish (string-append \"child of \" context \": \" (syntax-e (llm-query #:data \"inner\"))))\n```"

    static func isCodeRequest(_ text: String) -> Bool { text.contains("You have a Scheme") }

    static let fourRecursive = #"""
        (define (ask d) (lambda () (syntax-e (llm-query #:instruction "solve" #:data d #:recursive #t))))
        (finish (parallel (list (ask "a") (ask "b") (ask "c") (ask "d"))))
        """#

    @Test func fourParallelRecursiveCallsOverlapAgainstARealServer() throws {
        // Every answer takes 0.3 s: a child costs its code-generation call plus its own call.
        let server = LocalModelServer(behavior: ServerBehavior { request in
            let code = request.messages.contains { RecursiveFiberTests.isCodeRequest($0.text) }
            let response = code ? ServedResponse.chatCompletion(text: RecursiveFiberTests.childProgram, promptTokens: 50, completionTokens: 20)
                : EchoModel.respond(to: request)
            return response.delayed(by: 0.3)
        })
        try server.start()
        defer { server.stop() }
        let provider = OpenAICompatibleProvider(configuration: OpenAIConfiguration(baseURL: server.baseURL, apiKey: nil))
        let gateway = ModelGateway(clock: WallClock(), settings: ModelSettings(defaultModel: "gpt-4o-mini")) { provider }
        let session = SandboxSession(storePath: ":memory:", gateway: gateway)
        // The blocking `eval` keeps the measurement off Swift's cooperative pool.
        let started = Date()
        let result = session.eval(Self.fourRecursive)
        let seconds = Date().timeIntervalSince(started)
        print("four parallel recursive llm-query (0.3 s per call): \(String(format: "%.2f", seconds)) s")
        #expect(result.status == .finished, "\(result.error?.message ?? "")")
        #expect(result.result.hasPrefix("(child of a: ") == true, "\(result.result)")
        #expect(result.result.contains("child of d: ") == true)
        #expect(session.callRecords.count == 8)
        #expect(seconds < 1.0)
        // Usage of every depth is the parent session's.
        #expect(session.callRecords.filter { $0.depth == 1 }.count == 4)
    }

    @Test func childrenOverlapOnAVirtualClock() async {
        let clock = VirtualClock()
        let provider = VirtualLatencyProvider(clock: clock, latency: 0.3) { request in
            request.messages.contains { RecursiveFiberTests.isCodeRequest($0.content) } ? RecursiveFiberTests.childProgram
                : "echo " + (request.messages.last?.content ?? "")
        }
        let gateway = ModelGateway(clock: clock, settings: ModelSettings(defaultModel: "m")) { provider }
        let session = SandboxSession(storePath: ":memory:", gateway: gateway)
        let result = await session.evaluate(Self.fourRecursive + #"""
            (define solo (parallel (list (ask "e") (lambda () (syntax-e (llm-query #:data "parent"))))))
            """#)
        #expect(result.status == .finished, "\(result.error?.message ?? "")")
        // Two rounds of 0.3 s, not eight: the four children ran side by side.
        #expect(abs(clock.now() - 0.6) < 1e-9, "virtual time \(clock.now())")
    }

    @Test func aChildsFailureIsCatchableAndItsLimitsAreItsOwn() async {
        let clock = VirtualClock()
        let provider = VirtualLatencyProvider(clock: clock, latency: 0.1) { request in
            let data = request.messages.last?.content ?? ""
            return data == "loop" ? "(define (f) (f)) (f)" : data == "bad" ? "(car 1)" : "(finish (+ 1 2))"
        }
        let gateway = ModelGateway(clock: clock, settings: ModelSettings(defaultModel: "m")) { provider }
        var limits = Limits()
        limits.fuel = 1_000_000
        let session = SandboxSession(limits: limits, storePath: ":memory:", gateway: gateway)
        let result = await session.evaluate(#"""
            (define (ask d) (with-handlers ([exn:llm? exn-message]) (syntax-e (llm-query #:data d #:recursive #t))))
            (finish (list (ask "ok") (ask "bad") (ask "loop") (ask "ok")))
            """#)
        #expect(result.status == .finished, "\(result.error?.message ?? "")")
        #expect(result.value?.hasPrefix("(3 llm-query: the sub-model's program failed: car: contract violation") == true, "\(result.value ?? "")")
        #expect(result.value?.contains("the sub-model's program failed: out of fuel") == true, "\(result.value ?? "")")
        #expect(result.value?.hasSuffix(" 3)") == true)
    }
}

/// Answers every request `latency` seconds later on a virtual clock (a simulation's world).
final class VirtualLatencyProvider: Provider, @unchecked Sendable {
    let clock: VirtualClock
    let latency: Double
    let answer: @Sendable (ModelRequest) -> String

    init(clock: VirtualClock, latency: Double, answer: @escaping @Sendable (ModelRequest) -> String) {
        self.clock = clock
        self.latency = latency
        self.answer = answer
    }

    func start(_ request: ModelRequest, cancellation: CallCancellation,
               completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let text = answer(request)
        let latency = self.latency
        clock.schedule(at: clock.now() + latency) {
            completion(.success(ModelReply(text: text, promptTokens: 10, completionTokens: 5, latency: latency)))
        }
    }
}
