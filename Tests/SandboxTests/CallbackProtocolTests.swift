#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TestSupport
import Testing
@testable import Sandbox

/// Callback mode (reference §4.8): the host owns model calls. A scripted host answers every
/// callback line the sandbox writes; the tests compare the whole transcript — callback lines and
/// command replies, in order — with the exact lines of the reference.

/// An in-process host: commands are read in order; each callback line the sandbox writes is
/// answered by `respond`, whose reply becomes the very next input line (nil: no reply).
private final class ScriptedHost: ProtocolLineSource, ProtocolLineSink, @unchecked Sendable {
    private var input: [String]
    private(set) var written: [String] = []
    private let respond: (JSONValue) -> String?

    init(_ commands: [String], respond: @escaping (JSONValue) -> String?) {
        input = commands
        self.respond = respond
    }

    func nextLine() -> String? { input.isEmpty ? nil : input.removeFirst() }

    func write(line: String) throws {
        written.append(line)
        // Callback lines carry an "op"; command replies do not.
        guard let v = try? JSONValue.parse(line), v["op"] != nil else { return }
        if let reply = respond(v) { input.insert(reply, at: 0) }
    }
}

/// Serves `commands` in callback mode against `respond`; the transcript of everything written.
private func transcript(_ commands: [String], respond: @escaping (JSONValue) -> String? = { _ in nil }) -> [String] {
    let host = ScriptedHost(commands, respond: respond)
    let session = SandboxSession(callbacks: CallbackChannel(input: host, output: host))
    try? SandboxProtocolHandler(session: session).serve(input: host, output: host)
    return host.written
}

private func evalLine(_ code: String) -> String {
    JSONValue.object([("op", .string("eval")), ("code", .string(code))]).serialized()
}

private func op(_ v: JSONValue) -> String {
    if case .string(let s)? = v["op"] { return s }
    return ""
}

private func ids(_ v: JSONValue) -> [String] {
    guard case .array(let items)? = v["ids"] else { return [] }
    return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
}

/// A model reply line.
private func reply(_ text: String, _ prompt: Int, _ completion: Int) -> String {
    JSONValue.object([("result", .string(text)), ("prompt_tokens", .int(prompt)), ("completion_tokens", .int(completion))]).serialized()
}

/// A host whose every model answer is `r-<id>` (or `text` for sync calls) with the given tokens;
/// `await-any` completes the LAST listed id; heartbeats get `{"ok":true}`.
private func modelHost(text: String = "response", prompt: Int = 15, completion: Int = 8) -> (JSONValue) -> String? {
    return { v in
        switch op(v) {
        case "llm-query": return reply(text, prompt, completion)
        case "await":
            if case .string(let id)? = v["id"] { return reply("r-\(id)", prompt, completion) }
            return reply("", 0, 0)
        case "await-batch":
            let results = ids(v).map { id in
                JSONValue.object([("result", .string("r-\(id)")), ("prompt_tokens", .int(prompt)), ("completion_tokens", .int(completion))])
            }
            return JSONValue.object([("results", .array(results))]).serialized()
        case "await-any":
            let all = ids(v)
            guard let last = all.last else { return #"{"error":"No futures provided","completed_id":null,"remaining_ids":[]}"# }
            return JSONValue.object([("completed_id", .string(last)), ("result", .string("r-\(last)")),
                                     ("prompt_tokens", .int(prompt)), ("completion_tokens", .int(completion)),
                                     ("remaining_ids", .array(all.dropLast().map { .string($0) }))]).serialized()
        case "heartbeat": return #"{"ok":true}"#
        default: return nil
        }
    }
}

private let scopeLogLine = #"{"op":"get-scope-log"}"#

// MARK: - Sub-model calls

@Suite("callback protocol: llm-query and async calls")
struct CallbackQueryTests {
    @Test("llm-query writes one line with the fixed fields, reads one reply, returns a syntax object")
    func llmQueryPlain() {
        let t = transcript([evalLine(#"(define r (llm-query #:instruction "Summarize" #:data "text")) (finish (syntax-e r))"#),
                            scopeLogLine], respond: modelHost())
        #expect(t == [
            #"{"op":"llm-query","instruction":"Summarize","data":"text","model":"","recursive":false,"budget":null,"json_mode":false}"#,
            #"{"status":"finished","result":"response","stdout":""}"#,
            #"{"status":"ok","result":"[{\"op\":\"llm-query\",\"datum_preview\":\"23 tokens (15 in, 8 out): response\",\"scope\":\"sub-call\"},{\"op\":\"datum->syntax\",\"datum_preview\":\"response\",\"scope\":\"sandbox\"},{\"op\":\"syntax-e\",\"datum_preview\":\"response\",\"scope\":\"sandbox\"}]"}"#,
        ])
    }

    @Test("temperature, max_tokens and images appear only when set, in that order; budget is the finite budget")
    func llmQueryOptionalFields() {
        let code = #"""
            (parameterize ([token-budget 1000])
              (llm-query #:instruction "Return JSON" #:model "gpt-4o" #:recursive #t #:json #t #:temperature 0
                         #:max-tokens 500 #:image "first" #:images (list "second" "third")))
            (llm-query #:temperature 0.3)
            (llm-query #:images (list "only"))
            (finish (format "~a" (llm-query #:max-tokens 7)))
            """#
        let t = transcript([evalLine(code)], respond: modelHost())
        #expect(t == [
            #"{"op":"llm-query","instruction":"Return JSON","data":"","model":"gpt-4o","recursive":true,"budget":1000,"json_mode":true,"temperature":0,"max_tokens":500,"images":["first","second","third"]}"#,
            #"{"op":"llm-query","instruction":"","data":"","model":"","recursive":false,"budget":null,"json_mode":false,"temperature":0.3}"#,
            #"{"op":"llm-query","instruction":"","data":"","model":"","recursive":false,"budget":null,"json_mode":false,"images":["only"]}"#,
            #"{"op":"llm-query","instruction":"","data":"","model":"","recursive":false,"budget":null,"json_mode":false,"max_tokens":7}"#,
            ##"{"status":"finished","result":"#<syntax \"response\">","stdout":""}"##,
        ])
    }

    @Test("unsafe-raw-query sends op llm-query and returns a plain string, logged only as llm-query")
    func unsafeRawQuery() {
        let t = transcript([evalLine(#"(finish (string-append "got " (unsafe-raw-query #:instruction "x")))"#), scopeLogLine],
                           respond: modelHost(text: "raw", prompt: 1, completion: 2))
        #expect(t == [
            #"{"op":"llm-query","instruction":"x","data":"","model":"","recursive":false,"budget":null,"json_mode":false}"#,
            #"{"status":"finished","result":"got raw","stdout":""}"#,
            #"{"status":"ok","result":"[{\"op\":\"llm-query\",\"datum_preview\":\"3 tokens (1 in, 2 out): raw\",\"scope\":\"sub-call\"}]"}"#,
        ])
    }

    @Test("missing reply fields default: result \"\", tokens 0")
    func replyDefaults() {
        let t = transcript([evalLine(#"(finish (string-length (unsafe-raw-query)))"#), scopeLogLine]) { _ in "{}" }
        #expect(t[1] == #"{"status":"finished","result":"0","stdout":""}"#)
        #expect(t[2] == #"{"status":"ok","result":"[{\"op\":\"llm-query\",\"datum_preview\":\"0 tokens (0 in, 0 out): \",\"scope\":\"sub-call\"}]"}"#)
    }

    @Test("three llm-query-async lines, then await-all sends one await-batch and returns strings in order")
    func asyncThenAwaitAll() {
        let code = #"""
            (define a (llm-query-async #:instruction "one"))
            (define b (llm-query-async #:instruction "two" #:temperature 0.5))
            (define c (llm-query-async #:instruction "Give JSON" #:json #t))
            (finish (await-all (list a b c)))
            """#
        let t = transcript([evalLine(code), scopeLogLine], respond: modelHost(prompt: 5, completion: 3))
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"one","data":"","model":"","json_mode":false}"#,
            #"{"op":"llm-query-async","id":"pending_1","instruction":"two","data":"","model":"","json_mode":false,"temperature":0.5}"#,
            #"{"op":"llm-query-async","id":"pending_2","instruction":"Give JSON","data":"","model":"","json_mode":true}"#,
            #"{"op":"await-batch","ids":["pending_0","pending_1","pending_2"]}"#,
            #"{"status":"finished","result":"(r-pending_0 r-pending_1 r-pending_2)","stdout":""}"#,
            #"{"status":"ok","result":"[{\"op\":\"llm-query-async\",\"datum_preview\":\"await pending_0: 8 tokens\",\"scope\":\"sub-call\"},{\"op\":\"llm-query-async\",\"datum_preview\":\"await pending_1: 8 tokens\",\"scope\":\"sub-call\"},{\"op\":\"llm-query-async\",\"datum_preview\":\"await pending_2: 8 tokens\",\"scope\":\"sub-call\"}]"}"#,
        ])
    }

    @Test("await sends one await line and returns a syntax object; the handle is a plain list")
    func awaitOne() {
        let t = transcript([evalLine(#"(define h (llm-query-async #:instruction "q")) (display h) (finish (await h))"#), scopeLogLine],
                           respond: modelHost(prompt: 5, completion: 3))
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"q","data":"","model":"","json_mode":false}"#,
            #"{"op":"await","id":"pending_0"}"#,
            ##"{"status":"finished","result":"#<syntax \"r-pending_0\">","stdout":"(async-handle pending_0)"}"##,
            #"{"status":"ok","result":"[{\"op\":\"llm-query-async\",\"datum_preview\":\"await pending_0: 8 tokens\",\"scope\":\"sub-call\"},{\"op\":\"datum->syntax\",\"datum_preview\":\"r-pending_0\",\"scope\":\"sandbox\"}]"}"#,
        ])
    }

    @Test("await-all of '() does no I/O; await-all-syntax wraps each result")
    func awaitAllEdges() {
        let code = #"""
            (display (await-all '()))
            (finish (await-all-syntax (list (llm-query-async) (list 'async-handle "pending_9"))))
            """#
        let t = transcript([evalLine(code)], respond: modelHost())
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"op":"await-batch","ids":["pending_0","pending_9"]}"#,
            #"{"status":"finished","result":"(#<syntax \"r-pending_0\"> #<syntax \"r-pending_9\">)","stdout":"()"}"#,
        ])
    }

    @Test("await-any returns two values: the finished text and handles for remaining_ids in reply order")
    func awaitAnyTwoValues() {
        let code = #"""
            (define hs (list (llm-query-async) (llm-query-async) (llm-query-async)))
            (call-with-values (lambda () (await-any hs)) (lambda (text rest) (finish (list text rest))))
            """#
        let t = transcript([evalLine(code), scopeLogLine]) { v in
            op(v) == "await-any"
                ? #"{"completed_id":"pending_1","result":"second","prompt_tokens":4,"completion_tokens":2,"remaining_ids":["pending_2","pending_0"]}"#
                : nil
        }
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"op":"llm-query-async","id":"pending_1","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"op":"llm-query-async","id":"pending_2","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"op":"await-any","ids":["pending_0","pending_1","pending_2"]}"#,
            #"{"status":"finished","result":"(second ((async-handle pending_2) (async-handle pending_0)))","stdout":""}"#,
            #"{"status":"ok","result":"[{\"op\":\"llm-query-async\",\"datum_preview\":\"await-any pending_1: 6 tokens\",\"scope\":\"sub-call\"}]"}"#,
        ])
    }

    @Test("await-any: an error reply raises await-any: <msg>; empty and non-handle lists fail without I/O")
    func awaitAnyErrors() {
        let t = transcript([
            evalLine(#"(await-any (list (llm-query-async)))"#),
            evalLine(#"(await-any '())"#),
            evalLine(#"(await-any (list "text"))"#),
            evalLine(#"(await "text")"#),
            evalLine(#"(await-all (list 5))"#),
        ]) { v in op(v) == "await-any" ? #"{"error":"No valid futures found","completed_id":null,"remaining_ids":[]}"# : nil }
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"op":"await-any","ids":["pending_0"]}"#,
            #"{"status":"error","message":"await-any: No valid futures found"}"#,
            #"{"status":"error","message":"await-any: cannot await-any on empty list"}"#,
            #"{"status":"error","message":"await-any: expected async handles"}"#,
            #"{"status":"error","message":"await: expected an async handle from llm-query-async"}"#,
            #"{"status":"error","message":"await-all: expected async handles"}"#,
        ])
    }

    @Test("the JSON check and #:recursive with async fail before anything is written and consume no id")
    func validationBeforeWriting() {
        let t = transcript([
            evalLine(#"(llm-query #:instruction "no keyword" #:json #t)"#),
            evalLine(#"(llm-query-async #:instruction "x" #:recursive #t)"#),
            evalLine(#"(llm-query-async #:instruction "plain" #:json #t)"#),
            evalLine(#"(llm-query-async #:recursive #f)"#),
        ])
        #expect(t == [
            #"{"status":"error","message":"llm-query: #:json #t requires the word 'json' in #:instruction (OpenAI API requirement). Example: \"Return a JSON object with keys: ...\""}"#,
            #"{"status":"error","message":"llm-query-async: #:recursive is not supported with async calls. Use synchronous llm-query for recursive delegation with #:recursive #t"}"#,
            #"{"status":"error","message":"llm-query-async: #:json #t requires the word 'json' in #:instruction (OpenAI API requirement). Example: \"Return a JSON object with keys: ...\""}"#,
            #"{"op":"llm-query-async","id":"pending_0","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"status":"ok","result":"","stdout":""}"#,
        ])
    }

    @Test("the pending_N counter is per process: reset does not restart it")
    func counterSurvivesReset() {
        let t = transcript([evalLine("(llm-query-async)"), #"{"op":"reset"}"#, evalLine("(llm-query-async)")])
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"status":"ok","result":"","stdout":""}"#,
            #"{"status":"ok","result":"sandbox reset"}"#,
            #"{"op":"llm-query-async","id":"pending_1","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"status":"ok","result":"","stdout":""}"#,
        ])
    }
}

// MARK: - map-async

@Suite("callback protocol: map-async")
struct CallbackMapAsyncTests {
    private static let fn = #"(lambda (x) (llm-query-async #:instruction x))"#

    @Test("n=5, window 2, host completing the last listed id: A A ANY A ANY A ANY A ANY ANY HB, results in input order")
    func pipelined() throws {
        let code = "(finish (map-async \(Self.fn) (list \"i0\" \"i1\" \"i2\" \"i3\" \"i4\") #:max-concurrent 2))"
        let t = transcript([evalLine(code)], respond: modelHost())
        let callbacks = try t.dropLast().map { try JSONValue.parse($0) }
        #expect(callbacks.map(op) == ["llm-query-async", "llm-query-async", "await-any", "llm-query-async", "await-any",
                                      "llm-query-async", "await-any", "llm-query-async", "await-any", "await-any", "heartbeat"])
        #expect(callbacks.filter { op($0) == "await-any" }.map(ids)
                == [["pending_0", "pending_1"], ["pending_0", "pending_2"], ["pending_0", "pending_3"], ["pending_0", "pending_4"], ["pending_0"]])
        #expect(t[0] == #"{"op":"llm-query-async","id":"pending_0","instruction":"i0","data":"","model":"","json_mode":false}"#)
        #expect(t[10] == #"{"op":"heartbeat"}"#)
        // §10.1 fixed: the original would return (r-pending_1 r-pending_2 r-pending_3 r-pending_4 r-pending_0).
        #expect(t.last == #"{"status":"finished","result":"(r-pending_0 r-pending_1 r-pending_2 r-pending_3 r-pending_4)","stdout":""}"#)
    }

    @Test("#:on-error: each item is awaited on its own, and a failed item's stand-in takes its place")
    func onErrorStandsIn() throws {
        let code = "(finish (map-async \(Self.fn) (list \"a\" \"b\" \"c\") #:max-concurrent 2 #:on-error (lambda (item e) (string-append \"failed \" item))))"
        let host = modelHost()
        let t = transcript([evalLine(code)]) { v in
            if op(v) == "await", case .string("pending_1")? = v["id"] { return #"{"error":"API 500: upstream"}"# }
            return host(v)
        }
        let callbacks = try t.dropLast().map { try JSONValue.parse($0) }
        #expect(callbacks.map(op) == ["llm-query-async", "llm-query-async", "await", "llm-query-async", "await", "await"])
        #expect(t.last == #"{"status":"finished","result":"(r-pending_0 failed b r-pending_2)","stdout":""}"#)
        // The fan-out combinators built on map-async pass #:on-error on in callback mode too.
        let agg = transcript([evalLine("(finish (fan-out-aggregate \(Self.fn) (lambda (rs) (length rs)) (list \"x\" \"y\")))")],
                             respond: modelHost())
        #expect(agg.last == #"{"status":"finished","result":"2","stdout":""}"#)
    }

    @Test("n ≤ window: n dispatch lines, then one await-batch with all ids in order, no heartbeat")
    func withinWindow() {
        let code = "(finish (map-async \(Self.fn) (list \"a\" \"b\" \"c\") #:max-concurrent 5))"
        let t = transcript([evalLine(code)], respond: modelHost())
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"a","data":"","model":"","json_mode":false}"#,
            #"{"op":"llm-query-async","id":"pending_1","instruction":"b","data":"","model":"","json_mode":false}"#,
            #"{"op":"llm-query-async","id":"pending_2","instruction":"c","data":"","model":"","json_mode":false}"#,
            #"{"op":"await-batch","ids":["pending_0","pending_1","pending_2"]}"#,
            #"{"status":"finished","result":"(r-pending_0 r-pending_1 r-pending_2)","stdout":""}"#,
        ])
    }

    @Test("n=25 with the default window: 20 A, (ANY A)×5, 20 ANY, heartbeats after the 10th, 20th and 25th completions")
    func defaultWindow() throws {
        let code = "(finish (length (map-async \(Self.fn) (map number->string (range 25)))))"
        let t = transcript([evalLine(code)], respond: modelHost())
        let ops = try t.dropLast().map { op(try JSONValue.parse($0)) }
        var expected = Array(repeating: "llm-query-async", count: 20)
        for _ in 0..<5 { expected += ["await-any", "llm-query-async"] }
        for k in 6...25 {
            expected.append("await-any")
            if k == 10 || k == 20 || k == 25 { expected.append("heartbeat") }
        }
        #expect(ops == expected)
        #expect(!ops.contains("await-batch"))
        #expect(t.last == #"{"status":"finished","result":"25","stdout":""}"#)
    }

    @Test("a lambda returning a sync result fails after the first window, with the exact message")
    func syncLambda() {
        let code = #"(map-async (lambda (x) (llm-query #:instruction x)) (list "a" "b" "c") #:max-concurrent 2)"#
        let t = transcript([evalLine(code)], respond: modelHost())
        #expect(t.count == 3)
        #expect(t.last == #"{"status":"error","message":"map-async: lambda must return an async handle from llm-query-async, not a sync result from llm-query. Use (llm-query-async ...) inside your lambda, not (llm-query ...)"}"#)
    }

    @Test("an empty list gives '() without I/O; #:model applies to calls whose own model is empty")
    func emptyAndModel() {
        let code = #"""
            (display (map-async (lambda (x) x) '()))
            (map-async (lambda (x) (llm-query-async #:instruction x)) (list "a") #:model "m1")
            (llm-query-async)
            """#
        let t = transcript([evalLine(code)], respond: modelHost())
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"a","data":"","model":"m1","json_mode":false}"#,
            #"{"op":"await-batch","ids":["pending_0"]}"#,
            #"{"op":"llm-query-async","id":"pending_1","instruction":"","data":"","model":"","json_mode":false}"#,
            #"{"status":"ok","result":"","stdout":"()"}"#,
        ])
    }
}

// MARK: - Budgets, accounting, persistence, liveness

@Suite("callback protocol: budgets, accounting, checkpoints, heartbeat")
struct CallbackAccountingTests {
    @Test("budget 50, reply 30+30: charged after the reply, llm-query: token budget exceeded")
    func budgetExceeded() {
        let t = transcript([evalLine(#"(parameterize ([token-budget 50]) (llm-query #:instruction "x"))"#), scopeLogLine],
                           respond: modelHost(prompt: 30, completion: 30))
        #expect(t == [
            #"{"op":"llm-query","instruction":"x","data":"","model":"","recursive":false,"budget":50,"json_mode":false}"#,
            #"{"status":"error","message":"llm-query: token budget exceeded"}"#,
            #"{"status":"ok","result":"[{\"op\":\"llm-query\",\"datum_preview\":\"60 tokens (30 in, 30 out): response\",\"scope\":\"sub-call\"}]"}"#,
        ])
    }

    @Test("budget 100, reply 30+20: fine; tokens-remaining and (token-budget) are 50; exactly 0 is allowed")
    func budgetFits() {
        let code = #"""
            (finish (parameterize ([token-budget 100])
              (llm-query)
              (define after (list (tokens-remaining) (token-budget)))
              (llm-query)
              (list after (token-budget) (tokens-remaining))))
            """#
        let t = transcript([evalLine(code), evalLine("(finish (tokens-remaining))")], respond: modelHost(prompt: 30, completion: 20))
        #expect(t.count == 4)
        #expect(t[1] == #"{"op":"llm-query","instruction":"","data":"","model":"","recursive":false,"budget":50,"json_mode":false}"#)
        #expect(t[2] == #"{"status":"finished","result":"((50 50) 0 0)","stdout":""}"#)
        #expect(t[3] == #"{"status":"finished","result":"+inf.0","stdout":""}"#)
    }

    @Test("awaited results are charged to the innermost budget; outer scopes are independent")
    func budgetOnAwait() {
        let code = #"""
            (define h (llm-query-async))
            (finish (parameterize ([token-budget 1000])
              (list (parameterize ([token-budget 10]) (try (await h) on-error (lambda (m) m))) (token-budget))))
            """#
        let t = transcript([evalLine(code)], respond: modelHost(prompt: 30, completion: 20))
        #expect(t.last == #"{"status":"finished","result":"(llm-query: token budget exceeded 1000)","stdout":""}"#)
    }

    @Test("tokens-used and rate-limits return the host's object as a hasheq; nothing is logged")
    func accounting() {
        let t = transcript([evalLine("(display (tokens-used)) (finish (rate-limits))"), scopeLogLine]) { v in
            switch op(v) {
            case "tokens-used": return #"{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,"total_calls":1}"#
            case "rate-limits": return #"{"limit_requests":500,"limit_tokens":0,"remaining_requests":499,"remaining_tokens":0,"reset_requests":"1s","reset_tokens":""}"#
            default: return nil
            }
        }
        #expect(t == [
            #"{"op":"tokens-used"}"#,
            #"{"op":"rate-limits"}"#,
            ##"{"status":"finished","result":"#hasheq((limit_requests . 500) (limit_tokens . 0) (remaining_requests . 499) (remaining_tokens . 0) (reset_requests . 1s) (reset_tokens . ))","stdout":"#hasheq((completion_tokens . 50) (prompt_tokens . 100) (total_calls . 1) (total_tokens . 150))"}"##,
            #"{"status":"ok","result":"[]"}"#,
        ])
    }

    @Test("checkpoint then restore round-trips through the host; checkpoint! is an alias; both are logged")
    func checkpointRestore() {
        var saved: [String: JSONValue] = [:]
        let code = #"""
            (display (checkpoint "k1" (list 1 "two" #t)))
            (checkpoint! "k2" (hasheq 'a 1.5))
            (finish (list (restore "k1") (restore "k2")))
            """#
        let t = transcript([evalLine(code), scopeLogLine]) { v in
            guard case .string(let key)? = v["key"] else { return nil }
            switch op(v) {
            case "checkpoint":
                saved[key] = v["value"]
                return #"{"status":"ok"}"#
            case "restore":
                return JSONValue.object([("value", saved[key] ?? .null)]).serialized()
            default: return nil
            }
        }
        #expect(t == [
            #"{"op":"checkpoint","key":"k1","value":[1,"two",true]}"#,
            #"{"op":"checkpoint","key":"k2","value":{"a":1.5}}"#,
            #"{"op":"restore","key":"k1"}"#,
            #"{"op":"restore","key":"k2"}"#,
            #"{"status":"finished","result":"((1 two #t) #hasheq((a . 1.5)))","stdout":"(1 two #t)"}"#,
            #"{"status":"ok","result":"[{\"op\":\"checkpoint\",\"datum_preview\":\"k1\",\"scope\":\"sandbox\"},{\"op\":\"checkpoint\",\"datum_preview\":\"k2\",\"scope\":\"sandbox\"},{\"op\":\"restore\",\"datum_preview\":\"k1\",\"scope\":\"sandbox\"},{\"op\":\"restore\",\"datum_preview\":\"k2\",\"scope\":\"sandbox\"}]"}"#,
        ])
    }

    @Test("restore of a missing key is #f (null or absent value), so (or (restore k) …) falls through")
    func restoreMissing() {
        var replies = [#"{"value":null}"#, "{}"]
        let t = transcript([evalLine(#"(finish (list (restore "nope") (or (restore "gone") "default")))"#)]) { _ in replies.removeFirst() }
        #expect(t.last == #"{"status":"finished","result":"(#f default)","stdout":""}"#)
    }

    @Test("checkpoint errors: the host's message, or checkpoint failed when status is missing")
    func checkpointErrors() {
        var replies = [#"{"status":"error","message":"key required"}"#, "{}"]
        let t = transcript([evalLine(#"(checkpoint "" 1)"#), evalLine(#"(checkpoint "k" 1)"#)]) { _ in replies.removeFirst() }
        #expect(t == [
            #"{"op":"checkpoint","key":"","value":1}"#,
            #"{"status":"error","message":"checkpoint: key required"}"#,
            #"{"op":"checkpoint","key":"k","value":1}"#,
            #"{"status":"error","message":"checkpoint: checkpoint failed"}"#,
        ])
    }

    @Test("heartbeat writes {\"op\":\"heartbeat\"}, reads any one line, returns void")
    func heartbeat() {
        let t = transcript([evalLine("(finish (heartbeat))")]) { _ in "anything at all" }
        #expect(t == [#"{"op":"heartbeat"}"#, ##"{"status":"finished","result":"#<void>","stdout":""}"##])
    }

    @Test("reset in callback mode frees the old environment and keeps callback mode")
    func resetFreesRuntime() {
        weak var oldRuntime: Runtime?
        var t: [String] = []
        do {
            let host = ScriptedHost([evalLine("(finish (heartbeat))")]) { v in op(v) == "heartbeat" ? "{}" : nil }
            let session = SandboxSession(callbacks: CallbackChannel(input: host, output: host))
            _ = session.eval("(define (f x) (llm-query-async #:instruction x)) (f \"a\")")
            oldRuntime = session.runtimeForTesting
            #expect(oldRuntime != nil)
            session.reset()
            try? SandboxProtocolHandler(session: session).serve(input: host, output: host)
            t = host.written
        }
        #expect(oldRuntime == nil)
        #expect(t == [
            #"{"op":"llm-query-async","id":"pending_0","instruction":"a","data":"","model":"","json_mode":false}"#,
            #"{"op":"heartbeat"}"#,
            ##"{"status":"finished","result":"#<void>","stdout":""}"##,
        ])
    }

    @Test("callback-mode names stay protected builtins and are never user variables")
    func protectedBuiltins() {
        let t = transcript([evalLine("(define llm-query 1)"), evalLine("(define map-async 1)"), evalLine("(define x 1)"),
                            #"{"op":"get-variables"}"#])
        #expect(t == [
            #"{"status":"error","message":"define: cannot redefine scaffold binding 'llm-query'"}"#,
            #"{"status":"error","message":"define: cannot redefine scaffold binding 'map-async'"}"#,
            #"{"status":"ok","result":"","stdout":""}"#,
            #"{"status":"ok","result":"[\"x\"]"}"#,
        ])
    }
}

// MARK: - Connection failures and staying in step

@Suite("callback protocol: closed connection and error replies")
struct CallbackFailureTests {
    @Test("EOF while waiting for a reply is the error <op>: MCP server closed connection")
    func eofWhileWaiting() {
        #expect(transcript([evalLine(#"(llm-query #:instruction "x")"#)]).last
                == #"{"status":"error","message":"llm-query: MCP server closed connection"}"#)
        #expect(transcript([evalLine(#"(await-all (list (llm-query-async)))"#)]).last
                == #"{"status":"error","message":"await-batch: MCP server closed connection"}"#)
        #expect(transcript([evalLine("(heartbeat)")]).last
                == #"{"status":"error","message":"heartbeat: MCP server closed connection"}"#)
    }

    @Test("a reply with an error field raises a catchable error; the next command is answered in step (§10.3)")
    func errorReplyNoDesync() {
        var replies = [#"{"error":"API 500: upstream failed"}"#, #"{"error":"rate limited"}"#]
        let t = transcript([
            evalLine(#"(llm-query #:instruction "x")"#),
            evalLine(#"(finish (try (syntax-e (llm-query)) on-error (lambda (m) (string-append "caught: " m))))"#),
            evalLine("(finish 'next)"),
        ]) { _ in replies.removeFirst() }
        #expect(t == [
            #"{"op":"llm-query","instruction":"x","data":"","model":"","recursive":false,"budget":null,"json_mode":false}"#,
            #"{"status":"error","message":"llm-query: API 500: upstream failed"}"#,
            #"{"op":"llm-query","instruction":"","data":"","model":"","recursive":false,"budget":null,"json_mode":false}"#,
            #"{"status":"finished","result":"caught: llm-query: rate limited","stdout":""}"#,
            #"{"status":"finished","result":"next","stdout":""}"#,
        ])
    }

    @Test("the error is exn:fail:llm and a reply that is not JSON is an error, not a crash")
    func errorKinds() {
        var replies = [#"{"error":"boom"}"#, "not json"]
        let t = transcript([
            evalLine(#"(finish (with-handlers ([exn:fail:llm? (lambda (e) "llm")]) (llm-query)))"#),
            evalLine("(llm-query)"),
            evalLine("(finish 1)"),
        ]) { _ in replies.removeFirst() }
        #expect(t[1] == #"{"status":"finished","result":"llm","stdout":""}"#)
        #expect(t[3] == #"{"status":"error","message":"llm-query: the host's reply is not JSON: not json"}"#)
        #expect(t[4] == #"{"status":"finished","result":"1","stdout":""}"#)
    }
}

// MARK: - The binary

@Suite("callback protocol: rlm-plan sandbox-server")
struct CallbackBinaryTests {
    @Test("command and reply lines written in one go are all read: the callback shares the command reader")
    func sharedReader() throws {
        let binary = try #require(BuiltBinary.url, "rlm-plan is not built; run `swift build` first")
        let input = [
            evalLine(#"(define r (llm-query #:instruction "hi")) (finish (syntax-e r))"#),
            #"{"result":"hello","prompt_tokens":1,"completion_tokens":2}"#,
            evalLine("(finish (heartbeat))"),
            #"{"ok":true}"#,
            evalLine(#"(llm-query)"#),
        ].joined(separator: "\n") + "\n"
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sandbox-server"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.split(separator: "\n").map(String.init) == [
            #"{"op":"llm-query","instruction":"hi","data":"","model":"","recursive":false,"budget":null,"json_mode":false}"#,
            #"{"status":"finished","result":"hello","stdout":""}"#,
            #"{"op":"heartbeat"}"#,
            ##"{"status":"finished","result":"#<void>","stdout":""}"##,
            #"{"op":"llm-query","instruction":"","data":"","model":"","recursive":false,"budget":null,"json_mode":false}"#,
            #"{"status":"error","message":"llm-query: MCP server closed connection"}"#,
        ])
    }
}
