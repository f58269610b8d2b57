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

    static func summary(_ u: UsageTotals, seconds: Double) -> String {
        var parts = ["\(u.calls) calls"]
        var detail: [String] = []
        if u.cachedCalls > 0 { detail.append("\(u.cachedCalls) cached") }
        if u.replayedCalls > 0 { detail.append("\(u.replayedCalls) replayed") }
        if u.failedCalls > 0 { detail.append("\(u.failedCalls) failed") }
        if !detail.isEmpty { parts[0] += " (" + detail.joined(separator: ", ") + ")" }
        parts.append("\(u.promptTokens) prompt + \(u.completionTokens) completion tokens")
        parts.append("$\(dollarText(u.cost))" + (u.unpricedCalls > 0 ? " (+\(u.unpricedCalls) calls of unknown price)" : ""))
        parts.append(String(format: "%.2f s", seconds))
        return "rlm-plan: " + parts.joined(separator: " · ")
    }
}

/// The `--trace` file: every call record plus the totals.
enum RunTrace {
    static func json(records: [CallRecord], usage: UsageTotals, status: String, seconds: Double) throws -> String {
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
        let data = try encoder.encode(Trace(status: status, latencySeconds: seconds, calls: usage.calls, promptTokens: usage.promptTokens,
                                            completionTokens: usage.completionTokens, cost: usage.cost, records: records))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
