import Foundation
import MCP
import Planner

/// The guides, read from `docs/` on every call (edits show at once), as the original's tools
/// return `docs/*.md` (reference §5.1).
enum GetUsageGuide: ServerTool {
    static let name = "get_usage_guide"
    static let description = "Start here: the sandbox guide (workflow, primitives, pitfalls) as markdown."
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)
    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        .text(try ProjectFiles.guide("getting-started.md"))
    }
}

enum GetCombinatorReference: ServerTool {
    static let name = "get_combinator_reference"
    static let description = "The 17 combinators (map-async, tree-reduce, critique-refine, …): signatures, semantics, examples."
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)
    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        .text(try ProjectFiles.guide("combinators.md"))
    }
}

enum GetCodegenReference: ServerTool {
    static let name = "get_codegen_reference"
    static let description = "Every primitive a strategy may use, with keyword arguments, errors and limits."
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)
    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        .text(try ProjectFiles.guide("codegen-reference.md"))
    }
}

/// The guides and patterns as MCP resources (`rlm-plan://guide/NAME`, `rlm-plan://pattern/NAME`).
enum ResourceCatalog {
    static let guides: [(file: String, title: String)] = [
        ("getting-started.md", "Sandbox guide: workflow, primitives, pitfalls"),
        ("combinators.md", "Combinator reference"),
        ("codegen-reference.md", "Primitive reference for generated code"),
        ("patterns.md", "Pattern catalogue"),
    ]

    static func list() -> [Resource] {
        var out: [Resource] = []
        for g in guides where ProjectFiles.hasGuide(g.file) {
            let name = String(g.file.dropLast(3))
            out.append(Resource(name: name, uri: "rlm-plan://guide/\(name)", description: g.title, mimeType: "text/markdown"))
        }
        for p in (try? ProjectFiles.patterns().list()) ?? [] {
            out.append(Resource(name: p.name, uri: "rlm-plan://pattern/\(p.name)", description: p.purpose, mimeType: "text/x-scheme"))
        }
        return out
    }

    static func read(uri: String) -> (text: String, mimeType: String)? {
        if uri.hasPrefix("rlm-plan://guide/") {
            let name = String(uri.dropFirst("rlm-plan://guide/".count))
            guard guides.contains(where: { $0.file == name + ".md" }), let text = try? ProjectFiles.guide(name + ".md") else { return nil }
            return (text, "text/markdown")
        }
        if uri.hasPrefix("rlm-plan://pattern/") {
            guard let p = try? ProjectFiles.patterns().get(String(uri.dropFirst("rlm-plan://pattern/".count))) else { return nil }
            return (p.source, "text/x-scheme")
        }
        return nil
    }
}
