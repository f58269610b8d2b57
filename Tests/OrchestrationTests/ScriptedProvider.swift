import Foundation
import Sandbox

/// An in-process provider for orchestration tests: answers each request after a delay chosen by
/// `latency` (on a background queue, like a real HTTP completion), with text from `answer`.
final class ScriptedProvider: Provider, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var requests: [ModelRequest] = []
    private var inFlight = 0
    private(set) var maxInFlight = 0
    private(set) var cancelled = 0
    let latency: @Sendable (ModelRequest, Int) -> Double
    let answer: @Sendable (ModelRequest, Int) -> Result<String, ProviderError>

    init(latency: @escaping @Sendable (ModelRequest, Int) -> Double = { _, _ in 0.001 },
         answer: @escaping @Sendable (ModelRequest, Int) -> Result<String, ProviderError> = { r, _ in
             .success("echo: " + (r.messages.last?.content ?? ""))
         }) {
        self.latency = latency
        self.answer = answer
    }

    var requestCount: Int { lock.lock(); defer { lock.unlock() }; return requests.count }

    func start(_ request: ModelRequest, cancellation: CallCancellation,
               completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        lock.lock()
        let n = requests.count
        requests.append(request)
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        lock.unlock()
        let once = OnceFlag()
        let finish: @Sendable (Result<ModelReply, ProviderError>) -> Void = { [self] r in
            guard once.take() else { return }
            lock.lock(); inFlight -= 1; if case .failure(let e) = r, e.kind == .cancelled { cancelled += 1 }; lock.unlock()
            completion(r)
        }
        cancellation.onCancel { finish(.failure(ProviderError(.cancelled, message: "cancelled"))) }
        let delay = latency(request, n)
        let result = answer(request, n)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            finish(result.map { text in
                let prompt = request.messages.reduce(0) { $0 + $1.content.count } / 4 + 1
                return ModelReply(text: text, promptTokens: prompt, completionTokens: text.count / 4 + 1, latency: delay)
            })
        }
    }
}

final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false
    func take() -> Bool { lock.lock(); defer { lock.unlock() }; if taken { return false }; taken = true; return true }
}

func makeSession(_ provider: ScriptedProvider, settings: ModelSettings = ModelSettings(defaultModel: "test-model"),
                 limits: Limits = Limits()) -> SandboxSession {
    let gateway = ModelGateway(clock: WallClock(), settings: settings) { provider }
    return SandboxSession(limits: limits, storePath: ":memory:", gateway: gateway)
}
