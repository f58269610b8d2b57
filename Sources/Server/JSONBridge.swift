import Foundation
import MCP
import Sandbox

/// Our ordered `JSONValue` (replies are built with the original's field order) as the SDK's
/// `MCP.Value` (`structuredContent`), and back (tool arguments as JSON text for the sandbox).
enum JSONBridge {
    static func mcpValue(_ json: JSONValue) -> MCP.Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return d.isFinite ? .double(d) : .null
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(mcpValue))
        case .object(let pairs):
            var object: [String: MCP.Value] = [:]
            for (key, value) in pairs { object[key] = mcpValue(value) }
            return .object(object)
        }
    }

    static func jsonValue(_ value: MCP.Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .data(_, let data): return .string(data.base64EncodedString())
        case .array(let items): return .array(items.map(jsonValue))
        case .object(let object): return .object(object.sorted { $0.key < $1.key }.map { ($0.key, jsonValue($0.value)) })
        }
    }
}
