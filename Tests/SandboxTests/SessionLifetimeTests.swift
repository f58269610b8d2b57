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
