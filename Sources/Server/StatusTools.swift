import Foundation
import MCP
import Sandbox

/// `get_status`: calls in flight, token totals and the last rate-limit headers; answers at once,
/// also while `execute_scheme` runs (reference §5.1).
enum GetStatus: ServerTool {
    static let name = "get_status"
    static let description = "Calls in flight now (also during execute_scheme), session token totals, rate-limit headroom."
    static let outputSchema: MCP.Value? = OutputSchema.object(
        ["active_calls": OutputSchema.array(of: OutputSchema.anyObject), "token_usage": OutputSchema.anyObject,
         "rate_limits": OutputSchema.anyObject, "executing": OutputSchema.boolean],
        required: ["active_calls", "token_usage", "rate_limits"])
    static let annotations = Tool.Annotations(readOnlyHint: true, idempotentHint: false, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let s = context.host.board.snapshot()
        let now = Date()
        let calls: [JSONValue] = context.host.activeCalls().map { call in
            .object([("call_id", .string(call.id)), ("model", .string(call.model)), ("state", .string(call.state.rawValue)),
                     ("depth", .int(call.depth)), ("start_time", .double(call.startedAt.timeIntervalSince1970)),
                     ("elapsed_seconds", .double((now.timeIntervalSince(call.startedAt) * 10).rounded() / 10))])
        }
        let t = s.totals
        let usage = JSONValue.object([("prompt_tokens", .int(t.inputTokens)), ("completion_tokens", .int(t.outputTokens)),
                                      ("total_tokens", .int(t.inputTokens + t.outputTokens)), ("total_calls", .int(t.finished + t.failed)),
                                      ("cost_usd", .double((t.costUSD * 1e6).rounded() / 1e6))])
        let l = s.rateLimits
        let limits = JSONValue.object([("limit_requests", .int(l.limitRequests)), ("limit_tokens", .int(l.limitTokens)),
                                       ("remaining_requests", .int(l.remainingRequests)), ("remaining_tokens", .int(l.remainingTokens)),
                                       ("reset_requests", .string(l.resetRequests)), ("reset_tokens", .string(l.resetTokens))])
        return .data(.object([("active_calls", .array(calls)), ("token_usage", usage), ("rate_limits", limits),
                              ("executing", .bool(s.evaluating))]))
    }
}

/// `cancel_call`: cancels one model call; the fiber awaiting it gets a catchable error.
enum CancelCall: ServerTool {
    static let name = "cancel_call"
    static let description = "Cancel one in-flight model call by its call_id from get_status; the code awaiting it gets a catchable error."
    static let parameters = [ToolParameter("call_id", .string, "The call's id, e.g. call_12.", required: true)]
    static let annotations = Tool.Annotations(readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)

    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply {
        let id = arguments.string("call_id") ?? ""
        return .text(context.host.cancelCall(id: id) ? "Cancelled \(id)" : "No active call with ID \(id)")
    }
}
