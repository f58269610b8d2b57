import Foundation
import Sandbox

/// `--timeline FILE.svg`: a Gantt chart of one simulated run. Each call is a bar in the first
/// free lane (so lanes are concurrency slots), coloured by model, with the critical path outlined.
public enum Timeline {
    public static func svg(_ run: SimulatedRun) -> String {
        let records = run.records.sorted { $0.startedAt < $1.startedAt || ($0.startedAt == $1.startedAt && $0.id < $1.id) }
        var laneEnds: [Double] = []
        var lanes: [Int] = []
        for r in records {
            if let i = laneEnds.firstIndex(where: { $0 <= r.startedAt + 1e-9 }) { laneEnds[i] = r.endedAt; lanes.append(i) }
            else { laneEnds.append(r.endedAt); lanes.append(laneEnds.count - 1) }
        }
        let critical = Set(ScheduleShape(run.records).criticalPath)
        let total = max(run.latency, records.map(\.endedAt).max() ?? 0, 0.001)
        let width = 1000.0, left = 60.0, laneHeight = 14.0, top = 30.0
        let height = top + Double(max(laneEnds.count, 1)) * laneHeight + 60
        let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
        var colours: [String: String] = [:]
        for model in Set(records.map(\.model)).sorted() { colours[model] = palette[colours.count % palette.count] }
        func x(_ t: Double) -> Double { left + (t / total) * (width - left - 20) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(left)\" y=\"18\">\(records.count) calls, \(String(format: "%.1f", total)) s (seed \(run.seed)); outlined: critical path</text>\n"
        for (r, lane) in zip(records, lanes) {
            let y = top + Double(lane) * laneHeight
            let w = max(x(r.endedAt) - x(r.startedAt), 1)
            let stroke = critical.contains(r.id) ? " stroke=\"black\" stroke-width=\"1.5\"" : ""
            let title = "\(r.id) \(r.model) \(String(format: "%.2f", r.startedAt))–\(String(format: "%.2f", r.endedAt)) s, \(r.promptTokens)+\(r.completionTokens) tokens\(r.siteLine.map { ", line \($0)" } ?? "")\(r.dependsOn.map { ", after \($0)" } ?? "")"
            out += "<rect x=\"\(fmt(x(r.startedAt)))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(fmt(laneHeight - 3))\" fill=\"\(colours[r.model] ?? "#888")\"\(stroke)><title>\(escape(title))</title></rect>\n"
        }
        let axisY = top + Double(max(laneEnds.count, 1)) * laneHeight + 12
        for k in 0...10 {
            let t = total * Double(k) / 10
            out += "<text x=\"\(fmt(x(t)))\" y=\"\(fmt(axisY))\" text-anchor=\"middle\">\(String(format: "%.1f", t))s</text>\n"
        }
        var lx = left
        for (model, colour) in colours.sorted(by: { $0.key < $1.key }) {
            out += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(axisY + 14))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(fmt(lx + 14))\" y=\"\(fmt(axisY + 23))\">\(escape(model))</text>\n"
            lx += 24 + Double(model.count) * 7
        }
        out += "<text x=\"4\" y=\"\(fmt(top + 10))\">slots</text>\n</svg>\n"
        return out
    }

    private static func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
