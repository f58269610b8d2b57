import ArgumentParser
import Foundation
import Sandbox
import Simulator

/// `simulate --compare TRACE`: the simulator's prediction beside what a recorded run did.
enum TraceComparison {
    struct Trace: Decodable {
        let latencySeconds: Double?
        let calls: Int
        let promptTokens: Int
        let completionTokens: Int
        let cost: Double
        /// Absent in traces written before records were included.
        let records: [CallRecord]?
    }

    static func text(report: SimulationReport, tracePath: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: tracePath) else { throw ValidationError("Cannot read \(tracePath)") }
        let trace: Trace
        do { trace = try JSONDecoder().decode(Trace.self, from: data) } catch {
            throw ValidationError("\(tracePath) is not a trace written by `rlm-plan run --trace`: \(error)")
        }
        func row(_ name: String, _ d: Distribution, _ actual: Double, _ f: (Double) -> String) -> String {
            let error = actual == 0 ? "" : String(format: "%+.1f%%", (d.p50 - actual) / actual * 100)
            return name.padding(toLength: 16, withPad: " ", startingAt: 0) + f(d.p50).padding(toLength: 14, withPad: " ", startingAt: 0)
                + "[\(f(d.p5)) – \(f(d.p95))]".padding(toLength: 30, withPad: " ", startingAt: 0)
                + f(actual).padding(toLength: 14, withPad: " ", startingAt: 0) + error
        }
        var lines = ["".padding(toLength: 16, withPad: " ", startingAt: 0) + "predicted p50 " + "p5 – p95".padding(toLength: 30, withPad: " ", startingAt: 0) + "actual        error"]
        lines.append(row("calls", report.calls, Double(trace.calls)) { String(format: "%.0f", $0) })
        lines.append(row("input tokens", report.inputTokens, Double(trace.promptTokens)) { String(format: "%.0f", $0) })
        lines.append(row("output tokens", report.outputTokens, Double(trace.completionTokens)) { String(format: "%.0f", $0) })
        lines.append(row("cost", report.cost, trace.cost) { String(format: "$%.4f", $0) })
        if let l = trace.latencySeconds { lines.append(row("latency", report.latency, l) { String(format: "%.2f s", $0) }) }
        if let records = trace.records { lines += byModel(report: report, actual: records, row: row) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per model: calls, tokens, dollars and mean call latency, predicted (over the runs) against
    /// the trace's, so a miss can be traced to the model that caused it.
    static func byModel(report: SimulationReport, actual: [CallRecord],
                        row: (String, Distribution, Double, (Double) -> String) -> String) -> [String] {
        let models = Set(actual.map(\.model)).union(report.runs.flatMap { $0.records.map(\.model) }).sorted()
        var lines: [String] = []
        for model in models {
            let mine = actual.filter { $0.model == model }
            func per(_ f: ([CallRecord]) -> Double) -> Distribution {
                Distribution(report.runs.map { run in f(run.records.filter { $0.model == model }) })
            }
            let meanLatency: ([CallRecord]) -> Double = { $0.isEmpty ? 0 : $0.reduce(0) { $0 + $1.latency } / Double($0.count) }
            lines.append("")
            lines.append(model + ":")
            lines.append(row("  calls", per { Double($0.count) }, Double(mine.count)) { String(format: "%.0f", $0) })
            lines.append(row("  input tokens", per { Double($0.reduce(0) { $0 + $1.promptTokens }) },
                             Double(mine.reduce(0) { $0 + $1.promptTokens })) { String(format: "%.0f", $0) })
            lines.append(row("  output tokens", per { Double($0.reduce(0) { $0 + $1.completionTokens }) },
                             Double(mine.reduce(0) { $0 + $1.completionTokens })) { String(format: "%.0f", $0) })
            lines.append(row("  cost", per { $0.reduce(0) { $0 + ($1.cost ?? 0) } }, mine.reduce(0) { $0 + ($1.cost ?? 0) }) {
                String(format: "$%.4f", $0)
            })
            lines.append(row("  call latency", per(meanLatency), meanLatency(mine)) { String(format: "%.2f s", $0) })
        }
        return lines
    }
}
