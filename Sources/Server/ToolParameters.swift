import Foundation
import MCP

/// One argument of a tool: its JSON-schema type, what it is for, and whether it is required.
/// The same list gives the tool's `inputSchema` and validates a call's arguments, so the schema a
/// client sees and the checks the server makes cannot drift apart.
struct ToolParameter: Sendable {
    enum Kind: Sendable {
        case string
        case integer(minimum: Int?)
        case number(minimum: Double?)
        case boolean
        /// A string from a fixed set (JSON-schema `enum`).
        case oneOf([String])
    }

    let name: String
    let kind: Kind
    let description: String
    let required: Bool

    init(_ name: String, _ kind: Kind, _ description: String, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.description = description
        self.required = required
    }

    var schema: MCP.Value {
        var fields: [String: MCP.Value] = ["description": .string(description)]
        switch kind {
        case .string: fields["type"] = "string"
        case .integer(let minimum):
            fields["type"] = "integer"
            if let minimum { fields["minimum"] = .int(minimum) }
        case .number(let minimum):
            fields["type"] = "number"
            if let minimum { fields["minimum"] = .double(minimum) }
        case .boolean: fields["type"] = "boolean"
        case .oneOf(let values):
            fields["type"] = "string"
            fields["enum"] = .array(values.map { .string($0) })
        }
        return .object(fields)
    }

    /// The `inputSchema` of a tool taking `parameters`.
    static func inputSchema(_ parameters: [ToolParameter]) -> MCP.Value {
        var properties: [String: MCP.Value] = [:]
        for p in parameters { properties[p.name] = p.schema }
        var schema: [String: MCP.Value] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        let required = parameters.filter(\.required).map { MCP.Value.string($0.name) }
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }
}

/// A call's arguments, checked against the tool's parameters: unknown names, missing required
/// arguments and wrong types are a `ToolError` naming the argument.
struct ToolArguments: Sendable {
    private var values: [String: MCP.Value] = [:]

    init(_ arguments: [String: MCP.Value]?, tool: String, parameters: [ToolParameter]) throws {
        let known = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        for (name, value) in (arguments ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let parameter = known[name] else {
                let names = parameters.map(\.name)
                throw ToolError("\(tool): unknown argument '\(name)'; "
                                + (names.isEmpty ? "it takes no arguments" : "its arguments are \(names.joined(separator: ", "))"))
            }
            // JSON null means "not given", as the original's `None` defaults do.
            if value.isNull { continue }
            values[name] = try Self.check(value, parameter, tool: tool)
        }
        for p in parameters where p.required && values[p.name] == nil {
            throw ToolError("\(tool): missing required argument '\(p.name)' (\(p.description))")
        }
    }

    func string(_ name: String) -> String? { values[name]?.stringValue }
    func int(_ name: String) -> Int? { values[name]?.intValue }
    func double(_ name: String) -> Double? { values[name].flatMap { $0.doubleValue ?? $0.intValue.map(Double.init) } }
    func bool(_ name: String) -> Bool? { values[name]?.boolValue }

    /// `value` in the parameter's type (integral numbers sent as 30.0 or "30" become integers).
    private static func check(_ value: MCP.Value, _ p: ToolParameter, tool: String) throws -> MCP.Value {
        func fail(_ expected: String) -> ToolError {
            ToolError("\(tool): argument '\(p.name)' must be \(expected), not \(describe(value))")
        }
        switch p.kind {
        case .string:
            guard case .string = value else { throw fail("a string") }
            return value
        case .boolean:
            guard case .bool = value else { throw fail("true or false") }
            return value
        case .oneOf(let allowed):
            guard case .string(let s) = value else { throw fail("one of " + allowed.joined(separator: ", ")) }
            let folded = s.lowercased().trimmingCharacters(in: .whitespaces)
            guard allowed.contains(folded) else { throw fail("one of " + allowed.joined(separator: ", ")) }
            return .string(folded)
        case .integer(let minimum):
            let n: Int?
            switch value {
            case .int(let i): n = i
            case .double(let d) where d == d.rounded() && abs(d) < 1e15: n = Int(d)
            case .string(let s): n = Int(s.trimmingCharacters(in: .whitespaces))
            default: n = nil
            }
            guard let n else { throw fail("a whole number") }
            if let minimum, n < minimum { throw fail("at least \(minimum)") }
            return .int(n)
        case .number(let minimum):
            let d: Double?
            switch value {
            case .int(let i): d = Double(i)
            case .double(let x): d = x
            case .string(let s): d = Double(s.trimmingCharacters(in: .whitespaces).drop(while: { $0 == "$" }))
            default: d = nil
            }
            guard let d, d.isFinite else { throw fail("a number") }
            if let minimum, d < minimum { throw fail("at least \(minimum)") }
            return .double(d)
        }
    }

    private static func describe(_ value: MCP.Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .double(let d): return "\(d)"
        case .string(let s): return "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .data: return "binary data"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
