import Foundation
import Sandbox
import Simulator

/// Turns a `PlanRequest` into a `TaskProfile` and the assumptions it had to make.
enum TaskProfiler {
    /// A document larger than this many characters is cut into sections of `sectionChars`.
    static let sectionChars = 8_000
    /// Items assumed when nothing says how many.
    static let assumedItems = 100

    struct Result {
        var profile: TaskProfile
        var assumptions: [String]
        /// Constraint clauses that named no limit the planner knows.
        var unreadConstraints: [String]
        /// What the request left open that changes the plan (for `clarify`).
        var unknowns: Set<Unknown>
    }

    enum Unknown: String, Hashable, CaseIterable {
        case itemCount = "item_count", itemSize = "item_size", scope, outputFormat = "output_format", kind
    }

    static func profile(_ request: PlanRequest, models: ModelPool) throws -> Result {
        var assumptions: [String] = []
        var unknowns = Set<Unknown>()
        let task = request.taskDescription.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !task.isEmpty else { throw PlannerError("task_description is empty: say what the strategy must do") }

        // Priority and scale.
        let priority = (request.priority ?? "balanced").trimmingCharacters(in: .whitespaces).lowercased()
        guard PlanVocabulary.priorities.contains(priority) else {
            throw PlannerError("priority must be one of \(PlanVocabulary.priorities.joined(separator: ", ")), not \"\(request.priority ?? "")\"")
        }
        let scale = request.scale.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        if let scale, !PlanVocabulary.scales.contains(where: { $0.name == scale }) {
            throw PlannerError("scale must be one of \(PlanVocabulary.scales.map(\.name).joined(separator: ", ")), not \"\(scale)\"")
        }
        if let n = request.minOutputs, n < 0 { throw PlannerError("min_outputs must be 0 or more, not \(n)") }

        // The data: measured from the context, else read from the words, else assumed.
        let kind = TaskKind.detect(task)
        if kind == nil { unknowns.insert(.kind); assumptions.append("task kind not recognised; planned as general analysis") }
        var profile: TaskProfile
        if let context = request.context, !context.isEmpty {
            profile = try fromContext(context)
        } else {
            profile = fromWords(task: task, data: request.dataCharacteristics, defaultNoun: kind == "code-generation" ? "file" : "item",
                                assumptions: &assumptions, unknowns: &unknowns)
        }
        profile.kind = kind ?? "analysis"
        profile.priority = priority
        profile.scale = scale
        profile.outputFormat = OutputFormat.detect([task, request.clarifications ?? ""].joined(separator: " "))
        if profile.outputFormat == nil, ["code-generation", "extraction"].contains(profile.kind) { unknowns.insert(.outputFormat) }
        if request.priority == nil { assumptions.append("priority not given; balanced assumed") }

        // Coverage and outputs.
        profile.coverageTarget = try coverage(request.coverageTarget, assumptions: &assumptions)
        let single = profile.singleDocument || ["qa", "comparison", "search"].contains(profile.kind)
        var required: Int
        if let scale, let range = PlanVocabulary.scales.first(where: { $0.name == scale })?.range {
            required = min(range.lowerBound, profile.items)
        } else if scale == "comprehensive" {
            required = profile.items
        } else if single {
            required = 1
            assumptions.append(profile.singleDocument ? "one answer for the whole document assumed (no scale or min_outputs given)"
                               : "one answer assumed for a \(profile.kind) task (no scale or min_outputs given)")
        } else {
            required = profile.items
            assumptions.append("one output per \(profile.itemNoun) assumed (\(profile.items) outputs; no scale or min_outputs given)")
            if scale == nil, VagueScope.present(task) { unknowns.insert(.scope) }
        }
        if let n = request.minOutputs { required = max(required, n) }
        profile.requiredOutputs = required
        if single && request.minOutputs == nil && request.coverageTarget == nil { profile.coverageTarget = 1 }

        // Constraints.
        let constraints = Constraints.parse(request.constraints ?? "", knownModel: models.isKnown)
        profile.maxCostUSD = constraints.maxCostUSD
        profile.maxLatencySeconds = constraints.maxLatencySeconds
        profile.allowedModels = constraints.allowedModels
        profile.excludedModels = constraints.excludedModels
        for clause in constraints.unread { assumptions.append("constraint not understood and ignored: \"\(clause)\"") }
        return Result(profile: profile, assumptions: assumptions, unreadConstraints: constraints.unread, unknowns: unknowns)
    }

    /// The shape read from the task and data descriptions.
    static func fromWords(task: String, data: String?, defaultNoun: String, assumptions: inout [String],
                          unknowns: inout Set<Unknown>) -> TaskProfile {
        let fromData = DataDescription.parse(data ?? "")
        let fromTask = DataDescription.parse(task)
        var count = fromData.count ?? fromTask.count
        let noun = fromData.noun ?? fromTask.noun ?? defaultNoun
        var perItem = fromData.perItemChars ?? fromTask.perItemChars
        let total = fromData.totalChars ?? fromTask.totalChars
        if count == nil, let perItem, let total, perItem > 0 {
            count = max(1, Int((Double(total) / Double(perItem)).rounded()))
        }
        if perItem == nil, let total, let count, count > 0 { perItem = total / count }
        if count == nil, perItem == nil, let total {
            // Only a total: one body of text.
            count = 1
            perItem = total
        }
        if count == nil {
            unknowns.insert(.itemCount)
            assumptions.append("number of \(noun)s not given; \(assumedItems) assumed")
        }
        if perItem == nil {
            unknowns.insert(.itemSize)
            let assumed = DataDescription.assumedChars(noun: noun)
            assumptions.append("size per \(noun) not given; \(assumed) characters (about \(assumed / 4) tokens) assumed")
        }
        var items = count ?? assumedItems
        var chars = perItem ?? DataDescription.assumedChars(noun: noun)
        var single = false
        var itemNoun = noun
        if items == 1 && chars > sectionChars {
            single = true
            let sections = Int((Double(chars) / Double(sectionChars)).rounded(.up))
            assumptions.append("the \(noun) (\(chars) characters) is split into \(sections) sections of about \(sectionChars) characters at blank lines")
            items = sections
            chars = sectionChars
            itemNoun = "section"
        }
        return TaskProfile(kind: "", itemNoun: itemNoun, items: items, charsPerItem: chars, tokensPerItem: max(1, chars / 4),
                           tokensPerItemSpread: nil, totalTokens: items * max(1, chars / 4),
                           dataSource: count == nil && perItem == nil ? "assumed" : "description", singleDocument: single,
                           priority: "balanced", scale: nil, requiredOutputs: items, coverageTarget: 1,
                           maxCostUSD: nil, maxLatencySeconds: nil, allowedModels: nil, excludedModels: [], outputFormat: nil)
    }

    /// The shape measured from real data, split as `(context-items)` splits it.
    static func fromContext(_ context: String) throws -> TaskProfile {
        let items = ContextItems.split(context)
        guard !items.isEmpty else { throw PlannerError("context holds no items (neither a JSON array of strings nor non-empty paragraphs)") }
        let tokenizer = try? BPETokenizer.shared(.o200kBase)
        let tokens = items.map { tokenizer?.count($0) ?? max(1, $0.unicodeScalars.count / 4) }.sorted()
        let chars = items.reduce(0) { $0 + $1.count } / items.count
        let total = tokens.reduce(0, +)
        return TaskProfile(kind: "", itemNoun: "item", items: items.count, charsPerItem: chars,
                           tokensPerItem: max(1, total / items.count),
                           tokensPerItemSpread: .init(min: tokens.first ?? 0, p50: tokens[tokens.count / 2], max: tokens.last ?? 0),
                           totalTokens: total, dataSource: "context", singleDocument: false, priority: "balanced", scale: nil,
                           requiredOutputs: items.count, coverageTarget: 1, maxCostUSD: nil, maxLatencySeconds: nil,
                           allowedModels: nil, excludedModels: [], outputFormat: nil)
    }

    /// "80%", "0.8", "all" → 0.8, 0.8, 1.
    static func coverage(_ text: String?, assumptions: inout [String]) throws -> Double {
        guard let raw = text?.trimmingCharacters(in: .whitespaces).lowercased(), !raw.isEmpty else { return 1 }
        if ["all", "full", "complete", "every", "everything", "100%"].contains(where: { raw.contains($0) }) { return 1 }
        if raw.contains("most") { assumptions.append("coverage \"\(raw)\" read as 80%"); return 0.8 }
        let number = raw.hasSuffix("%") ? Double(raw.dropLast()).map { $0 / 100 } : Double(raw).map { $0 > 1 ? $0 / 100 : $0 }
        guard let v = number, v > 0, v <= 1 else {
            throw PlannerError("coverage_target must be a share of the items (\"80%\", \"0.8\" or \"all\"), not \"\(text ?? "")\"")
        }
        return v
    }
}

/// Words that leave the scope open ("the large repository", "some of", "relevant").
enum VagueScope {
    static let words = ["large", "big", "huge", "some", "relevant", "various", "many", "several", "lots", "the whole", "entire"]
    static func present(_ text: String) -> Bool {
        let lower = " " + text.lowercased() + " "
        return words.contains { lower.contains(" \($0) ") }
    }
}

/// The output format a task asks for, when its words name one.
enum OutputFormat {
    static let formats: [(words: [String], name: String)] = [
        (["api docs", "api documentation", "api reference"], "API docs"), (["docstring"], "docstrings"),
        (["json"], "JSON"), (["csv"], "CSV"), (["markdown", ".md"], "Markdown"), (["table"], "table"),
        (["bullet"], "bullet points"), (["yaml"], "YAML"),
    ]
    static func detect(_ text: String) -> String? {
        let lower = text.lowercased()
        return formats.first { $0.words.contains { lower.contains($0) } }?.name
    }
}
