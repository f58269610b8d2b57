import Foundation

/// The code-generation side of `#:recursive #t` (reference §7.5): what the sub-model is told, and
/// how its program is taken out of its reply.
package enum RecursivePrompt {
    package static let guide = """
        You have a Scheme (Racket-like) sandbox. Answer by writing one program in a ```scheme fenced \
        block; it runs in a fresh sandbox where `context` holds the data you were given. End it with \
        (finish value): the value is your answer. Available: llm-query (keywords #:instruction #:data \
        #:model #:temperature #:max-tokens #:json) returning a syntax object (unwrap with syntax-e), \
        llm-query-async / await / await-all / map-async for concurrent calls, string and list procedures \
        of racket/base, racket/list and racket/string, py-exec / py-eval for Python.
        """

    static func instruction(_ task: String) -> String {
        task.isEmpty ? guide : task + "\n\n" + guide
    }

    /// Whether `instruction` asks for a program (a `#:recursive #t` code-generation call).
    package static func asksForProgram(_ instruction: String) -> Bool { instruction.hasSuffix(guide) }

    /// The first fenced block tagged scheme, racket or untagged; else the whole reply.
    static func extractCode(_ reply: String) -> String {
        var lines = reply.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.first {
            lines = lines.dropFirst()
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { continue }
            let tag = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
            guard tag.isEmpty || tag == "scheme" || tag == "racket" else { continue }
            var body: [Substring] = []
            while let l = lines.first, !l.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                body.append(l)
                lines = lines.dropFirst()
            }
            return body.joined(separator: "\n")
        }
        return reply
    }
}
