import Foundation
import Sandbox

/// Something the user should know before paying: a `code` a host can act on, the `message` a
/// person reads, and the fields the message was made from (nil when they do not apply).
public struct SimulationWarning: Sendable, Equatable, Codable {
    /// What kind of warning (encoded as its snake_case string; new codes may be added).
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A call's prompt is larger than its model's context window (`site`, `model`,
        /// `prompt_tokens`, `context_window`).
        public static let contextOverflow = Code(rawValue: "context_overflow")
        /// Runs failed on a `token-budget` / `cost-budget` (`runs`, `error`).
        public static let budgetExceeded = Code(rawValue: "budget_exceeded")
        /// Calls waited longer for rate-limit capacity than half their model time (`wait_s`, `model_s`).
        public static let rateLimitDominant = Code(rawValue: "rate_limit_dominant")
        /// The behaviour table does not know the model; defaults were used (`model`).
        public static let unknownModel = Code(rawValue: "unknown_model")
        /// The registry has no price for the model; its dollars are not counted (`model`).
        public static let unknownPrice = Code(rawValue: "unknown_price")
        /// A fixture never matched a call: the branch it steers was never taken (`fixture`).
        public static let fixtureUnused = Code(rawValue: "fixture_unused")
        /// Runs failed with an error other than a budget (`runs`, `error`).
        public static let strategyFailed = Code(rawValue: "strategy_failed")
        /// Rate limits of a usage tier are assumed for a provider known to enforce tiers, because
        /// no tier was given (`--tier`, `RLM_TIER`).
        public static let rateLimitAssumed = Code(rawValue: "rate_limit_assumed")
        /// The strategy's Python would have changed a file outside the simulation (`path`, `change`).
        public static let pythonSideEffect = Code(rawValue: "python_side_effect")
        /// Calls gave up after their retries on injected transient failures (`calls`, `share`,
        /// `runs`: the runs that failed on them).
        public static let retriesExhausted = Code(rawValue: "retries_exhausted")
    }

    public var code: Code
    public var message: String
    /// The call site (`file:line`).
    public var site: String?
    public var model: String?
    public var promptTokens: Int?
    public var contextWindow: Int?
    /// How many runs it happened in (of `SimulationReport.runCount`).
    public var runs: Int?
    /// The error the runs ended with (the first run's, whole).
    public var error: String?
    /// How many calls it happened to, over all runs, and their share of all calls.
    public var calls: Int?
    public var share: Double?
    /// Seconds spent waiting on rate limits, and seconds of model time, per run (means).
    public var waitSeconds: Double?
    public var modelSeconds: Double?
    /// The fixture's position in the fixtures file (1-based).
    public var fixture: Int?
    /// The file a side effect would have touched, and how (`write`, `append`, `delete`, `rename`, …).
    public var path: String?
    public var change: String?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case code, message, site, model, promptTokens = "prompt_tokens", contextWindow = "context_window", runs, error
        case waitSeconds = "wait_s", modelSeconds = "model_s", fixture, path, change, calls, share
    }
}

extension SimulationWarning {
    /// Every warning the runs give, in a fixed order: context windows, failures (budgets first),
    /// rate limits, unknown models and prices, unused fixtures.
    static func all(runs: [SimulatedRun], options: SimulationOptions, byModel: [ModelUsage], sourceName: String) -> [SimulationWarning] {
        var out: [SimulationWarning] = []
        out += contextOverflows(runs, options)
        out += failures(runs, options)
        out += rateLimits(runs)
        // Only when some model of the runs was actually admitted under assumed limits.
        let assumedSomewhere = byModel.contains { options.rateLimitAssumption(for: $0.model).source.contains(" assumed for ") }
        if assumedSomewhere, let assumed = options.rateLimits.assumptionWarning { out.append(SimulationWarning(.rateLimitAssumed, assumed)) }
        let unknown = runs.reduce(into: Set<String>()) { $0.formUnion($1.unknownModels) }
        for m in unknown.sorted() {
            var w = SimulationWarning(.unknownModel, "unknown model: \(m) has no latency profile (defaults used); check the name or add it with --models")
            w.model = m
            out.append(w)
        }
        for usage in byModel where options.catalog.cost(model: usage.model, promptTokens: 1, completionTokens: 1) == nil {
            var w = SimulationWarning(.unknownPrice, "unknown price: \(usage.model) has no price in the registry; its dollars are not counted")
            w.model = usage.model
            out.append(w)
        }
        out += unusedFixtures(runs, options.fixtures)
        out += pythonSideEffects(runs)
        return out
    }

    /// What the strategy's Python would have changed outside the simulation (each change once,
    /// in the order the runs made them; the simulation kept them in a discarded scratch copy).
    private static func pythonSideEffects(_ runs: [SimulatedRun]) -> [SimulationWarning] {
        var out: [SimulationWarning] = []
        var seen = Set<String>()
        for run in runs {
            for change in run.pythonChanges where seen.insert(change.kind.rawValue + "\u{0}" + change.path + "\u{0}" + (change.to ?? "")).inserted {
                var w = SimulationWarning(.pythonSideEffect, "python: a real run would \(change.summary) (the simulation changed nothing)")
                w.path = change.path
                w.change = change.kind.rawValue
                out.append(w)
            }
        }
        return out
    }

    private static func contextOverflows(_ runs: [SimulatedRun], _ options: SimulationOptions) -> [SimulationWarning] {
        var out: [SimulationWarning] = []
        var seen = Set<String>()
        for run in runs {
            for r in run.records {
                guard let window = options.catalog.info(r.model)?.maxInputTokens, r.promptTokens > window else { continue }
                let site = "\(r.siteSource ?? "program"):\(r.siteLine.map(String.init) ?? "?")"
                guard seen.insert(site + "\u{0}" + r.model).inserted else { continue }
                var w = SimulationWarning(.contextOverflow, "context window: the call at \(site) sends \(r.promptTokens) prompt tokens to \(r.model), whose window is \(window) tokens")
                w.site = site
                w.model = r.model
                w.promptTokens = r.promptTokens
                w.contextWindow = window
                out.append(w)
            }
        }
        return out
    }

    /// Whether a call record is a call that gave up after its retries on injected failures.
    static func gaveUpOnInjectedFailures(_ r: CallRecord) -> Bool {
        r.status == "error" && (r.error?.contains(MockProvider.injectedFailureMessage) ?? false)
    }

    /// Failed runs, one warning per kind of failure however many runs and messages (each
    /// message names the failed items, so messages differ from run to run): budgets first, then
    /// calls that exhausted their retries on injected failures, then any other error. Each
    /// gives the runs' count and the first failed run's error (its first line in the message).
    private static func failures(_ runs: [SimulatedRun], _ options: SimulationOptions) -> [SimulationWarning] {
        let failed = runs.filter { $0.status == .error }
        let budget = failed.filter { $0.errorCode == .budgetExceeded }
        let gaveUp = failed.filter { $0.errorCode != .budgetExceeded && $0.records.contains(where: gaveUpOnInjectedFailures) }
        let other = failed.filter { run in !budget.contains { $0.seed == run.seed } && !gaveUp.contains { $0.seed == run.seed } }
        var out: [SimulationWarning] = []
        func share(_ n: Int) -> String { "\(n) of \(runs.count) run\(runs.count == 1 ? "" : "s")" }
        // The error's first line (and the next when the first introduces it, as map-async's
        // "…items failed:" does), shortened: the whole of it, traceback and all, is in `error`.
        func oneLine(_ text: String) -> String {
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var line = lines.first ?? text
            if line.hasSuffix(":"), lines.count > 1 { line += " " + lines[1] }
            return line.count > 300 ? String(line.prefix(300)) + "…" : line
        }
        func warning(_ code: SimulationWarning.Code, _ text: (String, String) -> String, _ group: [SimulatedRun]) {
            guard let first = group.first else { return }
            let error = first.error ?? "error"
            var w = SimulationWarning(code, text(share(group.count), oneLine(error)))
            w.runs = group.count
            w.error = error
            out.append(w)
        }
        warning(.budgetExceeded, { "budget: the strategy would exceed its budget in \($0): \($1)" }, budget)
        let calls = runs.reduce(0) { $0 + $1.records.count }
        let gaveUpCalls = runs.reduce(0) { $0 + $1.records.filter(gaveUpOnInjectedFailures).count }
        if gaveUpCalls > 0 {
            let fraction = Double(gaveUpCalls) / Double(max(calls, 1))
            let rate = options.errorRate.map { String(format: " (error rate %g)", $0) } ?? ""
            let retries = options.retry.maxRetries
            let outcome = gaveUp.isEmpty
                ? "; the strategy survived them in every run"
                : ", failing \(share(gaveUp.count)); raise RLM_MAX_RETRIES, or let the strategy survive a failed call "
                    + "(#:on-error on map-async, try-fallback, with-handlers)"
            var w = SimulationWarning(.retriesExhausted, String(
                format: "retries: %d of %d calls over the %d runs (%.2g%%) gave up after %d retr%@ on injected transient failures%@",
                gaveUpCalls, calls, runs.count, fraction * 100, retries, retries == 1 ? "y" : "ies", rate) + outcome)
            w.runs = gaveUp.count
            w.calls = gaveUpCalls
            w.share = fraction
            out.append(w)
        }
        warning(.strategyFailed, { "error: the strategy fails in \($0), calls having exhausted their retries on injected failures: \($1)" }, gaveUp)
        warning(.strategyFailed, { "error: the strategy fails in \($0): \($1)" }, other)
        return out
    }

    private static func rateLimits(_ runs: [SimulatedRun]) -> [SimulationWarning] {
        let n = Double(max(runs.count, 1))
        let waits = runs.map(\.rateLimitWait).reduce(0, +) / n
        let latency = runs.map(\.latency).reduce(0, +) / n
        let callCount = runs.map { Double($0.records.count) }.reduce(0, +) / n
        guard callCount > 0, latency > 0 else { return [] }
        let callSeconds = runs.flatMap(\.records).reduce(0) { $0 + ($1.endedAt - $1.startedAt) } / n
        guard waits > callSeconds * 0.5 else { return [] }
        var w = SimulationWarning(.rateLimitDominant, String(format: "rate limits: calls spend %.1f s in all waiting for rate-limit capacity against %.1f s of model time; raise the account's limits (rpm/tpm) or lower the concurrency", waits, callSeconds))
        w.waitSeconds = waits
        w.modelSeconds = callSeconds
        return [w]
    }

    private static func unusedFixtures(_ runs: [SimulatedRun], _ fixtures: FixtureSet) -> [SimulationWarning] {
        var out: [SimulationWarning] = []
        for (i, entry) in fixtures.entries.enumerated() {
            let hits = runs.reduce(0) { $0 + ($1.fixtureHits.indices.contains(i) ? $1.fixtureHits[i] : 0) }
            guard hits == 0 else { continue }
            let what = [entry.instruction.map { "instruction \"\($0)\"" }, entry.data.map { "data \"\($0)\"" }, entry.model.map { "model \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            var w = SimulationWarning(.fixtureUnused, "fixture \(i + 1) (\(what.isEmpty ? "matches everything" : what)) never matched a call: the branch it steers was never taken")
            w.fixture = i + 1
            w.model = entry.model
            out.append(w)
        }
        return out
    }
}
