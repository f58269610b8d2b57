/// A JSON document, with objects kept in their original key order.
/// Parsing and serialisation follow the wire rules of reference §4.9. Owned by the strings/IO library.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value for `key` in an object, nil otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first(where: { $0.0 == key })?.1 }
        return nil
    }
}

/// A JSON syntax error with its position.
public struct JSONError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public var description: String { message }
}

extension JSONValue {
    /// Parses one JSON document (surrounding whitespace allowed; nothing else may follow).
    ///
    /// - Throws: `JSONError` whose message is Racket's, e.g.
    ///   `string::7: string->jsexpr: bad input starting #"}"` (reference §4.9).
    public static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(text, builder: JSONValueBuilder())
        return try parser.parseDocument()
    }

    /// One-line serialisation: UTF-8, non-ASCII literal, control characters escaped, keys in
    /// stored order (reference §4.9). Doubles use Racket's shortest form; infinities and NaN,
    /// which JSON cannot express, become `null`.
    public func serialized() -> String {
        var out = ""
        var work: [JSONWriteTask] = [.value(self)]
        while let task = work.popLast() {
            switch task {
            case .text(let t):
                out += t
            case .key(let k):
                JSONText.appendQuoted(k.unicodeScalars, to: &out)
                out += ":"
            case .value(let v):
                switch v {
                case .null: out += "null"
                case .bool(let b): out += b ? "true" : "false"
                case .int(let i): out += String(i)
                case .double(let d): out += JSONText.double(d) ?? "null"
                case .string(let s): JSONText.appendQuoted(s.unicodeScalars, to: &out)
                case .array(let items):
                    out += "["
                    work.append(.text("]"))
                    for (n, item) in items.enumerated().reversed() {
                        work.append(.value(item))
                        if n > 0 { work.append(.text(",")) }
                    }
                case .object(let members):
                    out += "{"
                    work.append(.text("}"))
                    for (n, member) in members.enumerated().reversed() {
                        work.append(.value(member.1))
                        work.append(.key(member.0))
                        if n > 0 { work.append(.text(",")) }
                    }
                }
            }
        }
        return out
    }
}

/// A pending step of `serialized()`.
private enum JSONWriteTask {
    case value(JSONValue)
    case key(String)
    case text(String)
}

/// Builds `JSONValue`s. Integers beyond `Int` become doubles (the wire has no bignums); a
/// repeated object key keeps its first position and its last value.
struct JSONValueBuilder: JSONBuilder {
    func null() -> JSONValue { .null }
    func bool(_ b: Bool) -> JSONValue { .bool(b) }
    func bigInteger(_ text: String) -> JSONValue { .double(Double(text) ?? .nan) }
    func integer(_ i: Int) -> JSONValue { .int(i) }
    func double(_ d: Double) -> JSONValue { .double(d) }
    func string(_ s: String) -> JSONValue { .string(s) }
    func array(_ items: [JSONValue]) -> JSONValue { .array(items) }
    func object(_ members: [(String, JSONValue)]) -> JSONValue {
        var seen: [String: Int] = [:]
        var out: [(String, JSONValue)] = []
        out.reserveCapacity(members.count)
        for (k, v) in members {
            if let at = seen[k] { out[at].1 = v } else {
                seen[k] = out.count
                out.append((k, v))
            }
        }
        return .object(out)
    }
}
