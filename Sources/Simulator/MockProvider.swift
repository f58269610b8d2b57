import Foundation
import Sandbox

/// The simulator's provider: answers each call on the virtual clock after the latency its model's
/// behaviour gives, with a reply of sampled length (or a fixture's), deterministically per seed.
///
/// Draws are keyed by the request's content and occurrence, not by call order, so two runs with
/// the same seed agree call by call even if the schedule interleaves differently.
///
/// Transient failures: each attempt fails (429 or 503, after about the time to first token) with
/// the model's `error_rate`, or `errorRate` when set (`simulate --error-rate`). The world's
/// `RetryingProvider` retries them under the real retry policy. Failure draws come from their own
/// stream, and a retry reuses its call's occurrence, so the reply finally given — its length and
/// tokens — is the one the call would have had without failures.
public final class MockProvider: Provider, @unchecked Sendable {
    let clock: VirtualClock
    let seed: UInt64
    let behaviors: ModelBehaviorTable
    let fixtures: FixtureSet
    let promptTokens: (ModelRequest) -> Int
    /// Overrides every model's `errorRate` when set.
    let errorRate: Double?
    /// How an injected failure's message begins (reports tell these failures by it).
    public static let injectedFailureMessage = "simulated transient failure"
    private let lock = NSLock()
    private var occurrences: [UInt64: Int] = [:]
    /// The occurrence of each call whose last attempt failed (its retry draws the same reply).
    private var retrying: [UInt64: Int] = [:]
    /// How many calls each fixture entry answered (for "branch never taken" warnings).
    public private(set) var fixtureHits: [Int]
    /// Models the behaviour table does not know.
    public private(set) var unknownModels: Set<String> = []

    public init(clock: VirtualClock, seed: UInt64, behaviors: ModelBehaviorTable, fixtures: FixtureSet,
                promptTokens: @escaping (ModelRequest) -> Int, errorRate: Double? = nil) {
        self.clock = clock
        self.errorRate = errorRate
        self.seed = seed
        self.behaviors = behaviors
        self.fixtures = fixtures
        self.promptTokens = promptTokens
        fixtureHits = Array(repeating: 0, count: fixtures.entries.count)
    }

    /// One attempt, never failing on purpose (no retry policy would handle it).
    public func start(_ request: ModelRequest, cancellation: CallCancellation,
                      completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let key = request.fastKey
        reply(request, key: key, occurrence: nextOccurrence(key), cancellation: cancellation, completion: completion)
    }

    /// One attempt of a retried call: fails transiently at the error rate, else replies.
    public func startAttempt(_ request: ModelRequest, attempt: ProviderAttempt, cancellation: CallCancellation,
                             completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        let key = request.fastKey
        lock.lock()
        let earlier = attempt.number > 1 ? retrying.removeValue(forKey: attempt.call) : nil
        lock.unlock()
        let occurrence = earlier ?? nextOccurrence(key)
        let behavior = behaviors.behavior(request.model) ?? behaviors.fallback
        let rate = errorRate ?? behavior.errorRate ?? 0
        if rate > 0 {
            var faults = SeededRandom(seed: seed ^ 0xFA17_FA17, key: key, occurrence: occurrence &* 64 &+ attempt.number)
            if faults.unit() < rate {
                lock.lock(); retrying[attempt.call] = occurrence; lock.unlock()
                let status = faults.unit() < 0.5 ? 429 : 503
                let latency = behavior.ttftSeconds * _exp(behavior.latencySpread * faults.normal())
                let error = ProviderError(.http, status: status, message: Self.injectedFailureMessage + String(format: " (error rate %g)", rate))
                let once = CompletionOnce(completion)
                cancellation.onCancel { once.call(.failure(ProviderError(.cancelled, message: "call was cancelled"))) }
                clock.schedule(at: clock.now() + latency) { once.call(.failure(error)) }
                return
            }
        }
        reply(request, key: key, occurrence: occurrence, cancellation: cancellation, completion: completion)
    }

    private func nextOccurrence(_ key: UInt64) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let occurrence = occurrences[key, default: 0]
        occurrences[key] = occurrence + 1
        return occurrence
    }

    /// - Parameter key: `request.fastKey` (hashing the whole prompt once per attempt is enough).
    private func reply(_ request: ModelRequest, key: UInt64, occurrence: Int, cancellation: CallCancellation,
                       completion: @escaping @Sendable (Result<ModelReply, ProviderError>) -> Void) {
        lock.lock()
        let known = behaviors.behavior(request.model)
        if known == nil { unknownModels.insert(request.model) }
        lock.unlock()
        let behavior = known ?? behaviors.fallback
        var random = SeededRandom(seed: seed, key: key, occurrence: occurrence)
        let prompt = promptTokens(request)
        var text: String
        var completionTokens: Int
        // Without fixtures there is nothing to match (and nothing drawn): skip lower-casing the prompt.
        if !fixtures.entries.isEmpty, let i = fixtures.match(request, random: &random) {
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
            if RecursivePrompt.asksForProgram(instruction) {
                // A `#:recursive #t` code-generation call: the sub-model answers with a program
                // (one call on its data), so the child sandbox runs and its calls are simulated too.
                // Its length and latency stay those of a typical reply of the model.
                text = ReplySynthesizer.recursiveProgram
            } else {
                text = request.jsonMode
                    ? ReplySynthesizer.json(tokens: completionTokens, instruction: instruction, random: &random)
                    : ReplySynthesizer.text(tokens: completionTokens, random: &random)
            }
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
