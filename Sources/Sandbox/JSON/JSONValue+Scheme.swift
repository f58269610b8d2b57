import BigInt
import OrderedCollections

/// Conversions between JSON and Scheme values with Racket's json semantics (reference §4.7,
/// §4.8): objects are immutable `hasheq` tables with symbol keys, arrays are lists, `null` is
/// the symbol `null`, numbers are exact integers or flonums.
extension JSONValue {
    /// The Scheme value `string->jsexpr` would give for this JSON.
    public func toScheme() -> Value {
        var results: [Value] = []
        var work: [ToSchemeTask] = [.visit(self)]
        while let task = work.popLast() {
            switch task {
            case .visit(let v):
                switch v {
                case .null: results.append(.symbol(SchemeJSONBuilder.nullSymbol))
                case .bool(let b): results.append(.bool(b))
                case .int(let i): results.append(.int(i))
                case .double(let d): results.append(.double(d))
                case .string(let s): results.append(.string(MString(s)))
                case .array(let items):
                    work.append(.list(items.count))
                    for item in items.reversed() { work.append(.visit(item)) }
                case .object(let members):
                    work.append(.table(members.map { $0.0 }))
                    for member in members.reversed() { work.append(.visit(member.1)) }
                }
            case .list(let n):
                // No slice of `results` may live across `removeLast` (it would copy the array).
                let list: Value
                do { list = Value.list(results.suffix(n)) }
                results.removeLast(n)
                results.append(list)
            case .table(let keys):
                let table = HashTable(kind: .eq, mutable: false)
                let start = results.count - keys.count
                for (i, k) in keys.enumerated() { table.set(.sym(k), results[start + i]) }
                results.removeLast(keys.count)
                results.append(.hash(table))
            }
        }
        return results.last ?? .void
    }

    /// The JSON for a jsexpr, keys in the table's stored order. Integers beyond `Int` become
    /// doubles. Syntax objects, vectors, non-symbol keys and other non-JSON values are refused.
    ///
    /// - Throws: `SchemeError` (Racket's `jsexpr->string: expected argument of type <legal JSON value>`).
    public static func fromScheme(_ v: Value) throws -> JSONValue {
        try fromScheme(v, who: "jsexpr->string")
    }

    /// `fromScheme` naming `who` in errors.
    static func fromScheme(_ v: Value, who: String, null: Value? = nil) throws -> JSONValue {
        try JSONValue.convert(v, into: JSONValueBuilder(), who: who, sortKeys: false, null: null)
    }

    /// Walks a jsexpr iteratively and builds it with `builder`.
    ///
    /// Nesting deeper than `maxDepth` (which includes any cycle through vectors of pairs or
    /// hash tables) and cyclic lists are errors, never a hang or a stack overflow.
    static func convert<B: JSONBuilder>(_ v: Value, into builder: B, who: String, sortKeys: Bool,
                                        null: Value? = nil,
                                        maxDepth: Int = JSONParser<B>.defaultMaxDepth) throws -> B.Node {
        var results: [B.Node] = []
        var work: [FromSchemeTask] = [.visit(v, depth: 0)]
        func refuse(_ x: Value, key: Bool = false) -> SchemeError {
            SchemeError.notJSON(who, given: x, key: key)
        }
        while let task = work.popLast() {
            switch task {
            case .visit(let x, let depth):
                if let null, Equality.equal(x, null) {
                    results.append(builder.null())
                    continue
                }
                switch x {
                case .symbol(let s) where null == nil && s === SchemeJSONBuilder.nullSymbol:
                    results.append(builder.null())
                case .bool(let b): results.append(builder.bool(b))
                case .int(let i): results.append(builder.integer(i))
                case .double(let d):
                    guard d.isFinite else { throw refuse(x) }
                    results.append(builder.double(d))
                case .object(let b as BigNum): results.append(builder.bigInteger(String(b.value)))
                case .string(let s): results.append(builder.string(s.string))
                case .null: results.append(builder.array([]))
                case .pair:
                    guard let items = ListWalk.properList(x) else { throw refuse(x) }
                    guard depth < maxDepth else { throw tooDeep(who, maxDepth) }
                    work.append(.array(items.count))
                    for item in items.reversed() { work.append(.visit(item, depth: depth + 1)) }
                case .hash(let table):
                    guard depth < maxDepth else { throw tooDeep(who, maxDepth) }
                    var entries: [(name: String, value: Value)] = []
                    entries.reserveCapacity(table.count)
                    for (key, value) in table.storage {
                        guard case .symbol(let s) = key.value else { throw refuse(key.value, key: true) }
                        entries.append((s.name, value))
                    }
                    if sortKeys {
                        entries.sort { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) { $0.value < $1.value } }
                    }
                    work.append(.object(entries.map { $0.name }))
                    for e in entries.reversed() { work.append(.visit(e.value, depth: depth + 1)) }
                default:
                    throw refuse(x)
                }
            case .array(let n):
                let items = Array(results.suffix(n))
                results.removeLast(n)
                results.append(builder.array(items))
            case .object(let keys):
                // Copy the members out before shrinking `results`: a live slice of it would make
                // `removeLast` copy the whole array (quadratic for a list of objects; perf).
                let start = results.count - keys.count
                var members: [(String, B.Node)] = []
                members.reserveCapacity(keys.count)
                for (i, key) in keys.enumerated() { members.append((key, results[start + i])) }
                results.removeLast(keys.count)
                results.append(builder.object(members))
            }
        }
        guard let node = results.last else { throw refuse(v) }
        return node
    }

    private static func tooDeep(_ who: String, _ maxDepth: Int) -> SchemeError {
        SchemeError(.contract, "\(who): data nested deeper than \(maxDepth) levels (or cyclic) cannot be JSON")
    }
}

extension SchemeError {
    /// Racket 8.7's json error for a value that is not a jsexpr (a contract failure):
    /// `jsexpr->string: expected argument of type <legal JSON value>; given: '#(1)`.
    static func notJSON(_ who: String, given: Value, key: Bool) -> SchemeError {
        let kind = key ? "legal JSON key value" : "legal JSON value"
        return SchemeError(.contract, "\(who): expected argument of type <\(kind)>; given: \(Printer.print(given, limit: 200))",
                           irritants: [given])
    }
}

private enum ToSchemeTask {
    case visit(JSONValue)
    case list(Int)
    case table([String])
}

private enum FromSchemeTask {
    case visit(Value, depth: Int)
    case array(Int)
    case object([String])
}

/// Builds Scheme values while parsing (`string->jsexpr`): big integers stay exact.
struct SchemeJSONBuilder: JSONBuilder {
    static let nullSymbol = Symbol.intern("null")
    /// What JSON `null` becomes (`#:null`, default the symbol `null`).
    var nullValue = Value.symbol(SchemeJSONBuilder.nullSymbol)

    func null() -> Value { nullValue }
    func bool(_ b: Bool) -> Value { .bool(b) }
    func bigInteger(_ text: String) -> Value {
        BigInt(text, radix: 10).map(Value.integer) ?? .double(Double(text) ?? .nan)
    }
    func integer(_ i: Int) -> Value { .int(i) }
    func double(_ d: Double) -> Value { .double(d) }
    func string(_ s: String) -> Value { .string(MString(s)) }
    func array(_ items: [Value]) -> Value { .list(items) }
    func object(_ members: [(String, Value)]) -> Value {
        let table = HashTable(kind: .eq, mutable: false)
        for (k, v) in members { table.set(.sym(k), v) }
        return .hash(table)
    }
}

/// Builds JSON text directly (`jsexpr->string`), so big integers keep every digit.
struct JSONTextBuilder: JSONBuilder {
    func null() -> String { "null" }
    func bool(_ b: Bool) -> String { b ? "true" : "false" }
    func bigInteger(_ text: String) -> String { text }
    func integer(_ i: Int) -> String { String(i) }
    func double(_ d: Double) -> String { JSONText.double(d) ?? "null" }
    func string(_ s: String) -> String {
        var out = ""
        JSONText.appendQuoted(s.unicodeScalars, to: &out)
        return out
    }
    func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
    func object(_ members: [(String, String)]) -> String {
        var out = "{"
        for (n, (k, v)) in members.enumerated() {
            if n > 0 { out += "," }
            JSONText.appendQuoted(k.unicodeScalars, to: &out)
            out += ":" + v
        }
        return out + "}"
    }
}
