;; Exceptions: with-handlers, raise of non-exn values, error message formats (§4.10),
;; exn-message, the exn predicates.

(define (message-of thunk) (with-handlers ([exn:fail? exn-message]) (thunk)))

(check "error with a symbol and a format string" (message-of (lambda () (error 'who "what happened"))) "\"who: what happened\"")
(check "error format directives" (message-of (lambda () (error 'f "x=~a y=~s" 1 "s"))) "\"f: x=1 y=\\\"s\\\"\"")
(check "error with a message string only" (message-of (lambda () (error "just a message"))) "\"just a message\"")
(check "error with a message and values: values in print style"
       (message-of (lambda () (error "msg" 1 "two" 'three '(1 "a"))))
       "\"msg 1 \\\"two\\\" 'three '(1 \\\"a\\\")\"")
(check "error with a lone symbol" (message-of (lambda () (error 'oops))) "\"error: oops\"")
(check-error "error with a non-string non-symbol" (error 5) "error: contract violation")
(check "raise-argument-error message" (message-of (lambda () (raise-argument-error 'my-proc "string?" 42)))
       "\"my-proc: contract violation\\n  expected: string?\\n  given: 42\"")
(check "raise-user-error message" (message-of (lambda () (raise-user-error 'my-proc "bad ~a" 1))) "\"my-proc: bad 1\"")

(check "with-handlers returns the body value when nothing is raised" (with-handlers ([exn:fail? (lambda (e) 'caught)]) 42) "42")
(check "with-handlers returns the handler value" (with-handlers ([exn:fail? (lambda (e) 'caught)]) (car '())) "caught")
(check "first matching handler wins"
       (with-handlers ([exn:fail:contract:divide-by-zero? (lambda (e) 'div)] [exn:fail? (lambda (e) 'fail)]) (/ 1 0)) "div")
(check "handlers are tried in order"
       (with-handlers ([exn:fail? (lambda (e) 'fail)] [exn:fail:contract:divide-by-zero? (lambda (e) 'div)]) (/ 1 0)) "fail")
(check "a non-matching inner handler lets the outer one catch"
       (with-handlers ([exn:fail? (lambda (e) 'outer)])
         (with-handlers ([exn:fail:contract? (lambda (e) 'inner)]) (error "user error")))
       "outer")
(check "error in a handler goes to the outer handler"
       (with-handlers ([exn:fail? exn-message])
         (with-handlers ([exn:fail? (lambda (e) (error "from handler"))]) (error "first")))
       "\"from handler\"")
(check "handler body can use with-handlers again"
       (with-handlers ([exn:fail? (lambda (e) (with-handlers ([exn:fail? (lambda (e2) (exn-message e2))]) (error "second")))])
         (error "first"))
       "\"second\"")
(check "raise of a symbol is caught by a symbol? handler" (with-handlers ([symbol? (lambda (s) (list 'caught s))]) (raise 'boom)) "(caught boom)")
(check "raise of a string" (with-handlers ([string? (lambda (s) (string-append "got " s))]) (raise "str")) "\"got str\"")
(check "raise of a number reaches a catch-all handler"
       (with-handlers ([exn:fail? (lambda (e) 'exn)] [(lambda (v) #t) (lambda (v) (list 'any v))]) (raise 42)) "(any 42)")
(check "exn:fail? does not catch a raised symbol"
       (with-handlers ([symbol? (lambda (s) 'outer-got-it)])
         (with-handlers ([exn:fail? (lambda (e) 'wrong)]) (raise 'boom)))
       "outer-got-it")
(check "raise of a list" (with-handlers ([pair? car]) (raise '(tag data))) "tag")
(check "raise with a barrier argument" (with-handlers ([number? add1]) (raise 1 #t)) "2")
(check "exn predicates on a raised non-exn" (list (exn? 'boom) (exn:fail? "s")) "(#f #f)")

(define (kind-of thunk)
  (with-handlers ([exn:fail:contract:divide-by-zero? (lambda (e) 'divide-by-zero)]
                  [exn:fail:contract:arity? (lambda (e) 'arity)]
                  [exn:fail:contract:variable? (lambda (e) 'variable)]
                  [exn:fail:contract? (lambda (e) 'contract)]
                  [exn:fail:read? (lambda (e) 'read)]
                  [exn:fail:syntax? (lambda (e) 'syntax)]
                  [exn:fail:user? (lambda (e) 'user)]
                  [exn:fail? (lambda (e) 'fail)])
    (thunk)
    'none))
(check "division by zero is exn:fail:contract:divide-by-zero" (kind-of (lambda () (/ 1 0))) "divide-by-zero")
(check "wrong argument count is exn:fail:contract:arity" (kind-of (lambda () ((lambda (x) x)))) "arity")
(check "unbound identifier is exn:fail:contract:variable" (kind-of (lambda () undefined-thing)) "variable")
(check "car of a number is exn:fail:contract" (kind-of (lambda () (car 1))) "contract")
(check "read error is exn:fail:read" (kind-of (lambda () (read (open-input-string "(")))) "read")
(check "error raises plain exn:fail (not exn:fail:user)" (kind-of (lambda () (error "x"))) "fail")
(check "raise-user-error raises exn:fail:user" (kind-of (lambda () (raise-user-error 'f "x"))) "user")
(check "no error" (kind-of (lambda () 1)) "none")

(check "exn-message of a constructed exn" (exn-message (make-exn:fail "m" (current-continuation-marks))) "\"m\"")
(check "raising a constructed exn:fail" (message-of (lambda () (raise (make-exn:fail "custom" (current-continuation-marks))))) "\"custom\"")
(check "exn:fail constructor name" (message-of (lambda () (raise (exn:fail "struct ctor" (current-continuation-marks))))) "\"struct ctor\"")
(check "caught exn is an exn:fail:contract value" (exn:fail:contract? (with-handlers ([exn? values]) (car 1))) "#t")
(check "exn? and exn:fail? on a caught error" (let ([e (with-handlers ([exn? values]) (error "x"))]) (list (exn? e) (exn:fail? e))) "(#t #t)")

(check "message: car of a number" (message-of (lambda () (car 5))) "\"car: contract violation\\n  expected: pair?\\n  given: 5\"")
(check "message: given symbol is shown quoted" (message-of (lambda () (+ 'a 1))) "\"+: contract violation\\n  expected: number?\\n  given: 'a\"")
(check "message: given empty list is shown quoted" (message-of (lambda () (cdr '()))) "\"cdr: contract violation\\n  expected: pair?\\n  given: '()\"")
(check "message: given string is shown in write mode" (message-of (lambda () (symbol->string "s"))) "\"symbol->string: contract violation\\n  expected: symbol?\\n  given: \\\"s\\\"\"")
(check "message: division by zero" (message-of (lambda () (/ 1 0))) "\"/: division by zero\"")
(check "message: float divided by exact zero" (message-of (lambda () (/ 5.0 0))) "\"/: division by zero\"")
(check "dividing by inexact zero is not an error" (/ 5 0.0) "+inf.0")
(check "message: modulo by zero" (message-of (lambda () (modulo 5 0))) "\"modulo: division by zero\"")
(check "message: quotient by zero" (message-of (lambda () (quotient 5 0))) "\"quotient: division by zero\"")
(check "message: unbound identifier"
       (let ([m (message-of (lambda () not-defined-anywhere))]) (substring m 0 (string-length "not-defined-anywhere: undefined;\n cannot reference an identifier before its definition")))
       "\"not-defined-anywhere: undefined;\\n cannot reference an identifier before its definition\"")
;; rlm-plan differs from racket: a plain Racket namespace names the module top-level
;; ("in module: top-level"); the sandbox, like the original's racket/sandbox evaluator, says
;; 'program (reference §4.10).
(check-error-differs "message: unbound identifier, whole text" not-defined-anywhere
                     "not-defined-anywhere: undefined;\n cannot reference an identifier before its definition\n  in module: 'program")
(check "message: arity of a named procedure"
       (let () (define (two a b) a) (message-of (lambda () (two 1))))
       "\"two: arity mismatch;\\n the expected number of arguments does not match the given number\\n  expected: 2\\n  given: 1\"")
(check "message: hash-ref of a missing key" (message-of (lambda () (hash-ref (hash 'a 1) 'b))) "\"hash-ref: no value found for key\\n  key: 'b\"")
(check "message: vector index out of range" (message-of (lambda () (vector-ref (vector 1 2 3) 3)))
       "\"vector-ref: index is out of range\\n  index: 3\\n  valid range: [0, 2]\\n  vector: '#(1 2 3)\"")
(check "message: list-ref index too large" (message-of (lambda () (list-ref '(1 2 3) 3))) "\"list-ref: index too large for list\\n  index: 3\\n  in: '(1 2 3)\"")
(check "message: first of an empty list" (message-of (lambda () (first '())))
       "\"first: contract violation\\n  expected: (and/c list? (not/c empty?))\\n  given: '()\"")
(check "message: apply of a non-list" (message-of (lambda () (apply + 1))) "\"apply: contract violation\\n  expected: list?\\n  given: 1\"")
(check "message: raise-arguments-error" (message-of (lambda () (raise-arguments-error 'f "bad thing" "x" 1 "y" "s")))
       "\"f: bad thing\\n  x: 1\\n  y: \\\"s\\\"\"")

(check "dynamic-wind runs the post thunk on an error"
       (let ([log '()])
         (with-handlers ([exn:fail? (lambda (e) (reverse log))])
           (dynamic-wind (lambda () (set! log (cons 'in log))) (lambda () (error "x")) (lambda () (set! log (cons 'out log))))))
       "(in out)")
(check "dynamic-wind returns the body value"
       (dynamic-wind void (lambda () 'body) void) "body")
(check "with-handlers* behaves like with-handlers here" (with-handlers* ([exn:fail? exn-message]) (error "a")) "\"a\"")
(check "a handler may be any one-argument procedure" (with-handlers ([exn:fail? (lambda (e) (string-upcase (exn-message e)))]) (error "shout")) "\"SHOUT\"")
(check "errors inside map are caught outside" (with-handlers ([exn:fail? (lambda (e) 'stopped)]) (map (lambda (x) (/ 10 x)) '(1 0 2))) "stopped")
(check "try-like pattern per element"
       (map (lambda (x) (with-handlers ([exn:fail? (lambda (e) 0)]) (/ 20 x))) (list 4 0 5)) "(5 0 4)")
