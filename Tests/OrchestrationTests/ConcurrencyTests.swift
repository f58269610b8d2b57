import Testing
import Sandbox

/// Fibers: fan-out, windows, races, futures, sleeps.
@Suite struct ConcurrencyTests {
    @Test func mapAsyncRunsSyncCallsConcurrently() {
        let p = ScriptedProvider(latency: { _, _ in 0.02 })
        let s = makeSession(p)
        let r = s.eval(#"(finish (map-async (lambda (x) (string-upcase (syntax-e (llm-query #:data x)))) (list "a" "b" "c" "d")))"#)
        #expect(r.result == "(ECHO: A ECHO: B ECHO: C ECHO: D)", "\(r.error?.message ?? "")")
        #expect(p.maxInFlight == 4)
    }

    @Test func parallelIsConcurrentAndOrdered() {
        let p = ScriptedProvider(latency: { r, _ in r.messages.last?.content == "1" ? 0.05 : 0.001 })
        let s = makeSession(p)
        let r = s.eval(#"(finish (parallel (list (lambda () (syntax-e (llm-query #:data "1"))) (lambda () (syntax-e (llm-query #:data "2"))) (lambda () 3))))"#)
        #expect(r.result == "(echo: 1 echo: 2 3)", "\(r.error?.message ?? "")")
        #expect(p.maxInFlight == 2)
    }

    @Test func raceReturnsTheFirstAndCancelsTheRest() {
        let p = ScriptedProvider(latency: { r, _ in r.messages.last?.content == "fast" ? 0.001 : 30 })
        let s = makeSession(p)
        let r = s.eval(#"(finish (race (list (lambda () (llm-query-async #:data "slow")) (lambda () (syntax-e (llm-query #:data "fast"))) (lambda () (llm-query-async #:data "slow2")))))"#)
        #expect(r.result == "echo: fast", "\(r.error?.message ?? "")")
        #expect(p.cancelled == 2)
        #expect(s.eval(#"(finish (race '()))"#).error?.message == "race: cannot race empty list")
    }

    @Test func spawnAndTouch() {
        let s = makeSession(ScriptedProvider())
        let r = s.eval(#"(define f (spawn (lambda () (sleep 0.01) (+ 1 2)))) (define g (spawn (lambda () (error 'boom "bad")))) (finish (list (touch f) (future-done? f) (try (touch g) on-error (lambda (m) m))))"#)
        #expect(r.result == "(3 #t boom: bad)", "\(r.error?.message ?? "")")
    }

    @Test func finishInsideAFiberEndsTheEvaluation() {
        let s = makeSession(ScriptedProvider())
        let r = s.eval(#"(parallel (list (lambda () (finish 7)) (lambda () (sleep 1)))) (finish 8)"#)
        #expect(r.status == .finished)
        #expect(r.result == "7")
    }

    @Test func deadlockIsReported() {
        let s = makeSession(ScriptedProvider())
        let r = s.eval(#"(define f #f) (set! f (spawn (lambda () (touch f)))) (touch f)"#)
        #expect(r.error?.message.hasPrefix("deadlock") == true, "\(r.error?.message ?? "")")
    }

    @Test func mapAsyncWindowIsHonoured() {
        let p = ScriptedProvider(latency: { _, n in Double((n * 7) % 5) * 0.002 })
        let s = makeSession(p)
        let r = s.eval(#"(define out (map-async (lambda (i) (llm-query-async #:data (number->string i))) (range 200) #:max-concurrent 20)) (finish (equal? out (map (lambda (i) (format "echo: ~a" i)) (range 200))))"#)
        #expect(r.result == "#t", "\(r.error?.message ?? "")")
        #expect(p.maxInFlight <= 20)
        #expect(p.requestCount == 200)
    }

    @Test func mapAsyncModelKeyword() {
        let p = ScriptedProvider()
        let s = makeSession(p)
        _ = s.eval(#"(map-async (lambda (x) (llm-query-async #:data x)) (list "a") #:model "gpt-4.1-nano") (llm-query)"#)
        #expect(p.requests.map(\.model) == ["gpt-4.1-nano", "test-model"])
    }
}
