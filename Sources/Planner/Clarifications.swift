import Foundation
import Simulator

/// Folds answers to `clarify`'s questions into a request: `key: value` lines set a field, other
/// text is read for what it says (counts and sizes, scope, format, limits, priority, scale).
enum Clarifications {
    /// Keys a `key: value` line may use, and the request field each sets.
    static let keys: [String: String] = [
        "items": "data", "count": "data", "size": "data", "item_size": "data", "data": "data",
        "data_characteristics": "data", "outputs": "min_outputs", "min_outputs": "min_outputs", "scale": "scale",
        "priority": "priority", "budget": "constraints", "cost": "constraints", "time": "constraints",
        "latency": "constraints", "deadline": "constraints", "models": "constraints", "constraints": "constraints",
        "format": "format", "output_format": "format", "coverage": "coverage", "coverage_target": "coverage", "task": "task",
    ]

    /// The updated request and one line per change.
    static func apply(_ text: String, to request: PlanRequest) throws -> (PlanRequest, [String]) {
        var r = request
        var changes: [String] = []
        var free: [String] = []
        for raw in text.split(whereSeparator: { $0 == "\n" }) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if let field = keys[key] {
                    try set(field, key: key, value: value, in: &r, changes: &changes)
                    continue
                }
                if !key.contains("_"), key.count < 20, !line.contains("$") {
                    throw PlannerError("clarifications: unknown key \"\(key)\" (known: \(keys.keys.sorted().joined(separator: ", ")))")
                }
            }
            free.append(line)
        }
        if !free.isEmpty { try read(free.joined(separator: ", "), into: &r, changes: &changes) }
        guard !changes.isEmpty else {
            throw PlannerError("clarifications: nothing in \"\(text)\" changes the request; answer as `key: value` lines (items, size, coverage, format, budget, time, models, priority, scale, outputs)")
        }
        r.clarifications = [request.clarifications, text].compactMap { $0 }.joined(separator: "\n")
        return (r, changes)
    }

    static func set(_ field: String, key: String, value: String, in r: inout PlanRequest, changes: inout [String]) throws {
        switch field {
        case "data":
            let text = ["items", "count"].contains(key) && Int(value) != nil ? "\(value) items" : value
            r.dataCharacteristics = join(r.dataCharacteristics, text)
            changes.append("data: \(text)")
        case "min_outputs":
            guard let n = Int(value), n >= 0 else { throw PlannerError("clarifications: \(key) must be a whole number, not \"\(value)\"") }
            r.minOutputs = n
            changes.append("min_outputs: \(n)")
        case "scale": r.scale = value; changes.append("scale: \(value)")
        case "priority": r.priority = value; changes.append("priority: \(value)")
        case "constraints": r.constraints = join(r.constraints, value); changes.append("constraints: \(value)")
        case "format": r.clarifications = join(r.clarifications, "output format \(value)"); changes.append("output format: \(value)")
        case "coverage": r.coverageTarget = value; changes.append("coverage: \(value)")
        case "task": r.taskDescription = value; changes.append("task: \(value)")
        default: break
        }
    }

    /// Free text: whatever it says about the data, scope, format, limits, priority and scale.
    static func read(_ text: String, into r: inout PlanRequest, changes: inout [String]) throws {
        let lower = text.lowercased()
        let data = DataDescription.parse(text)
        if data.count != nil || data.perItemChars != nil || data.totalChars != nil {
            r.dataCharacteristics = join(r.dataCharacteristics, text)
            var said: [String] = []
            if let n = data.count { said.append("\(n) \(data.noun ?? "item")s") }
            if let c = data.perItemChars { said.append("\(c) characters per \(data.noun ?? "item")") }
            if let t = data.totalChars { said.append("\(t) characters in all") }
            changes.append("data: " + said.joined(separator: ", "))
        }
        if let format = OutputFormat.detect(text) {
            r.clarifications = join(r.clarifications, "output format \(format)")
            changes.append("output format: \(format)")
        }
        if [" all ", "every", "each", "entire", "whole"].contains(where: { (" " + lower + " ").contains($0) }) {
            r.coverageTarget = "all"
            changes.append("coverage: all")
        } else if let percent = Constraints.firstMatch(#"([0-9]+(?:\.[0-9]+)?)\s*%"#, in: lower) {
            r.coverageTarget = percent + "%"
            changes.append("coverage: \(percent)%")
        }
        if Constraints.money(lower) != nil || Constraints.duration(lower.replacingOccurrences(of: #"[0-9.]+\s*(kb|mb|gb|k)\b"#, with: "", options: .regularExpression)) != nil
            || lower.contains("only ") {
            r.constraints = join(r.constraints, text)
            changes.append("constraints: \(text)")
        }
        for p in PlanVocabulary.priorities where lower.contains("priority \(p)") || lower.contains("\(p) first") || lower.contains("prioritise \(p)") || lower.contains("prioritize \(p)") {
            r.priority = p
            changes.append("priority: \(p)")
        }
        for s in PlanVocabulary.scales.map(\.name) where lower.contains("scale \(s)") || lower.contains("\(s) scale") {
            r.scale = s
            changes.append("scale: \(s)")
        }
    }

    static func join(_ a: String?, _ b: String) -> String {
        guard let a, !a.isEmpty else { return b }
        return a + "; " + b
    }
}
