import Testing
import Sandbox

/// The 17 combinators (reference §3) with the §10 fixes.
@Suite struct CombinatorTests {
    func eval(_ code: String, _ p: ScriptedProvider = ScriptedProvider()) -> EvalResult { makeSession(p).eval(code) }

    @Test func pureCombinators() {
        #expect(eval("(finish ((sequence add1 (lambda (x) (* x 2))) 3))").result == "8")
        #expect(eval("(finish (fold-sequential (lambda (acc x) (+ acc x)) 0 '(1 2 3)))").result == "6")
        #expect(eval("(finish (iterate-until add1 (lambda (v) (> v 4)) 0))").result == "5")
        #expect(eval("(finish (iterate-until add1 (lambda (v) #f) 0 #:max-iter 3))").result == "3")
        #expect(eval("(finish ((with-validation add1 even?) 1))").result == "2")
        #expect(eval("((with-validation add1 even?) 2)").error?.message == "with-validation: validation failed")
        #expect(eval("(finish ((choose even? (lambda (x) 'even) (lambda (x) 'odd)) 3))").result == "odd")
        #expect(eval("(finish ((try-fallback (lambda (x) (/ 1 x)) (lambda (x) 'fallback)) 0))").result == "fallback")
        #expect(eval("(define n 0) (define f (memoized (lambda (x) (set! n (+ n 1)) (* x x)))) (f 3) (f 3) (finish (list (f 3) n))").result == "(9 1)")
    }

    @Test func voteAndEnsemble() {
        #expect(eval("(finish (vote (list (lambda () 'a) (lambda () 'a) (lambda () 'b))))").result == "a")
        #expect(eval("(vote (list (lambda () 'a) (lambda () 'b)))").error?.message == "vote: no majority consensus")
        #expect(eval("(finish (vote (list (lambda () 'b) (lambda () 'a)) #:method 'plurality))").result == "b")
        #expect(eval("(vote (list (lambda () 1) (lambda () 2)) #:method 'consensus)").error?.message == "vote: no consensus - strategies disagree")
        #expect(eval("(vote (list (lambda () 1)) #:method 'other)").error?.message == "vote: unknown method")
        // Wrapped replies with the same text agree (§10.24).
        #expect(eval(#"(finish (vote (list (lambda () (llm-query #:data "x")) (lambda () (llm-query #:data "x")))))"#).result == "echo: x")
        #expect(eval(#"(finish (ensemble (list (lambda () "a") (lambda () "b"))))"#).result == "Model 1:\na\n\nModel 2:\nb")
        #expect(eval(#"(finish (ensemble (list (lambda () 1) (lambda () 2)) #:aggregator (lambda (rs) (apply + rs))))"#).result == "3")
    }

    @Test func treeReduceAcceptsTwoArgumentReducers() {
        #expect(eval("(finish (tree-reduce (lambda (a b) (+ a b)) (range 1 11)))").result == "55")
        #expect(eval("(finish (tree-reduce string-append (list \"a\" \"b\" \"c\" \"d\" \"e\" \"f\" \"g\") #:branch-factor 3))").result == "abcdefg")
        #expect(eval("(finish (tree-reduce + '(4)))").result == "4")
        #expect(eval("(tree-reduce + '())").error?.message == "tree-reduce: cannot reduce empty list")
        let r = eval(#"(finish (tree-reduce (lambda (a b) (llm-query-async #:data (string-append a "+" b))) (list "1" "2" "3") #:leaf-fn (lambda (x) (llm-query-async #:data x))))"#)
        #expect(r.result == "echo: echo: echo: 1+echo: 2+echo: 3", "\(r.error?.message ?? "")")
    }

    @Test func critiqueRefine() {
        let r = eval(#"(finish (critique-refine (lambda () "d0") (lambda (d) (if (equal? d "d0+") "APPROVED" "weak")) (lambda (d c) (string-append d "+")) #:quality-threshold 0.8))"#)
        #expect(r.result == "d0+")
        #expect(eval(#"(finish (critique-refine (lambda () "d") (lambda (d) "approved") (lambda (d c) (string-append d "+")) #:max-iter 2))"#).result == "d++")
    }

    @Test func activeLearningAndTieredAwaitHandles() {
        let r = eval(#"(finish (active-learning (lambda (x) (llm-query-async #:data x)) (lambda (x) (string-append "big:" x)) (lambda (r) (if (string-contains? r "b") 0.1 0.9)) (list "a" "b" "c")))"#)
        #expect(r.result == "(echo: a big:b echo: c)", "\(r.error?.message ?? "")")
        let t = eval(#"(finish (tiered (lambda (x) (llm-query-async #:data x)) (lambda (rs) (string-join rs ";")) (list "a" "b")))"#)
        #expect(t.result == "echo: a;echo: b")
    }

    @Test func fanOutAggregate() {
        let r = eval(#"(finish (fan-out-aggregate (lambda (x) (llm-query-async #:data x)) (lambda (rs) (length rs)) (list "a" "b" "c")))"#)
        #expect(r.result == "3")
    }

    @Test func combinatorsAreProtected() {
        #expect(eval("(define race 1)").status == .error)
        #expect(eval("(set! map-async 1)").status == .error)
    }
}
