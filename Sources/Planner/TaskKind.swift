import Foundation
import Simulator

/// The kind of a task, from the words of its description (first rule that matches wins, so the
/// more specific kinds come first).
enum TaskKind {
    static let rules: [(kind: String, stems: [String])] = [
        ("translation", ["translat", "locali", "into french", "into german", "into spanish", "into english"]),
        ("code-generation", ["generate code", "write code", "implement", "refactor", "unit test", "docstring", "document the",
                             "api doc", "codebase", "repository", "port ", "migrate"]),
        ("classification", ["classif", "categori", "label", "tag ", "sentiment", "triage", "sort into", "detect spam"]),
        ("summarisation", ["summar", "digest", "overview", "condense", "tl;dr", "abstract of"]),
        ("comparison", ["compare", "comparison", "contrast", "differences", " versus ", " vs ", "rank "]),
        ("qa", ["answer", "question", "what is", "what are", "how many", "q&a", "faq"]),
        ("search", ["search", "find the", "which of", "look for", "locate", "retriev"]),
        ("extraction", ["extract", "pull out", "identify", "find all", "list the", "parse", "analy", "detect", "collect"]),
    ]

    /// The kind, nil when no rule matches. Stems match at the start of a word ("search" is not
    /// found in "research").
    static func detect(_ task: String) -> String? {
        let lower = " " + task.lowercased().map { $0.isLetter || $0.isNumber || "&;.".contains($0) ? $0 : " " }.reduce(into: "") { $0.append($1) } + " "
        return rules.first { $0.stems.contains { lower.contains(" " + $0.trimmingCharacters(in: .whitespaces)) } }?.kind
    }

    /// Whether a pattern's `kinds:` entry names `kind` (British and American spellings, "any").
    static func matches(_ entry: String, _ kind: String) -> Bool {
        let e = entry.lowercased().replacingOccurrences(of: "summarization", with: "summarisation")
            .replacingOccurrences(of: " ", with: "-")
        if ["any", "all", "general"].contains(e) { return true }
        if e == kind { return true }
        let aliases: [String: [String]] = [
            "qa": ["question-answering", "qa-over-documents", "q&a"], "code-generation": ["codegen", "code", "documentation"],
            "analysis": ["extraction", "analysis"], "search": ["retrieval"],
        ]
        return aliases[kind]?.contains(e) ?? false
    }
}
