import Foundation
import Sandbox

/// The live progress line of `rlm-plan run` (standard error, terminals only): calls done, in
/// flight, queued for a slot and waiting for rate-limit capacity, tokens, dollars. Fed by the
/// session's event stream; redrawn at most ten times a second.
final class RunProgress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = 0.0
    private var drawn = false
    private var ended = false

    init(enabled: Bool) { self.enabled = enabled }

    /// The line for the totals an event carries.
    static func line(_ t: SessionTotals) -> String {
        var parts = ["calls \(t.finished + t.failed) done", "\(t.inFlight) in flight"]
        if t.queuedForSlot > 0 { parts.append("\(t.queuedForSlot) queued") }
        if t.waitingForRateLimit > 0 { parts.append("\(t.waitingForRateLimit) waiting for rate limit") }
        return parts.joined(separator: ", ") + " · \(t.inputTokens + t.outputTokens) tokens · $\(dollarText(t.costUSD))"
    }

    func update(_ event: SessionEvent) {
        guard enabled else { return }
        let t = event.totals
        let now = Date().timeIntervalSince1970
        lock.lock()
        defer { lock.unlock() }
        guard !ended else { return }
        let idle = t.inFlight + t.queuedForSlot + t.waitingForRateLimit == 0
        if now - lastDraw >= 0.1 || idle {
            lastDraw = now
            drawn = true
            StandardStreams.writeError("\r\u{1B}[2K" + RunProgress.line(t))
        }
    }

    /// Clears the line; later events draw nothing.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        ended = true
        if enabled && drawn { StandardStreams.writeError("\r\u{1B}[2K") }
    }

    static func dollarText(_ d: Double) -> String { String(format: "%.4f", d) }

    /// The end-of-run line: `rlm-plan: 12 calls (3 replayed) · … · 1.20 s`, starting with
    /// `interrupted` when Ctrl-C stopped the run.
    static func summary(_ r: EvaluationResult) -> String {
        var parts = ["\(r.calls) calls"]
        var detail: [String] = []
        if r.cachedCalls > 0 { detail.append("\(r.cachedCalls) cached") }
        if r.replayedCalls > 0 { detail.append("\(r.replayedCalls) replayed") }
        if r.failedCalls > 0 { detail.append("\(r.failedCalls) failed") }
        if !detail.isEmpty { parts[0] += " (" + detail.joined(separator: ", ") + ")" }
        parts.append("\(r.inputTokens) prompt + \(r.outputTokens) completion tokens")
        parts.append("$\(dollarText(r.costUSD))" + (r.unpricedCalls > 0 ? " (+\(r.unpricedCalls) calls of unknown price)" : ""))
        parts.append(String(format: "%.2f s", r.elapsedSeconds))
        if r.status == .interrupted {
            parts.insert("interrupted", at: 0)
            parts.append("completed calls are journaled: --resume continues")
        }
        return "rlm-plan: " + parts.joined(separator: " · ")
    }
}

/// The `--trace` file: every call record plus the totals.
enum RunTrace {
    static func json(records: [CallRecord], result r: EvaluationResult) throws -> String {
        struct Trace: Encodable {
            let status: String
            let latencySeconds: Double
            let calls: Int
            let promptTokens: Int
            let completionTokens: Int
            let cost: Double
            let records: [CallRecord]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Trace(status: r.status.rawValue, latencySeconds: r.elapsedSeconds, calls: r.calls,
                                            promptTokens: r.inputTokens, completionTokens: r.outputTokens, cost: r.costUSD,
                                            records: records))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// `rlm-plan run --json`: the evaluation's outcome as one object (snake_case keys).
enum RunJSON {
    private struct Output: Encodable {
        let status: String
        /// JSON when the value is a jsexpr, else its display string; null when there is none.
        let value: JSONValue
        let stdout: String
        let error: EvaluationError?
        let calls: Int
        let inputTokens: Int
        let outputTokens: Int
        let costUsd: Double
        let elapsedS: Double
        let byModel: [String: PerModel]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(status, forKey: .status)
            try c.encode(value, forKey: .value)
            try c.encode(stdout, forKey: .stdout)
            try c.encode(error, forKey: .error)
            try c.encode(calls, forKey: .calls)
            try c.encode(inputTokens, forKey: .inputTokens)
            try c.encode(outputTokens, forKey: .outputTokens)
            try c.encode(costUsd, forKey: .costUsd)
            try c.encode(elapsedS, forKey: .elapsedS)
            try c.encode(byModel, forKey: .byModel)
        }
        enum Keys: String, CodingKey {
            case status, value, stdout, error, calls
            case inputTokens = "input_tokens", outputTokens = "output_tokens", costUsd = "cost_usd"
            case elapsedS = "elapsed_s", byModel = "by_model"
        }
    }
    private struct PerModel: Encodable {
        let calls: Int
        let input_tokens: Int
        let output_tokens: Int
        let cost_usd: Double
    }

    static func text(_ r: EvaluationResult) throws -> String {
        let value: JSONValue = r.valueJSON ?? r.value.map { .string($0) } ?? .null
        var byModel: [String: PerModel] = [:]
        for m in r.byModel {
            byModel[m.model] = PerModel(calls: m.calls, input_tokens: m.inputTokens, output_tokens: m.outputTokens, cost_usd: m.costUSD)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Output(status: r.status.rawValue, value: value, stdout: r.stdout, error: r.error, calls: r.calls,
                                             inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: r.costUSD,
                                             elapsedS: r.elapsedSeconds, byModel: byModel))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
