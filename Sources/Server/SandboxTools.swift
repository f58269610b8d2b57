import Foundation
import MCP
import Sandbox

/// `load_context`: data for the program (`context`; `context-store` under `name`), reference §5.1.
enum LoadContext: ServerTool {
    static let name = "load_context"
    static let description = "Load data as `context` for execute_scheme (and, with name, into the context store). Simulations use it too."
    static let parameters = [
        ToolParameter("data", .string, "The text (e.g. a JSON array of strings, or paragraphs separated by blank lines).", required: true),
        ToolParameter("name", .string, "Also store the data under this name, for (get-context name)."),
    ]
    static let annotations = Tool.Annotations(readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let data = arguments.string("data") ?? ""
        let name = arguments.string("name").flatMap { $0.isEmpty ? nil : $0 }
        return .text(try await context.host.loadContext(data, name: name))
    }
}

/// `reset`: forgets definitions, context and the scope log; checkpoints and token totals stay.
enum Reset: ServerTool {
    static let name = "reset"
    static let description = "Forget all definitions, the loaded context and the trace (checkpoints stay). Use when state is stale."
    static let annotations = Tool.Annotations(readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        try await context.host.reset()
        return .text("sandbox reset")
    }
}

/// `get_sandbox_state`: what the session holds (reference §5.1).
enum GetSandboxState: ServerTool {
    static let name = "get_sandbox_state"
    static let description = "What persists in the sandbox: your variables, checkpoints, Python worker, trace length."
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["scheme_variables": OutputSchema.array(of: OutputSchema.string), "python_available": OutputSchema.boolean,
         "checkpoints": OutputSchema.array(of: OutputSchema.string), "scope_log_entries": OutputSchema.integer],
        required: ["scheme_variables", "python_available", "checkpoints", "scope_log_entries"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let state = try await context.host.withSession { session in
            JSONValue.object([("scheme_variables", .array(session.userVariables().map { .string($0) })),
                              ("python_available", .bool(session.pythonAvailable)),
                              ("checkpoints", .array(session.checkpointNames().map { .string($0) })),
                              ("scope_log_entries", .int(session.scopeLog.count))])
        }
        return .data(state)
    }
}

/// `get_execution_trace`: the scope log (audit trail) since the last reset, reference §4.4.
enum GetExecutionTrace: ServerTool {
    static let name = "get_execution_trace"
    static let description = "The audit trail since reset: every model call, syntax unwrap, Python call, checkpoint."
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["entries": OutputSchema.array(of: OutputSchema.object(
            ["op": OutputSchema.string, "datum_preview": OutputSchema.string, "scope": OutputSchema.string]))],
        required: ["entries"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let entries = try await context.host.withSession { session in
            session.scopeLog.map { e in
                JSONValue.object([("op", .string(e.op)), ("datum_preview", .string(e.datumPreview)), ("scope", .string(e.scope))])
            }
        }
        // The original returns the bare array as text; structured content must be an object.
        var reply = ToolReply.data(.object([("entries", .array(entries))]))
        reply.result = CallTool.Result(content: [.text(text: JSONValue.array(entries).serialized(), annotations: nil, _meta: nil)],
                                       structuredContent: reply.result.structuredContent, isError: false)
        return reply
    }
}
