import Testing
@testable import Sandbox

/// The JSON-lines sandbox protocol (reference §4.5, §4.9), driven through `SandboxProtocolHandler`
/// without a process. Replies are compared as whole lines wherever the wording is fixed.

/// A handler over a fresh session with `limits`.
private func makeHandler(_ limits: Limits = Limits()) -> SandboxProtocolHandler {
    SandboxProtocolHandler(session: SandboxSession(limits: limits))
}

/// One command line: `{"op":op, fields…}` serialised as a client would send it.
private func command(_ op: String, _ fields: (String, JSONValue)...) -> String {
    JSONValue.object([("op", .string(op))] + fields).serialized()
}

/// An `eval` command line for `code`.
private func evalLine(_ code: String) -> String {
    command("eval", ("code", .string(code)))
}

extension SandboxProtocolHandler {
    /// The reply to `line`, parsed; `.null` when there was no reply or it was not JSON.
    fileprivate func replyObject(_ line: String) -> JSONValue {
        guard let reply = handle(line: line), let v = try? JSONValue.parse(reply) else { return .null }
        return v
    }
}

/// The keys of a reply object, in order.
private func keys(_ v: JSONValue) -> [String] {
    if case .object(let members) = v { return members.map(\.0) }
    return []
}

private func string(_ v: JSONValue?) -> String? {
    if case .string(let s)? = v { return s }
    return nil
}

// MARK: - eval

@Suite("protocol: eval")
struct ProtocolEvalTests {
    @Test("the acceptance line: recursive fib replies finished with 6765")
    func acceptanceFib() {
        let h = makeHandler()
        let line = #"{"op":"eval","code":"(define (f n) (if (< n 2) n (+ (f (- n 1)) (f (- n 2)))))\n(finish (f 20))"}"#
        #expect(h.handle(line: line) == #"{"status":"finished","result":"6765","stdout":""}"#)
    }

    @Test("without finish the reply is ok with an empty result and the captured stdout")
    func okReply() {
        let h = makeHandler()
        #expect(h.handle(line: evalLine(#"(display "a") (write "w") 42"#)) == #"{"status":"ok","result":"","stdout":"a\"w\""}"#)
        #expect(h.handle(line: evalLine("")) == #"{"status":"ok","result":"","stdout":""}"#)
    }

    @Test("a missing or null code is the empty program")
    func missingCode() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":"eval"}"#) == #"{"status":"ok","result":"","stdout":""}"#)
        #expect(h.handle(line: #"{"op":"eval","code":null}"#) == #"{"status":"ok","result":"","stdout":""}"#)
    }

    @Test("a code that is not a string is an error reply")
    func codeNotString() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":"eval","code":5}"#)
                == #"{"status":"error","message":"eval: contract violation\n  expected: string?\n  given: 5"}"#)
    }

    @Test("output printed before finish is kept, in order, in the finished reply")
    func stdoutBeforeFinish() {
        let h = makeHandler()
        #expect(h.handle(line: evalLine(#"(display "pre") (finish (begin (display "mid") 3))"#))
                == #"{"status":"finished","result":"3","stdout":"premid"}"#)
    }

    @Test("a Scheme error replies status then message, and drops that command's stdout")
    func schemeError() {
        let h = makeHandler()
        let reply = h.replyObject(evalLine(#"(display "lost") (car 5)"#))
        #expect(keys(reply) == ["status", "message"])
        #expect(string(reply["message"]) == "car: contract violation\n  expected: pair?\n  given: 5")
    }

    @Test("a reader error means nothing runs")
    func readerError() {
        let h = makeHandler()
        let reply = h.replyObject(evalLine("(define z 1) (finish (+ 1 2)"))
        #expect(string(reply["status"]) == "error")
        #expect(string(reply["message"])?.contains("read: expected a `)` to close `(`") == true)
        #expect(h.handle(line: command("get-variables")) == #"{"status":"ok","result":"[]"}"#)
    }

    @Test("defining a protected name is the exact scaffold error")
    func protectedName() {
        let h = makeHandler()
        #expect(h.handle(line: evalLine("(define finish 42)"))
                == #"{"status":"error","message":"define: cannot redefine scaffold binding 'finish'"}"#)
    }

    @Test("without a callback channel or a provider, a model call is an error reply naming llm-query")
    func llmQueryWithoutProvider() {
        let h = makeHandler()
        let reply = h.replyObject(evalLine(#"(llm-query #:instruction "hi")"#))
        #expect(string(reply["status"]) == "error")
        #expect(string(reply["message"])?.hasPrefix("llm-query: ") == true)
    }

    @Test("raising a non-exception value is an error reply, not a dead server")
    func raiseNonException() {
        let h = makeHandler()
        #expect(string(h.replyObject(evalLine("(raise 'boom)"))["status"]) == "error")
        #expect(h.handle(line: evalLine("(finish 1)")) == #"{"status":"finished","result":"1","stdout":""}"#)
    }

    @Test("definitions persist across eval commands")
    func statePersists() {
        let h = makeHandler()
        for code in ["(define a 1)", "(define b 2)", "(define c (+ a b))"] {
            #expect(h.handle(line: evalLine(code)) == #"{"status":"ok","result":"","stdout":""}"#)
        }
        #expect(h.handle(line: evalLine("(finish c)")) == #"{"status":"finished","result":"3","stdout":""}"#)
    }
}

// MARK: - The other ops

@Suite("protocol: load-context, scope log, variables, inspect-state, reset")
struct ProtocolOpsTests {
    @Test("load-context without a name sets context and counts code points")
    func loadContext() {
        let h = makeHandler()
        #expect(h.handle(line: command("load-context", ("data", .string("hello"))))
                == #"{"status":"ok","result":"context loaded","meta":{"bytes":5,"type":"string"}}"#)
        #expect(h.handle(line: evalLine("(finish context)")) == #"{"status":"finished","result":"hello","stdout":""}"#)
    }

    @Test("load-context with a name stores it under the name and sets context; bytes are code points")
    func loadContextNamed() {
        let h = makeHandler()
        #expect(h.handle(line: command("load-context", ("data", .string("🎉é")), ("name", .string("doc"))))
                == #"{"status":"ok","result":"context loaded as 'doc'","meta":{"bytes":2,"type":"string"}}"#)
        #expect(h.handle(line: evalLine(#"(finish (list context (string-length context) (get-context "doc")))"#))
                == #"{"status":"finished","result":"(🎉é 2 🎉é)","stdout":""}"#)
    }

    @Test("load-context with missing data loads the empty string; non-string data is an error")
    func loadContextEdges() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":"load-context"}"#)
                == #"{"status":"ok","result":"context loaded","meta":{"bytes":0,"type":"string"}}"#)
        #expect(h.handle(line: #"{"op":"load-context","data":[1]}"#)
                == #"{"status":"error","message":"load-context: contract violation\n  expected: string?\n  given: '(1)"}"#)
        #expect(string(h.replyObject(#"{"op":"load-context","data":"x","name":7}"#)["status"]) == "error")
    }

    @Test("get-scope-log returns the entries as a JSON string, escaped and in append order")
    func scopeLog() throws {
        let h = makeHandler()
        #expect(h.handle(line: command("get-scope-log")) == #"{"status":"ok","result":"[]"}"#)
        _ = h.handle(line: evalLine(#"(finish (syntax-e (datum->syntax #f "a\"bc")))"#))
        let reply = h.replyObject(command("get-scope-log"))
        #expect(keys(reply) == ["status", "result"])
        let log = try JSONValue.parse(string(reply["result"]) ?? "")
        #expect(log == .array([
            .object([("op", .string("datum->syntax")), ("datum_preview", .string("a\"bc")), ("scope", .string("sandbox"))]),
            .object([("op", .string("syntax-e")), ("datum_preview", .string("a\"bc")), ("scope", .string("sandbox"))]),
        ]))
    }

    @Test("get-variables returns the user's top-level names as a JSON string")
    func getVariables() throws {
        let h = makeHandler()
        #expect(h.handle(line: command("get-variables")) == #"{"status":"ok","result":"[]"}"#)
        _ = h.handle(line: evalLine("(define alpha 1) (define (zed x) x) (begin (define mid 2))"))
        let reply = h.replyObject(command("get-variables"))
        let names = try JSONValue.parse(string(reply["result"]) ?? "")
        guard case .array(let items) = names else {
            Issue.record("result is not a JSON array: \(names)")
            return
        }
        #expect(Set(items.compactMap { string($0) }) == ["alpha", "zed", "mid"])
    }

    @Test("inspect-state lists the variables as a real array and reports no Python")
    func inspectState() {
        let h = makeHandler()
        #expect(h.handle(line: command("inspect-state")) == #"{"status":"ok","variables":[],"python_available":false}"#)
        _ = h.handle(line: evalLine("(define only 1)"))
        #expect(h.handle(line: command("inspect-state")) == #"{"status":"ok","variables":["only"],"python_available":false}"#)
    }

    @Test("reset clears definitions, context and the scope log")
    func reset() {
        let h = makeHandler()
        _ = h.handle(line: evalLine(#"(define x 5) (syntax-e (datum->syntax #f "s"))"#))
        _ = h.handle(line: command("load-context", ("data", .string("ctx"))))
        #expect(h.handle(line: evalLine("(finish x)")) == #"{"status":"finished","result":"5","stdout":""}"#)
        #expect(h.handle(line: command("reset")) == #"{"status":"ok","result":"sandbox reset"}"#)
        #expect(h.handle(line: evalLine("(finish x)"))
                == #"{"status":"error","message":"x: undefined;\n cannot reference an identifier before its definition\n  in module: 'program"}"#)
        #expect(h.handle(line: evalLine("(finish context)")) == #"{"status":"finished","result":"","stdout":""}"#)
        #expect(h.handle(line: command("get-scope-log")) == #"{"status":"ok","result":"[]"}"#)
        #expect(h.handle(line: command("get-variables")) == #"{"status":"ok","result":"[]"}"#)
    }
}

// MARK: - Bad commands

@Suite("protocol: error replies")
struct ProtocolErrorTests {
    @Test("an unknown op names the op")
    func unknownOp() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":"frobnicate"}"#) == #"{"status":"error","message":"unknown op: frobnicate"}"#)
        #expect(h.handle(line: #"{"op":"llm-query"}"#) == #"{"status":"error","message":"unknown op: llm-query"}"#)
    }

    @Test("an object without op is the unknown op with an empty name")
    func missingOp() {
        let h = makeHandler()
        #expect(h.handle(line: "{}") == #"{"status":"error","message":"unknown op: "}"#)
        #expect(h.handle(line: #"{"code":"(finish 1)"}"#) == #"{"status":"error","message":"unknown op: "}"#)
        #expect(h.handle(line: #"{"op":null}"#) == #"{"status":"error","message":"unknown op: "}"#)
    }

    @Test("a non-string op is shown as its JSON text")
    func nonStringOp() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":5}"#) == #"{"status":"error","message":"unknown op: 5 (op must be a string)"}"#)
        #expect(h.handle(line: #"{"op":["eval"]}"#) == #"{"status":"error","message":"unknown op: [\"eval\"] (op must be a string)"}"#)
    }

    @Test("a line that is not JSON gets the parser's message naming the bad input")
    func invalidJSON() {
        let h = makeHandler()
        #expect(h.handle(line: "not json") == #"{"status":"error","message":"string::1: string->jsexpr: bad input starting #\"not json\""}"#)
        for bad in [#"{"op":"eval""#, #"{"op" "eval"}"#, "{'op':'eval'}", #"{"op":"eval"} trailing"#] {
            let reply = h.replyObject(bad)
            #expect(keys(reply) == ["status", "message"], "for \(bad)")
            #expect(string(reply["message"])?.contains("string->jsexpr") == true, "for \(bad)")
        }
    }

    @Test("valid JSON that is not an object is a hash-ref contract error")
    func notAnObject() {
        let h = makeHandler()
        #expect(h.handle(line: "[1,2]") == #"{"status":"error","message":"hash-ref: contract violation\n  expected: hash?\n  given: '(1 2)"}"#)
        for other in ["42", #""eval""#, "null", "true"] {
            let reply = h.replyObject(other)
            #expect(string(reply["status"]) == "error", "for \(other)")
            #expect(string(reply["message"])?.hasPrefix("hash-ref: contract violation") == true, "for \(other)")
        }
    }

    @Test("extra fields are ignored")
    func extraFields() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":"eval","code":"(finish 2)","id":17,"x":{"y":[]}}"#)
                == #"{"status":"finished","result":"2","stdout":""}"#)
    }

    @Test("every error leaves the handler answering the next command")
    func survivesErrors() {
        let h = makeHandler()
        for bad in ["{", "[]", "{}", #"{"op":"?"}"#, #"{"op":"eval","code":"(car '())"}"#, "\u{FFFD}\u{FFFD}"] {
            #expect(string(h.replyObject(bad)["status"]) == "error", "for \(bad)")
        }
        #expect(h.handle(line: evalLine("(finish 'alive)")) == #"{"status":"finished","result":"alive","stdout":""}"#)
    }
}

// MARK: - Lines, whitespace, encoding

@Suite("protocol: lines and text encoding")
struct ProtocolEncodingTests {
    @Test("blank lines get no reply")
    func blankLines() {
        let h = makeHandler()
        #expect(h.handle(line: "") == nil)
        #expect(h.handle(line: "   ") == nil)
        #expect(h.handle(line: "\t\r") == nil)
    }

    @Test("surrounding whitespace, including a CRLF's \\r, is trimmed")
    func trimming() {
        let h = makeHandler()
        #expect(h.handle(line: "  \(evalLine("(finish 7)"))\r") == #"{"status":"finished","result":"7","stdout":""}"#)
    }

    @Test("emoji, accents, CJK and astral characters round-trip literally")
    func unicodeRoundTrip() {
        let h = makeHandler()
        let text = "é🎉 𝕳𝖊𝖑𝖑𝖔 © ™ € £ ¥ ✓ 漢字 🎨"
        let reply = h.handle(line: evalLine("(display \"\(text)\") (finish (string-append \"\(text)\" \"!\"))"))
        #expect(reply == #"{"status":"finished","result":""# + text + #"!","stdout":""# + text + #""}"#)
        #expect(h.handle(line: evalLine(#"(finish (string-length "🎉é"))"#)) == #"{"status":"finished","result":"2","stdout":""}"#)
    }

    @Test("a \\ud83d\\udc4b surrogate pair in the input is one character")
    func surrogatePair() {
        let h = makeHandler()
        #expect(h.handle(line: #"{"op":"eval","code":"(finish \"\ud83d\udc4b\")"}"#) == #"{"status":"finished","result":"👋","stdout":""}"#)
        #expect(h.handle(line: #"{"op":"eval","code":"(finish (string-length \"\ud83d\udc4b\"))"}"#)
                == #"{"status":"finished","result":"1","stdout":""}"#)
    }

    @Test("control characters and DEL are escaped in replies; quote and backslash too")
    func controlCharacters() {
        let h = makeHandler()
        let code = #"(finish (string (integer->char 0) (integer->char 127) #\tab #\newline #\return (integer->char 8) (integer->char 12) #\" #\\ (integer->char 31)))"#
        #expect(h.handle(line: evalLine(code)) == #"{"status":"finished","result":"\u0000\u007f\t\n\r\b\f\"\\\u001f","stdout":""}"#)
        #expect(h.handle(line: evalLine(#"(display "a\nb")"#)) == #"{"status":"ok","result":"","stdout":"a\nb"}"#)
    }

    @Test("each reply is exactly one line")
    func oneLine() {
        let h = makeHandler()
        let reply = h.handle(line: evalLine(#"(display "x\ny\r\n") (finish "1\n2")"#)) ?? ""
        #expect(!reply.contains("\n") && !reply.contains("\r"))
    }
}

// MARK: - Limits

@Suite("protocol: limits")
struct ProtocolLimitTests {
    @Test("an infinite loop under a small fuel limit is an error reply, and the next command is answered")
    func infiniteLoopFuel() {
        var limits = Limits()
        limits.fuel = 100_000
        let h = makeHandler(limits)
        let reply = h.replyObject(evalLine("(let loop ([i 0]) (loop (+ i 1)))"))
        #expect(keys(reply) == ["status", "message"])
        #expect(string(reply["message"])?.contains("out of fuel") == true)
        #expect(h.handle(line: evalLine("(finish (+ 1 2))")) == #"{"status":"finished","result":"3","stdout":""}"#)
    }

    @Test("an infinite loop under a small CPU limit stops in time, and the next command is answered")
    func infiniteLoopTime() {
        var limits = Limits()
        limits.cpuSeconds = 0.2
        let h = makeHandler(limits)
        let clock = ContinuousClock()
        let start = clock.now
        let reply = h.replyObject(evalLine("(let loop ([i 0]) (loop (+ i 1)))"))
        #expect(clock.now - start < .seconds(10))
        #expect(string(reply["message"])?.contains("time limit") == true, "\(string(reply["message"]) ?? "no message")")
        #expect(h.handle(line: command("get-variables")) == #"{"status":"ok","result":"[]"}"#)
    }
}

// MARK: - Splitting input into lines

@Suite("protocol: line splitter")
struct ProtocolLineSplitterTests {
    @Test("lines split at \\n however the bytes are chunked; the last partial line comes from finish")
    func chunking() {
        let bytes = Array("{\"op\":\"reset\"}\n\nsecond line\nlast".utf8)
        for chunkSize in [1, 2, 3, 7, 64] {
            var splitter = ProtocolLineSplitter()
            var lines: [String] = []
            var i = 0
            while i < bytes.count {
                lines += splitter.append(bytes[i..<min(i + chunkSize, bytes.count)])
                i += chunkSize
            }
            if let last = splitter.finish() { lines.append(last) }
            #expect(lines == ["{\"op\":\"reset\"}", "", "second line", "last"], "chunk size \(chunkSize)")
        }
    }

    @Test("invalid UTF-8 decodes to replacement characters instead of failing")
    func invalidUTF8() {
        var splitter = ProtocolLineSplitter()
        let lines = splitter.append([0x61, 0xFF, 0xFE, 0x62, 0x0A, 0xC3])
        #expect(lines == ["a\u{FFFD}\u{FFFD}b"])
        #expect(splitter.finish() == "\u{FFFD}")
        #expect(splitter.finish() == nil)
    }

    @Test("a multi-byte character split across chunks decodes whole")
    func splitCharacter() {
        var splitter = ProtocolLineSplitter()
        let bytes = Array("é🎉\n".utf8)
        var lines: [String] = []
        for b in bytes { lines += splitter.append([b]) }
        #expect(lines == ["é🎉"])
    }
}
