import Foundation
import Sandbox

/// The simulator's provider: answers each call on the virtual clock after the latency its model's
/// behaviour gives, with a reply of sampled length (or a fixture's), deterministically per seed.
///
/// Draws are keyed by the request's content and occurrence, not by call order, so two runs with
/// the same seed agree call by call even if the schedule interleaves differently.
public final class MockProvider: Provider, @unchecked Sendable {
    let clock: VirtualClock
    let seed: UInt64
    let behaviors: ModelBehaviorTable
    let fixtures: FixtureSet
    let promptTokens: (ModelRequest) -> Int
    private let lock = NSLock()
    private var occurrences: [UInt64: Int] = [:]
    /// How many calls each fixture entry answered (for "branch never taken" warnings).
    public private(set) var fixtureHits: [Int]
    /// Models the behaviour table does not know.
    public private(set) var unknownModels: Set<String> = []

    public init(clock: VirtualClock, seed: UInt64, behaviors: ModelBehaviorTable, fixtures: FixtureSet,
                promptTokens: @escaping (ModelRequest) -> Int) {
        self.clock = clock
        self.seed = seed
        self.behaviors = behaviors
        self.fixtures = fixtures
        self.promptTokens = promptTokens
        fixtureHits = Array(repeating: 0, count: fixtures.entries.count)
    }

    public func start(_ request: ModelRequest, cancellation: CallCancellation,
                      completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let key = request.fastKey
        lock.lock()
        let occurrence = occurrences[key, default: 0]
        occurrences[key] = occurrence + 1
        let known = behaviors.behavior(request.model)
        if known == nil { unknownModels.insert(request.model) }
        lock.unlock()
        let behavior = known ?? behaviors.fallback
        var random = SeededRandom(seed: seed, key: key, occurrence: occurrence)
        let prompt = promptTokens(request)
        var text: String
        var completionTokens: Int
        if let i = fixtures.match(request, random: &random) {
            lock.lock(); fixtureHits[i] += 1; lock.unlock()
            let e = fixtures.entries[i]
            if let t = e.text ?? e.texts.flatMap({ $0.isEmpty ? nil : $0[Int(random.next() % UInt64($0.count))] }) {
                text = t
                completionTokens = max(1, e.tokens ?? (t.utf8.count + 3) / 4)
            } else {
                completionTokens = max(1, e.tokens ?? 1)
                if let cap = request.maxTokens { completionTokens = min(completionTokens, cap) }
                text = ReplySynthesizer.text(tokens: completionTokens, random: &random)
            }
        } else {
            completionTokens = ReplySynthesizer.replyTokens(request, behavior: behavior, random: &random)
            let instruction = request.messages.first { $0.role == "system" }?.content ?? ""
            text = request.jsonMode
                ? ReplySynthesizer.json(tokens: completionTokens, instruction: instruction, random: &random)
                : ReplySynthesizer.text(tokens: completionTokens, random: &random)
        }
        let base = behavior.ttftSeconds + behavior.ttftSecondsPerKiloToken * Double(prompt) / 1000
            + Double(completionTokens) / max(behavior.outputTokensPerSecond, 1)
        let latency = base * _exp(behavior.latencySpread * random.normal() - behavior.latencySpread * behavior.latencySpread / 2)
        let reply = ModelReply(text: text, promptTokens: prompt, completionTokens: completionTokens, latency: latency)
        let once = CompletionOnce(completion)
        cancellation.onCancel { once.call(.failure(ProviderError(.cancelled, message: "call was cancelled"))) }
        clock.schedule(at: clock.now() + latency) { once.call(.success(reply)) }
    }
}

/// Calls a completion at most once (a cancelled call's timer still fires later).
final class CompletionOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var completion: (@Sendable (Result<ModelReply, ProviderError>) -> Void)?
    init(_ completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) { self.completion = completion }
    func call(_ r: Result<ModelReply, ProviderError>) {
        lock.lock()
        let c = completion
        completion = nil
        lock.unlock()
        c?(r)
    }
}
