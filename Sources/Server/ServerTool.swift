import Foundation
import MCP
import Sandbox

/// One MCP tool: a caseless enum whose wire name is the original's snake_case string.
protocol ServerTool {
    static var name: String { get }
    /// Short: says when to use the tool (the whole list is sent to the client's model every turn).
    static var description: String { get }
    static var parameters: [ToolParameter] { get }
    /// Set when the result is data (`structuredContent` conforms to it).
    static var outputSchema: MCP.Value? { get }
    static var annotations: Tool.Annotations { get }
    static func call(_ arguments: ToolArguments, _ context: ToolContext) async throws -> ToolReply
}

extension ServerTool {
    static var parameters: [ToolParameter] { [] }
    static var outputSchema: MCP.Value? { nil }

    static var definition: Tool {
        Tool(name: name, description: description, inputSchema: ToolParameter.inputSchema(parameters),
             annotations: annotations, outputSchema: outputSchema)
    }
}

/// What a tool call may use.
struct ToolContext: Sendable {
    let host: SandboxHost
    let configuration: MCPServerConfiguration
    /// Sends a progress notification; nil when the client gave no progress token.
    let progress: (@Sendable (_ progress: Double, _ total: Double?, _ message: String) async -> Void)?
}

/// JSON schemas of results (`outputSchema`), written compactly.
enum OutputSchema {
    /// An object with these typed properties; `required` lists those always present.
    static func object(_ properties: [String: MCP.Value], required: [String] = []) -> MCP.Value {
        var schema: [String: MCP.Value] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static let string: MCP.Value = ["type": "string"]
    static let integer: MCP.Value = ["type": "integer"]
    static let number: MCP.Value = ["type": "number"]
    static let boolean: MCP.Value = ["type": "boolean"]
    static let anyObject: MCP.Value = ["type": "object"]
    static func array(of items: MCP.Value) -> MCP.Value { ["type": "array", "items": items] }
}

/// Every tool the server offers, in the order `tools/list` shows them.
enum ToolCatalog {
    static let tools: [any ServerTool.Type] = [
        GetUsageGuide.self, GetCombinatorReference.self, GetCodegenReference.self,
        PlanStrategy.self, PlanStrategyClarify.self, PlanStrategyFinalize.self,
        SimulateStrategy.self, EstimateCost.self, ListModels.self, ListPatterns.self, GetPattern.self,
        LoadContext.self, ExecuteScheme.self, GetStatus.self, CancelCall.self,
        GetSandboxState.self, GetExecutionTrace.self, Reset.self,
    ]

    static func tool(named name: String) -> (any ServerTool.Type)? {
        tools.first { $0.name == name }
    }

    static var definitions: [Tool] { tools.map { $0.definition } }
}
