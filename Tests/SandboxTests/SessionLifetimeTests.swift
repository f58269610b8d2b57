import Testing
@testable import Sandbox

@Suite("session lifetime")
struct SessionLifetimeTests {
    @Test("reset and closing a session free the old environment (no runtime cycle)")
    func resetFreesRuntime() {
        weak var oldRuntime: Runtime?
        do {
            let session = SandboxSession()
            _ = session.eval("(define (f x) (* x 2)) (define big (make-list 1000 'x))")
            oldRuntime = session.runtimeForTesting
            #expect(oldRuntime != nil)
            session.reset()
            #expect(session.eval("(finish (procedure? map))").result == "#t")
        }
        #expect(oldRuntime == nil)
    }
}

@Suite("cyclic data")
struct CyclicDataTests {
    @Test("equal? on two distinct cyclic lists terminates (coinductively equal), and differs when the cycles differ")
    func equalOnCycles() {
        let s = SandboxSession()
        let same = s.eval("""
            (define a (list 1)) (set-cdr! a a)
            (define b (list 1)) (set-cdr! b b)
            (define c (list 1 2)) (set-cdr! (cdr c) c)
            (finish (list (equal? a b) (equal? a c) (equal? (vector a) (vector b))))
            """)
        #expect(same.status == .finished)
        #expect(same.result == "(#t #f #t)")
    }
}
