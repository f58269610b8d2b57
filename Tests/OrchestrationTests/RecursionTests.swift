import Testing
import Sandbox

/// `#:recursive #t`: the sub-model's program runs in a child sandbox whose calls are charged upward.
@Suite struct RecursionTests {
    @Test func childProgramRunsAndItsCallsCount() {
        let p = ScriptedProvider(answer: { r, _ in
            if r.messages.first?.content.contains("You have a Scheme") == true {
                return .success("Here:\n```scheme\n(finish (string-append \"child saw \" context \" and \" (syntax-e (llm-query #:data \"inner\"))))\n```")
            }
            return .success("echo: " + (r.messages.last?.content ?? ""))
        })
        let s = makeSession(p)
        let r = s.eval(#"(finish (syntax-e (llm-query #:instruction "solve" #:data "DATA" #:recursive #t)))"#)
        #expect(r.result == "child saw DATA and echo: inner", "\(r.error?.message ?? "")")
        let records = s.gateway!.records
        #expect(records.count == 2)
        #expect(records[1].depth == 1 && records[1].parent == records[0].id)
        #expect(records[1].id.hasPrefix("call_d1_"))
    }

    @Test func childCallsAreChargedToTheParentBudget() {
        let p = ScriptedProvider(answer: { r, _ in
            if r.messages.first?.content.contains("You have a Scheme") == true {
                return .success("(finish (syntax-e (llm-query #:data \"inner\")))")
            }
            return .success("x")
        })
        let s = makeSession(p)
        // The child's call reserves its default 4096 output tokens against what is left of the parent's 4000.
        let r = s.eval(#"(parameterize ([token-budget 4000]) (llm-query #:instruction "t" #:max-tokens 100 #:recursive #t))"#)
        #expect(r.error?.message.contains("token budget exceeded") == true, "\(r.error?.message ?? "")")
    }

    @Test func depthLimit() {
        let p = ScriptedProvider(answer: { _, _ in .success("(finish (syntax-e (llm-query #:recursive #t)))") })
        let s = makeSession(p)
        let r = s.eval(#"(llm-query #:recursive #t)"#)
        #expect(r.error?.message.contains("recursion depth limit (3) exceeded") == true, "\(r.error?.message ?? "")")
        #expect(p.requestCount == 3)
    }
}
