import Foundation
import Sandbox

/// The live progress line of `rlm-plan run` (standard error, terminals only): calls done and in
/// flight, tokens, dollars. Redrawn at most ten times a second.
final class RunProgress: @unchecked Sendable {
    private let enabled: Bool
    private var done = 0
    private var active = 0
    private var tokens = 0
    private var dollars = 0.0
    private var lastDraw = 0.0
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ event: GatewayEvent) {
        switch event {
        case .started: active += 1
        case .ended(let r):
            active -= 1
            done += 1
            tokens += r.promptTokens + r.completionTokens
            dollars += r.cost ?? 0
        }
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        if now - lastDraw >= 0.1 || active == 0 {
            lastDraw = now
            drawn = true
            StandardStreams.writeError("\r\u{1B}[2Kcalls \(done) done, \(active) active · \(tokens) tokens · $\(RunProgress.dollarText(dollars))")
        }
    }

    func finish() {
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
