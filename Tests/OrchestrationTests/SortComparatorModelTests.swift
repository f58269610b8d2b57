import Testing
import Sandbox

/// `sort` with a comparator that waits on model calls: the comparison suspends the fiber and the
/// sort continues when the reply arrives (the sort's state lives on the VM stack, not in Swift).
@Suite struct SortComparatorModelTests {
    /// Compares by the length of the model's reply ("echo: " + the item).
    static let judge = #"(define (judge a b) (< (string-length (syntax-e (llm-query #:data a))) (string-length (syntax-e (llm-query #:data b)))))"#

    @Test("a comparator that calls a model sorts by the replies")
    func comparatorWaitsOnModelCalls() {
        let p = ScriptedProvider(latency: { _, _ in 0.002 })
        let s = makeSession(p)
        let r = s.eval(Self.judge + #" (finish (sort (list "ccc" "a" "dddd" "bb") judge))"#)
        #expect(r.result == "(a bb ccc dddd)", "\(r.error?.message ?? "")")
        #expect(p.requestCount >= 6)
    }

    @Test("sorts in several fibers at once, each waiting on models, stay separate")
    func sortsInConcurrentFibers() {
        let p = ScriptedProvider(latency: { r, _ in r.messages.last?.content.count == 1 ? 0.01 : 0.001 })
        let s = makeSession(p)
        let r = s.eval(Self.judge + #"""
             (finish (map-async (lambda (l) (sort l judge))
                                (list (list "ccc" "a" "bb") (list "zz" "y" "xxxx" "www") (list "q"))))
             """#)
        #expect(r.result == "((a bb ccc) (y zz www xxxx) (q))", "\(r.error?.message ?? "")")
    }

    @Test("a comparator in tail position of a procedure that waits on a model")
    func tailCalledModelComparison() {
        let p = ScriptedProvider()
        let s = makeSession(p)
        // The comparator's last call is the model wait itself (the suspended call is a tail call).
        let r = s.eval(#"""
            (define (reply-length x) (string-length (syntax-e (llm-query #:data x))))
            (define (longer? a b) (> (reply-length a) (reply-length b)))
            (define (by-model a b) (longer? a b))
            (define (sorted l) (sort l by-model))
            (finish (list (sorted (list "a" "ccc" "bb")) 'after))
            """#)
        #expect(r.result == "((ccc bb a) after)", "\(r.error?.message ?? "")")
    }

    @Test("each comparison of a closure comparator is charged, so the fuel limit stops a big sort")
    func comparisonsAreCharged() {
        var limits = Limits()
        limits.fuel = 400_000
        let s = makeSession(ScriptedProvider(), limits: limits)
        // Building, reversing and walking 30,000 items costs about 200,000 steps; the 440,000
        // comparisons of sorting them push it over.
        let small = s.eval("(finish (length (sort (reverse (range 2000)) (lambda (a b) (< a b)))))")
        #expect(small.result == "2000", "\(small.error?.message ?? "")")
        let big = s.eval("(finish (length (sort (reverse (range 30000)) (lambda (a b) (< a b)))))")
        #expect(big.error?.message.contains("out of fuel") == true, "\(big.result ?? "") \(big.error?.message ?? "")")
    }
}
