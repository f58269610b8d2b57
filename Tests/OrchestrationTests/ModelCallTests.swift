import Testing
import Sandbox

/// `llm-query` and its family against an in-process provider: values, logging, errors, budgets.
@Suite struct ModelCallTests {
    func run(_ code: String, _ provider: ScriptedProvider = ScriptedProvider(), settings: ModelSettings = ModelSettings(defaultModel: "gpt-4o")) -> (EvalResult, SandboxSession) {
        let s = makeSession(provider, settings: settings)
        return (s.eval(code), s)
    }

    @Test func requestShapeFollowsTheOriginal() {
        let p = ScriptedProvider()
        let (r, _) = run(#"(llm-query #:instruction "Return JSON" #:data "d" #:json #t #:temperature 0 #:max-tokens 50 #:model "gpt-4o-mini")"#, p)
        #expect(r.status == .ok, "\(r.error?.message ?? "")")
        let q = p.requests[0]
        #expect(q.model == "gpt-4o-mini")
        #expect(q.messages.map(\.role) == ["system", "user"])
        #expect(q.temperature == 0 && q.maxTokens == 50 && q.jsonMode)
        let (_, _) = run(#"(llm-query)"#, p)
        #expect(p.requests[1].messages == [ChatMessage(role: "user", content: "(no data provided)")])
        #expect(p.requests[1].model == "gpt-4o")
    }

    @Test func jsonWordIsCheckedBeforeSending() {
        let p = ScriptedProvider()
        let (r, _) = run(#"(llm-query #:instruction "list things" #:json #t)"#, p)
        #expect(r.error?.message == #"llm-query: #:json #t requires the word 'json' in #:instruction (OpenAI API requirement). Example: "Return a JSON object with keys: ...""#)
        #expect(p.requestCount == 0)
        let (r2, _) = run(#"(llm-query-async #:recursive #t)"#, p)
        #expect(r2.error?.message == "llm-query-async: #:recursive is not supported with async calls. Use synchronous llm-query for recursive delegation with #:recursive #t")
    }

    @Test func scopeLogRecordsCallsAsTheOriginal() {
        let (r, s) = run(#"(define a (llm-query #:data "abc")) (define h (llm-query-async #:data "x")) (await h) (syntax-e a)"#)
        #expect(r.status == .ok, "\(r.error?.message ?? "")")
        let ops = s.scopeLog.map { "\($0.op)|\($0.scope)|\($0.datumPreview)" }
        #expect(ops[0] == "llm-query|sub-call|4 tokens (1 in, 3 out): echo: abc")
        #expect(ops[1] == "datum->syntax|sandbox|echo: abc")
        #expect(ops[2] == "llm-query-async|sub-call|await pending_0: 3 tokens")
        #expect(ops[3] == "datum->syntax|sandbox|echo: x")
        #expect(ops[4] == "syntax-e|sandbox|echo: abc")
    }

    @Test func failedCallsRaiseCatchableErrors() {
        let p = ScriptedProvider(answer: { _, _ in .failure(ProviderError(.http, status: 503, message: "overloaded")) })
        let (r, _) = run(#"(finish (list (try (llm-query #:data "x") on-error (lambda (m) m)) (with-handlers ([exn:llm? (lambda (e) (exn:llm-status e))]) (await (llm-query-async)))))"#, p)
        #expect(r.status == .finished, "\(r.error?.message ?? "")")
        #expect(r.result == "(llm-query: API 503: overloaded (model gpt-4o) 503)")
        let (r2, s2) = run(#"(llm-query #:data "x")"#, p)
        #expect(r2.status == .error)
        #expect(s2.eval("(finish 1)").result == "1")
    }

    @Test func budgetsReserveRefuseAndRefund() {
        // Reservation: prompt estimate + max-tokens must fit; the unused part comes back.
        let (r, _) = run(#"(parameterize ([token-budget 100]) (llm-query #:data "abc" #:max-tokens 20) (finish (tokens-remaining)))"#)
        #expect(r.status == .finished, "\(r.error?.message ?? "")")
        #expect(r.result == "96")
        let p = ScriptedProvider()
        let (r2, _) = run(#"(parameterize ([token-budget 100]) (llm-query #:data "abc"))"#, p)
        #expect(r2.error?.message.hasPrefix("llm-query: token budget exceeded: this call may use up to") == true)
        #expect(p.requestCount == 0)
        // Nested scopes are all charged.
        let (r3, _) = run(#"(parameterize ([token-budget 1000]) (parameterize ([token-budget 500]) (llm-query #:data "abc" #:max-tokens 20)) (finish (tokens-remaining)))"#)
        #expect(r3.result == "996")
        // Dollars: gpt-4o's prices are known.
        let (r4, _) = run(#"(parameterize ([cost-budget 0.000001]) (llm-query #:data "abc" #:max-tokens 20))"#)
        #expect(r4.error?.message.hasPrefix("llm-query: cost budget exceeded") == true)
        let (r5, _) = run(#"(llm-query #:data "abc" #:max-tokens 20) (finish (list (hash-ref (tokens-used) 'total_tokens) (> (cost-used) 0)))"#)
        #expect(r5.result == "(4 #t)")
    }

    @Test func awaitAnyReturnsTwoValues() {
        let p = ScriptedProvider(latency: { r, _ in r.messages.last?.content == "slow" ? 0.05 : 0.001 })
        let (r, _) = run(#"(define-values (w rest) (await-any (list (llm-query-async #:data "slow") (llm-query-async #:data "fast")))) (finish (list w (length rest) (await-all rest)))"#, p)
        #expect(r.result == "(echo: fast 1 (echo: slow))", "\(r.error?.message ?? "")")
    }

    @Test func asyncHandleErrors() {
        #expect(run(#"(await "x")"#).0.error?.message == "await: expected an async handle from llm-query-async")
        #expect(run(#"(await-any '())"#).0.error?.message == "await-any: cannot await-any on empty list")
        #expect(run(#"(await-all (list 1))"#).0.error?.message == "await-all: expected async handles")
        #expect(run(#"(finish (await-all '()))"#).0.result == "()")
    }

    @Test func callRecordsCarryTheCallSite() {
        let (r, s) = run("(define x 1)\n\n(llm-query #:data \"a\")\n(map-async (lambda (i) (llm-query-async #:data i)) (list \"p\" \"q\"))")
        #expect(r.status == .ok, "\(r.error?.message ?? "")")
        let records = s.gateway!.records
        #expect(records.count == 3)
        #expect(records.map(\.siteLine) == [3, 4, 4])
        #expect(records.allSatisfy { $0.status == "ok" && $0.cost != nil })
    }

    @Test func errorsReportTheUserLineOfTheModelCall() {
        let s = makeSession(ScriptedProvider())
        let json = s.eval("(define x 1)\n(llm-query #:json #t)", sourceName: "p.scm")
        #expect(json.error?.position?.source == "p.scm")
        #expect(json.error?.position?.line == 2)
        // An unrelated error in a tail-called prelude procedure is not pinned on that line.
        let other = s.eval("(llm-query #:data \"x\")\n(sort 5 <)", sourceName: "q.scm")
        #expect(other.error?.message.hasPrefix("sort: contract violation") == true)
        #expect(other.error?.position?.source != "q.scm" || other.error?.position?.line != 1)
    }

    @Test func noProviderIsAClearError() {
        let s = SandboxSession(storePath: ":memory:")
        #expect(s.eval("(llm-query)").error?.message.contains("no model provider is configured") == true)
    }
}
