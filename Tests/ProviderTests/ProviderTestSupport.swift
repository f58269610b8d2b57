import Foundation
import ModelServer
import Sandbox
import Testing

/// The key every provider test sends; tests check it never shows up in an error.
let testAPIKey = "sk-test-9f8e7d6c5b4a39281706"

/// Starts a `LocalModelServer` with `behavior` for the duration of `body`.
func withServer<T>(_ behavior: ServerBehavior = .echo, _ body: (LocalModelServer) async throws -> T) async throws -> T {
    let server = LocalModelServer(behavior: behavior)
    try server.start()
    defer { server.stop() }
    return try await body(server)
}

/// A configuration pointing at `server` with tiny delays, so retry tests take milliseconds.
func testConfiguration(_ server: LocalModelServer, timeout: Double = 60, maxRetries: Int = 3,
                       baseDelay: Double = 0.001) -> OpenAIConfiguration {
    OpenAIConfiguration(baseURL: server.baseURL, apiKey: testAPIKey, requestTimeout: timeout, maxRetries: maxRetries,
                        retryBaseDelay: baseDelay, retryJitter: 0)
}

/// A request in the shape `llm-query` sends.
func query(_ data: String, instruction: String = "Answer briefly.", temperature: Double? = nil, maxTokens: Int? = nil,
           jsonMode: Bool = false, images: [String] = []) -> ModelRequest {
    .forQuery(instruction: instruction, data: data, model: "test-model", temperature: temperature, maxTokens: maxTokens,
              jsonMode: jsonMode, images: images)
}

/// Records every invocation of a provider's completion, so tests can check it ran exactly once.
final class CompletionProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<ModelReply, ProviderError>] = []
    private var waiters: [CheckedContinuation<Result<ModelReply, ProviderError>, Never>] = []

    /// The completion to hand to `Provider.start`.
    var completion: @Sendable (Result<ModelReply, ProviderError>) -> Void {
        { [self] result in record(result) }
    }

    /// How many times the completion has run.
    var count: Int { lock.lock(); defer { lock.unlock() }; return results.count }

    private func record(_ result: Result<ModelReply, ProviderError>) {
        lock.lock()
        results.append(result)
        let waiting = waiters
        waiters = []
        lock.unlock()
        for waiter in waiting { waiter.resume(returning: result) }
    }

    /// The first result, or a `.transport` failure naming the test harness if none arrives
    /// within `limit` seconds (so a broken provider fails the test instead of hanging it).
    func firstResult(within limit: Double = 60) async -> Result<ModelReply, ProviderError> {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let first = results.first {
                lock.unlock()
                continuation.resume(returning: first)
                return
            }
            waiters.append(continuation)
            lock.unlock()
            DispatchQueue.global().asyncAfter(deadline: .now() + limit) { [self] in
                lock.lock()
                let waiting = waiters
                waiters = []
                lock.unlock()
                for waiter in waiting {
                    waiter.resume(returning: .failure(ProviderError(.transport, message: "test harness: no completion within \(limit) s")))
                }
            }
        }
    }
}

/// Starts `request` on `provider` and waits for its result.
func call(_ provider: any Provider, _ request: ModelRequest,
          cancellation: CallCancellation = CallCancellation()) async -> (Result<ModelReply, ProviderError>, CompletionProbe) {
    let probe = CompletionProbe()
    provider.start(request, cancellation: cancellation, completion: probe.completion)
    return (await probe.firstResult(), probe)
}

/// Collects the requests a server saw (behaviours run on connection threads).
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [ServedRequest] = []

    /// `base`, recording every request before answering it.
    func recording(_ base: ServerBehavior = .echo) -> ServerBehavior {
        ServerBehavior { [self] request in
            lock.lock()
            requests.append(request)
            lock.unlock()
            return base.respond(request)
        }
    }

    /// The requests so far, in arrival order.
    var all: [ServedRequest] { lock.lock(); defer { lock.unlock() }; return requests.sorted { $0.sequence < $1.sequence } }
}

/// Polls `condition` every few milliseconds until it holds (at most `limit` seconds).
func waitUntil(_ limit: Double = 60, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(limit)
    while !condition() {
        guard Date() < deadline else { return }
        try await Task.sleep(nanoseconds: 2_000_000)
    }
}

extension Result {
    var success: Success? { if case .success(let value) = self { value } else { nil } }
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
