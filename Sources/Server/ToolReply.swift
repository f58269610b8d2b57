import Foundation
import MCP
import Sandbox

/// What a tool returns: data (sent as `structuredContent` and as the same JSON in a text block, for
/// clients that ignore structured content), plain text (guides, confirmations), or a tool error.
struct ToolReply: Sendable {
    var result: CallTool.Result

    /// A data reply; `text` overrides the JSON text block (e.g. the original's indented JSON).
    static func data(_ json: JSONValue) -> ToolReply {
        ToolReply(result: CallTool.Result(content: [.text(text: json.serialized(), annotations: nil, _meta: nil)],
                                          structuredContent: Optional(JSONBridge.mcpValue(json)), isError: false))
    }

    static func text(_ text: String) -> ToolReply {
        ToolReply(result: CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: false))
    }

    /// A tool error the calling model can act on (`isError: true`, never a protocol error).
    static func error(_ message: String) -> ToolReply {
        ToolReply(result: CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true))
    }
}

/// A bad tool call: names the argument and says what was expected. Becomes a tool error reply.
struct ToolError: Error, Sendable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
