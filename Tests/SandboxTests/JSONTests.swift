import BigInt
import Testing
@testable import Sandbox

@Suite("JSON")
struct JSONTests {
    let h = StringsHarness()

    private func parseError(_ text: String) -> String? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch let e as JSONError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test("parses standard JSON, keeping key order")
    func parsing() throws {
        let v = try JSONValue.parse(#" {"b": 1, "a": [1, 2.5, "x", null, true, false, {}], "c": 1e2, "d": -0} "#)
        #expect(v == .object([("b", .int(1)), ("a", .array([.int(1), .double(2.5), .string("x"), .null, .bool(true), .bool(false), .object([])])),
                              ("c", .double(100)), ("d", .int(0))]))
        #expect(v["b"] == .int(1))
        #expect(try JSONValue.parse("\"\\u00e9\\/\\n\\t\\\"\\\\\\b\\f\\r\"") == .string("é/\n\t\"\\\u{8}\u{C}\r"))
        #expect(try JSONValue.parse("\"héllo 🎉\"") == .string("héllo 🎉"))
        #expect(try JSONValue.parse("-1.5e-3") == .double(-0.0015))
        #expect(try JSONValue.parse("9223372036854775807") == .int(.max))
        #expect(try JSONValue.parse("12345678901234567890123") == .double(Double("12345678901234567890123") ?? 0))
        #expect(try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#) == .object([("a", .int(3)), ("b", .int(2))]))
    }

    @Test("a UTF-16 surrogate pair decodes to one character; lone halves are errors")
    func surrogates() throws {
        #expect(try JSONValue.parse("\"\\ud83d\\udc4b\"") == .string("👋"))
        #expect(parseError("\"\\ud800\"") == "string::8: string->jsexpr: bad string \\u escape, missing second half of a UTF-16 pair")
        #expect(parseError("\"\\udc00\"") != nil)
        #expect(parseError("[\"\\ud83d\\u0041\"]")?.contains("bad second half of a UTF-16 pair") == true)
        #expect(parseError("\"\\uZZZZ\"")?.contains("bad string \\u escape") == true)
    }

    @Test("invalid JSON fails with Racket's message and a 1-based byte position")
    func errors() {
        #expect(parseError(#"{"a": }"#) == "string::7: string->jsexpr: bad input starting #\"}\"")
        #expect(parseError(#"{"é": x}"#) == "string::8: string->jsexpr: bad input starting #\"x}\"")
        #expect(parseError("[1,\n 2,\n x]") == "string::10: string->jsexpr: bad input starting #\"x]\"")
        #expect(parseError("[1,]") == "string::4: string->jsexpr: bad input starting #\"]\"")
        #expect(parseError("[1, 2") == "string::6: string->jsexpr: error while parsing a json array")
        #expect(parseError("\"abc") == "string::5: string->jsexpr: unterminated string")
        #expect(parseError("\"\\x\"") == "string::2: string->jsexpr: bad string escape: \"x\"")
        #expect(parseError("{1:2}") == "string::2: string->jsexpr: non-string value used for json object key")
        #expect(parseError("{bad}") == "string::2: string->jsexpr: bad input starting #\"bad}\"")
        #expect(parseError(#"{"a":1,}"#) == "string::8: string->jsexpr: bad input starting #\"}\"")
        #expect(parseError(#"{"a":1, 2:3}"#) == "string::9: string->jsexpr: non-string value used for json object key")
        #expect(parseError(#"{"a" 1}"#)?.contains("error while parsing a json object pair") == true)
        #expect(parseError("hello world")?.hasPrefix("string::1: string->jsexpr: bad input starting #\"hello world\"") == true)
        #expect(parseError("") == "string::1: string->jsexpr: unexpected end-of-file")
        #expect(parseError("tru") != nil && parseError("nul") != nil && parseError("01") != nil)
        #expect(parseError("-") != nil && parseError("1.") != nil && parseError("1e") != nil && parseError(".5") != nil)
        #expect(parseError("[] x") == "string::4: string->jsexpr: bad input starting #\"x\"")
        #expect(parseError("{\"é\": \u{1}x") == "string::8: string->jsexpr: bad input starting #\"\\1x\"")
        let long = parseError("x" + String(repeating: "y", count: 1000)) ?? ""
        #expect(long.hasSuffix("...") && long.utf8.count < 200)
    }

    @Test("deep nesting is refused with a clear error, never a crash")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseError(deep)?.contains("JSON nested deeper than 10000 levels") == true)
        let ok = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let v = try JSONValue.parse(ok)
        #expect(v.serialized() == ok)
        #expect(parseError("[" + ok + "]")?.contains("JSON nested deeper than 10000 levels") == true)
        let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let scheme = try h.call("string->jsexpr", [.str(objects)])
        #expect(try h.text("jsexpr->string", [scheme]) == objects)
    }

    @Test("serialized() escapes per the wire rules and keeps non-ASCII literal")
    func serialization() {
        let v = JSONValue.object([("b", .int(1)), ("a", .array([.double(2.5), .string("x\n\"\\\u{1}\u{7F} é🎉\u{80}"), .null, .bool(true)]))])
        #expect(v.serialized() == "{\"b\":1,\"a\":[2.5,\"x\\n\\\"\\\\\\u0001\\u007f é🎉\u{80}\",null,true]}")
        #expect(JSONValue.string("\u{0}\t\r\u{8}\u{C}/").serialized() == "\"\\u0000\\t\\r\\b\\f/\"")
        #expect(JSONValue.double(100).serialized() == "100.0")
        #expect(JSONValue.double(0.1).serialized() == "0.1")
        #expect(JSONValue.int(-7).serialized() == "-7")
        #expect(JSONValue.double(.infinity).serialized() == "null")
        #expect(JSONValue.object([]).serialized() == "{}" && JSONValue.array([]).serialized() == "[]")
    }

    @Test("round trip through parse and serialize is stable")
    func roundTrip() throws {
        let text = #"{"name":"Zoë","tags":["a","b"],"n":{"x":-1,"y":2.75},"ok":false,"none":null}"#
        #expect(try JSONValue.parse(text).serialized() == text)
    }

    @Test("toScheme gives hasheq tables, lists, the symbol null and exact numbers")
    func toScheme() throws {
        let v = try JSONValue.parse(#"{"b": 1, "a": [1, 2.5, "x", null, true, false, {}]}"#)
        #expect(Printer.write(v.toScheme()) == "#hasheq((a . (1 2.5 \"x\" null #t #f #hasheq())) (b . 1))")
        guard case .hash(let t) = v.toScheme() else {
            Issue.record("not a hash")
            return
        }
        #expect(t.kind == .eq && !t.isMutable)
        #expect(Printer.write(JSONValue.array([]).toScheme()) == "()")
    }

    @Test("fromScheme accepts jsexprs and refuses everything else")
    func fromScheme() throws {
        let table = HashTable(kind: .eq, mutable: false)
        table.set(.sym("b"), .int(1))
        table.set(.sym("a"), .list(.double(2.5), .sym("null"), .true, .str("é")))
        #expect(try JSONValue.fromScheme(.hash(table)).serialized() == "{\"b\":1,\"a\":[2.5,null,true,\"é\"]}")
        #expect(try JSONValue.fromScheme(.null) == .array([]))
        #expect(throws: SchemeError.self) { try JSONValue.fromScheme(.object(SyntaxObject(.str("hello")))) }
        #expect(throws: SchemeError.self) { try JSONValue.fromScheme(.vector(SVector([.int(1)]))) }
        #expect(throws: SchemeError.self) { try JSONValue.fromScheme(.sym("foo")) }
        #expect(throws: SchemeError.self) { try JSONValue.fromScheme(.double(.infinity)) }
        let cyclic = Pair(.int(1), .null)
        cyclic.cdr = .pair(cyclic)
        #expect(throws: SchemeError.self) { try JSONValue.fromScheme(.pair(cyclic)) }
        let selfTable = HashTable(kind: .eq, mutable: true)
        selfTable.set(.sym("me"), .hash(selfTable))
        #expect(throws: SchemeError.self) { try JSONValue.fromScheme(.hash(selfTable)) }
    }

    @Test("string->jsexpr and jsexpr->string behave like Racket's json library")
    func library() throws {
        let v = try h.call("string->jsexpr", [.str(#"{"b": 1, "a": [1, 2.5, "x", null, true, false, {}], "f": 12345678901234567890123}"#)])
        #expect(Printer.write(v) == "#hasheq((a . (1 2.5 \"x\" null #t #f #hasheq())) (b . 1) (f . 12345678901234567890123))")
        #expect(try h.text("jsexpr->string", [v]) == "{\"a\":[1,2.5,\"x\",null,true,false,{}],\"b\":1,\"f\":12345678901234567890123}")
        #expect(try h.written("string->jsexpr", [.str("\"\\ud83d\\udc4b\"")]) == "\"👋\"")
        #expect(try h.written("string->jsexpr", [.str("  ")]) == "#<eof>")
        #expect(try h.written("string->jsexpr", [.str("null")], kw: ["null": .false]) == "#f")
        #expect(try h.text("jsexpr->string", [.double(1.0)]) == "1.0")
        #expect(try h.text("jsexpr->string", [.integer(BigInt(2).power(70))]) == "1180591620717411303424")
        #expect(try h.text("jsexpr->string", [.str("\u{2028}\u{80}")]) == "\"\u{2028}\u{80}\"")
        #expect(h.failure("string->jsexpr", [.str(#"{"a": }"#)]) == "string::7: string->jsexpr: bad input starting #\"}\"")
        #expect(h.failure("string->jsexpr", [.int(5)]) == "string->jsexpr: contract violation\n  expected: string?\n  given: 5")
        // Racket 8.7's json wording.
        #expect(h.failure("jsexpr->string", [.sym("foo")]) == "jsexpr->string: expected argument of type <legal JSON value>; given: 'foo")
        #expect(h.failure("jsexpr->string", [.list(.int(1), .vector(SVector([.int(1)])))]) == "jsexpr->string: expected argument of type <legal JSON value>; given: '#(1)")
        #expect(h.failure("jsexpr->string", [.double(.nan)])?.hasPrefix("jsexpr->string: expected argument of type <legal JSON value>; given: ") == true)
        #expect(h.failure("jsexpr->string", [.object(SyntaxObject(.str("hello")))]) == "jsexpr->string: expected argument of type <legal JSON value>; given: #<syntax \"hello\">")
        let stringKeys = HashTable(kind: .equal, mutable: false)
        stringKeys.set(.str("b"), .int(1))
        #expect(h.failure("jsexpr->string", [.hash(stringKeys)]) == "jsexpr->string: expected argument of type <legal JSON key value>; given: \"b\"")
        #expect(try h.text("jsexpr->string", [.str("a")], kw: ["null": .str("a")]) == "null")
        #expect(try h.call("jsexpr?", [.list(.int(1), .sym("null"))]).isTrue)
        #expect(try h.call("jsexpr?", [.vector(SVector([]))]).isFalse)
    }

    @Test("read-json reads one value from a port and leaves the rest; write-json writes to a port")
    func ports() throws {
        let port = try h.call("open-input-string", [.str("{\"x\": 1} [2] \"é\" 3")])
        #expect(try h.written("read-json", [port]) == "#hasheq((x . 1))")
        #expect(try h.written("read-json", [port]) == "(2)")
        #expect(try h.written("read-json", [port]) == "\"é\"")
        #expect(try h.written("read-char", [port]) == "#\\space")
        #expect(try h.written("read-json", [port]) == "3")
        #expect(try h.written("read-json", [port]) == "#<eof>")
        let bad = try h.call("open-input-string", [.str("{\"a\" 1}")])
        #expect(h.failure("read-json", [bad]) == "string::6: read-json: error while parsing a json object pair")
        let offset = try h.call("open-input-string", [.str("[1] {bad}")])
        _ = try h.call("read-json", [offset])
        #expect(h.failure("read-json", [offset]) == "string::6: read-json: bad input starting #\"bad}\"")
        let out = try h.call("open-output-string", [])
        _ = try h.call("write-json", [.list(.int(1), .str("é"), .sym("null")), out])
        #expect(try h.text("get-output-string", [out]) == "[1,\"é\",null]")
        _ = try h.call("write-json", [.true])
        #expect(h.stdout == "true")
    }

    @Test("a 10 MB JSON string parses and serializes")
    func big() throws {
        let payload = String(repeating: "añ\\n", count: 2_500_000)
        let v = try JSONValue.parse("[\"" + payload + "\"]")
        guard case .array(let items) = v, case .string(let s) = items.first else {
            Issue.record("wrong shape")
            return
        }
        #expect(s.unicodeScalars.count == 7_500_000)
        #expect(v.serialized().utf8.count == payload.utf8.count + 4)
    }
}
