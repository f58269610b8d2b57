import Testing
import Sandbox

@Suite struct SmokeTests {
    @Test func syncQueryReturnsSyntax() {
        let s = makeSession(ScriptedProvider())
        let r = s.eval(#"(finish (syntax-e (llm-query #:instruction "hi" #:data "abc")))"#)
        #expect(r.status == .finished, "\(r.error?.message ?? "")")
        #expect(r.result == "echo: abc")
    }

    @Test func mapAsyncKeepsOrder() {
        let p = ScriptedProvider(latency: { r, n in Double(10 - (n % 10)) * 0.002 })
        let s = makeSession(p)
        let r = s.eval(#"(finish (map-async (lambda (x) (llm-query-async #:data (number->string x))) (range 30) #:max-concurrent 5))"#)
        #expect(r.status == .finished, "\(r.error?.message ?? "")")
        #expect(r.result == "(" + (0..<30).map { "echo: \($0)" }.joined(separator: " ") + ")")
        #expect(p.maxInFlight <= 5)
    }
}
