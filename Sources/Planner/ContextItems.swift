import Foundation
import Sandbox

/// How `context` becomes items (the template contract, `docs/planner.md`): a JSON array of
/// strings, else paragraphs separated by blank lines, trimmed, empty ones dropped. The planner
/// profiles real data with it, so its counts are the counts `(context-items)` gives a template.
enum ContextItems {
    static func split(_ context: String) -> [String] {
        let trimmed = context.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("["), case .array(let values)? = try? JSONValue.parse(trimmed) {
            var strings: [String] = []
            for v in values {
                guard case .string(let s) = v else { strings = []; break }
                strings.append(s)
            }
            if strings.count == values.count { return strings }
        }
        var items: [String] = []
        var current: [Substring] = []
        for line in context.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                if !current.isEmpty { items.append(current.joined(separator: "\n")); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { items.append(current.joined(separator: "\n")) }
        return items.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
