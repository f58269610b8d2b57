import Foundation
import Testing
@testable import Sandbox

/// The sandbox rules of one `eval` command (reference §2.3, §4.1, §4.2, §4.10, §11) and hostile
/// input: every bad program must give an error result, never a crash, and the session must answer
/// the next evaluation.

/// Evaluates `code` in `session` (a fresh one by default).
private func run(_ code: String, in session: SandboxSession = SandboxSession()) -> EvalResult {
    session.eval(code)
}

private func errorMessage(_ r: EvalResult) -> String { r.error?.message ?? "" }

private func limited(_ configure: (inout Limits) -> Void) -> SandboxSession {
    var limits = Limits()
    configure(&limits)
    return SandboxSession(limits: limits)
}

/// Code-point containment, case-insensitive for ASCII (limit messages are checked loosely).
private func mentions(_ message: String, _ word: String) -> Bool {
    message.lowercased().contains(word.lowercased())
}

// MARK: - finish

@Suite("finish, finish-var, finish-error")
struct FinishTests {
    @Test("finish returns its value rendered with display semantics")
    func finishRendersWithDisplay() {
        let r = run(#"(finish "hello")"#)
        #expect(r.status == .finished)
        #expect(r.result == "hello")
        #expect(run("(finish 42)").result == "42")
        #expect(run(#"(finish (list "a b" "c"))"#).result == "(a b c)")
        #expect(run("(finish (expt 2 100))").result == "1267650600228229401496703205376")
        #expect(run("(finish (/ 1 3))").result == "1/3")
        #expect(run("(finish (/ 1.0 3))").result == "0.3333333333333333")
        #expect(run("(finish (hash 'b 2 'a 1))").result == "#hash((a . 1) (b . 2))")
        #expect(run("(finish (void))").result == "#<void>")
        #expect(run("(finish #f)").result == "#f")
    }

    @Test("a program without finish is ok with an empty result")
    func noFinishIsOk() {
        let r = run("(define x 1) (+ x 1) \"ignored\"")
        #expect(r.status == .ok)
        #expect(r.result == "")
        #expect(r.stdout == "")
        let empty = run("")
        #expect(empty.status == .ok)
        #expect(empty.result == "")
        #expect(empty.stdout == "")
    }

    @Test("finish works from any call depth")
    func finishFromDepth() {
        let r = run("(define (g) (finish 5)) (g)")
        #expect(r.status == .finished)
        #expect(r.result == "5")
        #expect(run("(map (lambda (x) (when (= x 2) (finish (* x 100))) x) '(1 2 3))").result == "200")
        #expect(run("(let ([a 1]) (let* ([b 2]) (finish (+ a b))))").result == "3")
        #expect(run("(define p (make-parameter 1)) (parameterize ([p 9]) (finish (p)))").result == "9")
        #expect(run("(call-with-values (lambda () (values 1 2)) (lambda (a b) (finish (+ a b))))").result == "3")
        #expect(run("(define (deep n) (if (= n 0) (finish 'bottom) (+ 1 (deep (- n 1))))) (deep 100000)").result == "bottom")
        #expect(run("(for ([i (in-naturals)]) (when (= i 7) (finish i)))").result == "7")
    }

    @Test("the first finish wins and later forms do not run")
    func firstFinishWins() {
        let s = SandboxSession()
        let r = run(#"(define x 1) (finish "early") (set! x 2) (finish "late")"#, in: s)
        #expect(r.status == .finished)
        #expect(r.result == "early")
        #expect(run("(finish x)", in: s).result == "1")
    }

    @Test("finish is not an exception: try and with-handlers do not intercept it")
    func finishNotCaught() {
        #expect(run("(try (finish 3) on-error (lambda (e) 'caught))").result == "3")
        let r = run("(with-handlers ([(lambda (e) #t) (lambda (e) 'caught)]) (finish 3))")
        #expect(r.status == .finished)
        #expect(r.result == "3")
        #expect(run("(with-handlers ([exn:fail? (lambda (e) 'caught)]) (map (lambda (x) (finish x)) '(4)))").result == "4")
        #expect(run("(dynamic-wind void (lambda () (finish 'body)) void)").result == "body")
    }

    @Test("finish in a define's right-hand side finishes the command (fixes §10.7)")
    func finishInDefine() {
        let s = SandboxSession()
        let r = run("(define q (finish 7)) (finish 8)", in: s)
        #expect(r.status == .finished)
        #expect(r.result == "7")
        let later = run("(define (h) (finish 'from-h)) (define v (h)) (finish 'not-here)", in: s)
        #expect(later.result == "from-h")
    }

    @Test("finish takes exactly one value")
    func finishArity() {
        let none = run("(finish)")
        #expect(none.status == .error)
        #expect(errorMessage(none).contains("arity mismatch"))
        #expect(run("(finish 1 2)").status == .error)
        let many = run("(finish (values 1 2))")
        #expect(many.status == .error)
        #expect(errorMessage(many).contains("result arity mismatch"))
    }

    @Test("the word finish inside strings and comments is inert")
    func finishTextIsInert() {
        let r = run("; (finish 42)\n#| (finish 43) |# #;(finish 44) (finish \"(finish 1)\")")
        #expect(r.result == "(finish 1)")
        #expect(run(#"(finish "(((nested)))")"#).result == "(((nested)))")
    }

    @Test("finish-var finishes with a variable's value")
    func finishVar() {
        #expect(run(#"(define result "hello") (finish-var "result")"#).result == "hello")
        let r = run(#"(finish-var "no-such-variable")"#)
        #expect(r.status == .error)
        #expect(errorMessage(r).contains("no-such-variable"))
    }

    @Test("finish-error ends the command with an error result")
    func finishError() {
        let r = run(#"(display "out") (finish-error "Phase 1 results not found - run Phase 1 first")"#)
        #expect(r.status == .error)
        #expect(errorMessage(r) == "Phase 1 results not found - run Phase 1 first")
        #expect(r.result == "")
        #expect(r.stdout == "out")
        #expect(errorMessage(run("(finish-error 'sym)")) == "sym")
        #expect(errorMessage(run("(define (f) (finish-error \"deep\")) (list (f))")) == "deep")
    }

    @Test("finish-error is not caught and races finish")
    func finishErrorOrdering() {
        let caught = run(#"(try (finish-error "x") on-error (lambda (m) 'caught))"#)
        #expect(caught.status == .error)
        #expect(errorMessage(caught) == "x")
        let handled = run(#"(with-handlers ([(lambda (e) #t) (lambda (e) 'caught)]) (finish-error "y"))"#)
        #expect(handled.status == .error)
        #expect(run(#"(finish 1) (finish-error "x")"#).status == .finished)
        #expect(run(#"(finish-error "x") (finish 1)"#).status == .error)
    }

    @Test("effects before finish-error persist")
    func finishErrorKeepsEffects() {
        let s = SandboxSession()
        #expect(run(#"(define kept 1) (finish-error "stop") (define dropped 2)"#, in: s).status == .error)
        #expect(run("(finish kept)", in: s).result == "1")
        #expect(run("(finish dropped)", in: s).status == .error)
    }
}

// MARK: - try

@Suite("try … on-error")
struct TryTests {
    @Test("try returns the expression's value when nothing fails")
    func trySuccess() {
        #expect(run("(finish (try (+ 10 20) on-error (lambda (e) 0)))").result == "30")
        #expect(run(#"(finish (try "success value" on-error (lambda (e) 0)))"#).result == "success value")
    }

    @Test("try passes the error message to the handler")
    func tryMessages() {
        #expect(run(#"(finish (try (error 'who "what happened") on-error (lambda (m) m)))"#).result == "who: what happened")
        #expect(run("(finish (try (/ 1 0) on-error (lambda (m) m)))").result == "/: division by zero")
        #expect(run("(finish (try (car 5) on-error (lambda (m) m)))").result == "car: contract violation\n  expected: pair?\n  given: 5")
        let unbound = run("(finish (try nonexistent-variable on-error (lambda (m) m)))")
        #expect(unbound.result.hasPrefix("nonexistent-variable: undefined;"))
    }

    @Test("nested try: the innermost handler catches")
    func nestedTry() {
        let code = #"(finish (try (list (try (error "inner") on-error (lambda (m) (string-append "in:" m)))) on-error (lambda (m) 'outer)))"#
        #expect(run(code).result == "(in:inner)")
    }

    @Test("try inside map")
    func tryInMap() {
        #expect(run("(finish (map (lambda (x) (try (/ 20 x) on-error (lambda (e) 0))) (list 4 0 5)))").result == "(5 0 4)")
    }
}

// MARK: - protected bindings

@Suite("protected bindings")
struct ProtectionTests {
    static let protectedNames = [
        "finish", "finish-var", "llm-query", "llm-query-async", "await", "await-all", "map-async",
        "syntax-e", "datum->syntax", "context", "token-budget", "py-exec", "checkpoint", "restore",
        "parallel", "race", "tree-reduce", "vote", "memoized", "try-fallback",
        "finish-error", "tokens-remaining", "checkpoint!", "load-context",
    ]

    @Test("define of a protected name is an error", arguments: protectedNames)
    func defineProtected(_ name: String) {
        let r = run("(define \(name) 42)")
        #expect(r.status == .error)
        #expect(errorMessage(r) == "define: cannot redefine scaffold binding '\(name)'")
    }

    @Test("procedure-style define of a protected name is an error")
    func defineProtectedProcedure() {
        let r = run("(define (await-all x) x)")
        #expect(errorMessage(r) == "define: cannot redefine scaffold binding 'await-all'")
        let inBegin = run("(begin (define finish 1))")
        #expect(errorMessage(inBegin) == "define: cannot redefine scaffold binding 'finish'")
    }

    @Test("forms before a protected define have run; finish still works")
    func protectionKeepsEarlierForms() {
        let s = SandboxSession()
        #expect(run("(define before 1) (define finish 42) (define after 2)", in: s).status == .error)
        #expect(run("(finish before)", in: s).result == "1")
        #expect(run("(finish after)", in: s).status == .error)
    }

    @Test("set! of a protected name is an error naming it")
    func setProtected() {
        let s = SandboxSession()
        let r = run("(set! finish 1)", in: s)
        #expect(r.status == .error)
        #expect(errorMessage(r).contains("finish"))
        #expect(run("(finish 'still-works)", in: s).result == "still-works")
    }

    @Test("define-values checks every name")
    func defineValuesProtected() {
        let r = run("(define-values (ok-name finish) (values 1 2))")
        #expect(r.status == .error)
        #expect(errorMessage(r).contains("cannot redefine scaffold binding 'finish'"))
    }

    @Test("local bindings may shadow protected names")
    func localShadowing() {
        #expect(run("(finish (let ([finish (lambda (x) (* x 2))]) (finish 21)))").result == "42")
        #expect(run("(finish ((lambda (context) context) 3))").result == "3")
        #expect(run("(define (f) (define llm-query 1) llm-query) (finish (f))").result == "1")
        #expect(run("(finish (let loop ([race 0]) (if (< race 3) (loop (+ race 1)) race)))").result == "3")
    }

    @Test("unprotected library names may be redefined")
    func libraryNamesRedefinable() {
        let s = SandboxSession()
        #expect(run("(define first 99)", in: s).status == .ok)
        #expect(run("(finish first)", in: s).result == "99")
        #expect(run("(define (identity x) 'mine) (finish (identity 1))", in: s).result == "mine")
    }
}

// MARK: - session state

@Suite("session state and reset")
struct SessionStateTests {
    @Test("definitions persist across evaluations")
    func statePersists() {
        let s = SandboxSession()
        #expect(run("(define a 1)", in: s).status == .ok)
        #expect(run("(define b 2)", in: s).status == .ok)
        #expect(run("(define c (+ a b))", in: s).status == .ok)
        #expect(run("(finish c)", in: s).result == "3")
        #expect(run("(define (inc! ) (set! a (+ a 1)) a) (inc!)", in: s).status == .ok)
        #expect(run("(finish a)", in: s).result == "2")
    }

    @Test("reset forgets user definitions but keeps the library")
    func resetForgets() {
        let s = SandboxSession()
        _ = run("(define x 5) (define-syntax ten (syntax-rules () [(_) 10]))", in: s)
        s.reset()
        let r = run("(finish x)", in: s)
        #expect(r.status == .error)
        #expect(errorMessage(r).hasPrefix("x: undefined;"))
        #expect(run("(finish (take '(1 2 3 4 5) 3))", in: s).result == "(1 2 3)")
        #expect(run("(finish 'after-reset)", in: s).result == "after-reset")
        #expect(s.userVariables().isEmpty)
    }

    @Test("identifiers are resolved at run time")
    func lateBinding() {
        #expect(run("(define (f) (g)) (define (g) 7) (finish (f))").result == "7")
        let s = SandboxSession()
        #expect(run("(define (uses-later) (later 1))", in: s).status == .ok)
        #expect(run("(define (later x) (+ x 1))", in: s).status == .ok)
        #expect(run("(finish (uses-later))", in: s).result == "2")
    }

    @Test("top-level define-values binds every name (§11)")
    func topLevelDefineValues() {
        let s = SandboxSession()
        #expect(run("(define-values (winner others) (values 1 '(2 3)))", in: s).status == .ok)
        #expect(run("(finish (list winner others))", in: s).result == "(1 (2 3))")
        let mismatch = run("(define-values (p q) (values 1))")
        #expect(mismatch.status == .error)
        #expect(errorMessage(mismatch).contains("result arity mismatch"))
    }

    @Test("top-level struct and define-syntax work")
    func topLevelStructAndSyntax() {
        #expect(run("(struct pt (x y)) (finish (pt-x (pt 1 2)))").result == "1")
        #expect(run("(define-syntax-rule (twice e) (begin e e)) (define n 0) (twice (set! n (+ n 1))) (finish n)").result == "2")
    }

    @Test("an error keeps the effects of earlier forms")
    func errorKeepsEarlierEffects() {
        let s = SandboxSession()
        let r = run("(define before-unbound 1) nope (define after-unbound 2)", in: s)
        #expect(r.status == .error)
        #expect(run("(finish before-unbound)", in: s).result == "1")
        #expect(run("(finish after-unbound)", in: s).status == .error)
    }
}

// MARK: - stdout

@Suite("captured stdout")
struct StdoutTests {
    @Test("output printed before and during the finishing form is kept, in order")
    func stdoutOrder() {
        let r = run(#"(display "pre") (finish (begin (display "mid") 3))"#)
        #expect(r.status == .finished)
        #expect(r.stdout == "premid")
        #expect(r.result == "3")
        #expect(run(#"(display "a") (display "b") (display "c") (finish 0)"#).stdout == "abc")
    }

    @Test("write keeps quotes, printf formats")
    func writeAndPrintf() {
        #expect(run(#"(write "w") (finish 1)"#).stdout == "\"w\"")
        #expect(run(#"(printf "~a=~s~n" 'x "y")"#).stdout == "x=\"y\"\n")
        #expect(run(#"(displayln "line") (newline)"#).stdout == "line\n\n")
    }

    @Test("ok commands report their output; nothing printed is the empty string")
    func okStdout() {
        let r = run(#"(display "x")"#)
        #expect(r.status == .ok)
        #expect(r.stdout == "x")
        #expect(run("(finish 1)").stdout == "")
    }

    @Test("output does not leak into the next evaluation")
    func stdoutPerEval() {
        let s = SandboxSession()
        #expect(run(#"(display "first")"#, in: s).stdout == "first")
        #expect(run(#"(display "second")"#, in: s).stdout == "second")
    }

    @Test("an error keeps the command's output in the result; the protocol reply drops it as the original does")
    func errorKeepsStdout() {
        let r = run(#"(display "x") (car 5)"#)
        #expect(r.status == .error)
        #expect(r.stdout == "x")
        let reply = SandboxProtocolHandler(session: SandboxSession()).handle(line: #"{"op":"eval","code":"(display \"x\") (car 5)"}"#)
        #expect(reply == #"{"status":"error","message":"car: contract violation\n  expected: pair?\n  given: 5"}"#)
    }

    @Test("unicode output survives")
    func unicodeStdout() {
        let r = run(#"(display "© ™ € 𝕳𝖊𝖑𝖑𝖔 🎨") (finish (string-length "🎉é"))"#)
        #expect(r.stdout == "© ™ € 𝕳𝖊𝖑𝖑𝖔 🎨")
        #expect(r.result == "2")
    }
}

// MARK: - error messages

@Suite("error results and messages (§4.10)")
struct ErrorMessageTests {
    @Test("unbound identifier")
    func unbound() {
        let r = run("undefined-x")
        #expect(r.status == .error)
        #expect(errorMessage(r) == "undefined-x: undefined;\n cannot reference an identifier before its definition\n  in module: 'program")
    }

    @Test("contract violation of car")
    func carOfNumber() {
        #expect(errorMessage(run("(car 5)")) == "car: contract violation\n  expected: pair?\n  given: 5")
        #expect(errorMessage(run("(string-append \"a\" 'b)")) == "string-append: contract violation\n  expected: string?\n  given: 'b")
    }

    @Test("arity mismatch, named and anonymous")
    func arity() {
        #expect(errorMessage(run("(define (one x) x) (one)"))
                == "one: arity mismatch;\n the expected number of arguments does not match the given number\n  expected: 1\n  given: 0")
        #expect(errorMessage(run("((lambda (x) x))"))
                == "arity mismatch;\n the expected number of arguments does not match the given number\n  expected: 1\n  given: 0")
    }

    @Test("division by zero")
    func divisionByZero() {
        #expect(errorMessage(run("(/ 1 0)")) == "/: division by zero")
        #expect(run("(finish (/ 1 0.0))").result == "+inf.0")
    }

    @Test("error called by the program")
    func userError() {
        #expect(errorMessage(run(#"(error 'who "what ~a" 5)"#)) == "who: what 5")
        #expect(errorMessage(run(#"(error "msg" 1 "two")"#)) == "msg 1 \"two\"")
    }

    @Test("raise of a non-exception value is an error result, not a crash (fixes §10.7a)")
    func raiseNonException() {
        let s = SandboxSession()
        let r = run("(raise 'boom)", in: s)
        #expect(r.status == .error)
        #expect(errorMessage(r).contains("boom"))
        #expect(run(#"(raise "str")"#, in: s).status == .error)
        #expect(run("(with-handlers ([exn:fail? (lambda (e) 'no)]) (raise 'boom))", in: s).status == .error)
        #expect(run("(try (raise 42) on-error (lambda (m) 'no))", in: s).status == .error)
        #expect(run("(finish 'alive)", in: s).result == "alive")
    }

    @Test("errors carry a code")
    func errorCodes() {
        #expect(run("(car 5)").error?.code == .contract)
        #expect(run("(/ 1 0)").error?.code == .divideByZero)
        #expect(run("nope").error?.code == .unbound)
        #expect(run("(+ 1").error?.code == .read)
        #expect(run("(define finish 1)").error?.code == .protectedBinding)
    }
}

// MARK: - reader errors

@Suite("reader errors")
struct ReaderErrorTests {
    @Test("a reader error anywhere means nothing runs")
    func nothingRuns() {
        let s = SandboxSession()
        let r = run("(define zz 1) (display \"x\") (+ 1", in: s)
        #expect(r.status == .error)
        #expect(errorMessage(r).contains("read: expected a `)` to close `(`"))
        #expect(r.stdout == "")
        #expect(run("(finish zz)", in: s).status == .error)
    }

    @Test("unbalanced parentheses")
    func unbalanced() {
        #expect(errorMessage(run("(+ 1")).contains("read: expected a `)` to close `(`"))
        #expect(errorMessage(run(")")).contains("read: unexpected `)`"))
        #expect(errorMessage(run("(finish 1))")).contains("read: unexpected `)`"))
        #expect(run("(finish \"unterminated").status == .error)
        #expect(run("#| never closed").status == .error)
    }

    @Test("reader errors name the position")
    func readerPosition() {
        // line:column, not Racket's character offset (docs/compatibility.md)
        #expect(errorMessage(run(")")).hasPrefix("string:1:0: read: unexpected `)`"))
    }
}

// MARK: - adversarial input

@Suite("adversarial input")
struct AdversarialTests {
    @Test("invalid UTF-8 bytes become replacement characters")
    func invalidUTF8() {
        let bytes: [UInt8] = Array(#"(finish ""#.utf8) + [0xFF, 0xFE, 0xC0] + Array(#"")"#.utf8)
        let code = String(decoding: bytes, as: UTF8.self)
        let r = run(code)
        #expect(r.status == .finished)
        #expect(r.result.unicodeScalars.allSatisfy { $0 == "\u{FFFD}" })
        #expect(!r.result.isEmpty)
    }

    @Test("a 10 MB string literal")
    func hugeLiteral() {
        let code = "(finish (string-length \"" + String(repeating: "a", count: 10_000_000) + "\"))"
        let r = run(code)
        #expect(r.status == .finished)
        #expect(r.result == "10000000")
    }

    @Test("100k-deep nesting in code is a clear error or works, never a crash")
    func deepCodeNesting() {
        let s = SandboxSession()
        let depth = 100_000
        let application = run(String(repeating: "(", count: depth) + String(repeating: ")", count: depth), in: s)
        #expect(application.status == .error)
        #expect(!errorMessage(application).isEmpty)
        let quoted = run("(finish (length '" + String(repeating: "(", count: depth) + String(repeating: ")", count: depth) + "))", in: s)
        #expect((quoted.status == .finished && quoted.result == "1") || (quoted.status == .error && !errorMessage(quoted).isEmpty))
        let unclosed = run(String(repeating: "(", count: depth), in: s)
        #expect(unclosed.status == .error)
        #expect(run("(finish 'alive)", in: s).result == "alive")
    }

    @Test("printing 100k-deep data built at run time is a clear depth error")
    func deepDataPrinting() {
        let s = SandboxSession()
        _ = run("(define (nest n) (let loop ([i 0] [acc '()]) (if (= i n) acc (loop (+ i 1) (list acc)))))", in: s)
        let r = run("(finish (nest 100000))", in: s)
        #expect(r.status == .error)
        #expect(mentions(errorMessage(r), "depth"))
        let displayed = run("(display (nest 100000))", in: s)
        #expect(displayed.status == .error)
        #expect(mentions(errorMessage(displayed), "depth"))
        #expect(run("(finish (let loop ([t (nest 100000)] [d 0]) (if (null? t) d (loop (car t) (+ d 1)))))", in: s).result == "100000")
        #expect(run("(finish (nest 3))", in: s).result == "(((())))")
    }

    @Test("an endless loop runs out of fuel and the session answers the next eval")
    func fuelLimit() {
        let s = limited { $0.fuel = 1_000_000 }
        let r = run("(let loop ([i 0]) (loop (+ i 1)))", in: s)
        #expect(r.status == .error)
        #expect(mentions(errorMessage(r), "fuel"))
        #expect(r.error?.code == .fuelExhausted)
        #expect(run("(finish 1)", in: s).result == "1")
    }

    @Test("running out of fuel cannot be caught")
    func fuelNotCatchable() {
        let s = limited { $0.fuel = 1_000_000 }
        let handled = run("(with-handlers ([(lambda (e) #t) (lambda (e) 'caught)]) (let loop () (loop)))", in: s)
        #expect(handled.status == .error)
        #expect(mentions(errorMessage(handled), "fuel"))
        let tried = run("(try (let loop () (loop)) on-error (lambda (m) 'caught))", in: s)
        #expect(tried.status == .error)
        #expect(run("(finish 2)", in: s).result == "2")
    }

    @Test("fuel is per evaluation")
    func fuelPerEval() {
        let s = limited { $0.fuel = 1_000_000 }
        for _ in 0..<5 {
            #expect(run("(finish (let loop ([i 0]) (if (= i 10000) i (loop (+ i 1)))))", in: s).result == "10000")
        }
    }

    @Test("huge allocations hit the memory limit")
    func memoryLimit() {
        // The probe measures the whole process (MemoryProbe), and other suites allocate while this
        // one runs; 128 MiB leaves them room while every allocation below is still far over it.
        let s = limited { $0.memoryBytes = 128 << 20 }
        let str = run("(define s (make-string 100000000 #\\a))", in: s)
        #expect(str.status == .error)
        #expect(mentions(errorMessage(str), "memory"))
        #expect(str.error?.code == .memoryLimit)
        let list = run("(define l (make-list 50000000 0))", in: s)
        #expect(list.status == .error)
        #expect(mentions(errorMessage(list), "memory"))
        let growing = run("(let loop ([acc '()]) (loop (cons (make-vector 1000 0) acc)))", in: s)
        #expect(growing.status == .error)
        #expect(run("(finish 'alive)", in: s).result == "alive")
    }

    @Test("printing too much hits the output limit")
    func outputLimit() {
        let s = limited { $0.outputBytes = 1_000 }
        let r = run(#"(let loop () (display "xxxxxxxxxx") (loop))"#, in: s)
        #expect(r.status == .error)
        #expect(mentions(errorMessage(r), "output"))
        #expect(r.error?.code == .outputLimit)
        let fits = run(#"(display (make-string 500 #\y)) (finish 'ok)"#, in: s)
        #expect(fits.status == .finished)
        #expect(fits.stdout.count == 500)
    }

    @Test("a CPU time limit stops a loop even with unlimited fuel")
    func cpuLimit() {
        let s = limited { $0.fuel = .max; $0.cpuSeconds = 0.5 }
        let r = run("(let loop () (loop))", in: s)
        #expect(r.status == .error)
        #expect(run("(finish 3)", in: s).result == "3")
    }

    @Test("non-tail recursion beyond the call-depth limit is a clear error")
    func callDepthLimit() {
        let s = limited { $0.maxCallDepth = 10_000 }
        let r = run("(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1))))) (f 100000)", in: s)
        #expect(r.status == .error)
        #expect(!errorMessage(r).isEmpty)
        #expect(run("(finish (f 100))", in: s).result == "100")
    }

    @Test("deep non-tail recursion succeeds with default limits")
    func deepRecursionDefault() {
        #expect(run("(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1))))) (finish (f 1000000))").result == "1000000")
    }

    @Test("errors inside handlers and escapes leave the session usable")
    func recoveryAfterErrors() {
        let s = SandboxSession()
        #expect(run("(with-handlers ([exn:fail? (lambda (e) (car '()))]) (error \"x\"))", in: s).status == .error)
        #expect(run("(let/ec k (dynamic-wind void (lambda () (k 1)) (lambda () (error \"in post\"))))", in: s).status == .error)
        #expect(run("(define p (make-parameter 1)) (parameterize ([p 2]) (car 5))", in: s).status == .error)
        #expect(run("(finish (p))", in: s).result == "1")
    }
}
