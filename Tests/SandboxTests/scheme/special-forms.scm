;; Core special forms: quote, if, begin, define, set!, lambda basics.

(check "quote returns the datum unevaluated" (quote (+ 1 2)) "(+ 1 2)")
(check "quote of a symbol" 'hello "hello")
(check "if takes the then branch on any non-#f" (if 0 'yes 'no) "yes")
(check "empty list is true" (if '() 'yes 'no) "yes")
(check "if takes the else branch on #f" (if #f 'yes 'no) "no")
(check-error "if needs an else branch in racket" (if #t 1) "if: missing an \"else\" expression")
(check "begin returns its last value" (begin 1 2 3) "3")
(check "void value" (void) "#<void>")
(check "void ignores its arguments" (void 1 2 3) "#<void>")

(define counter 0)
(check "set! returns void" (set! counter (+ counter 1)) "#<void>")
(check "set! changed the binding" counter "1")
(check "define returns nothing to look at; the value is bound" (begin (set! counter 10) counter) "10")
(check-error "set! of an undefined variable" (set! no-such-variable 1) "set!: assignment disallowed")
(check-error "set! of an undefined variable names it" (set! no-such-variable 1) "no-such-variable")

(define (square x) (* x x))
(check "procedure definition" (square 12) "144")
(check "lambda application" ((lambda (x y) (+ x y)) 3 4) "7")
(check "lambda with a body of several expressions" ((lambda () 1 2 3)) "3")
(check "closures capture their environment" (let ([n 10]) ((lambda (x) (+ x n)) 5)) "15")

(define (make-counter)
  (let ([n 0])
    (lambda () (set! n (+ n 1)) n)))
(define c1 (make-counter))
(define c2 (make-counter))
(c1) (c1)
(check "closure state is private" (list (c1) (c2)) "(3 1)")

(define (uses-later) (defined-later 5))
(define (defined-later x) (* x 2))
(check "a body may refer to a name defined later" (uses-later) "10")

(check "internal definitions mixed with expressions"
       (let () (define a 1) (display "") (define b (+ a 1)) (* a b)) "2")
(check "internal define can be recursive"
       (let () (define (fact n) (if (= n 0) 1 (* n (fact (- n 1))))) (fact 10)) "3628800")
(check-error "a body made only of definitions is a syntax error"
             (let () (define y 2)) "begin (possibly implicit): the last form is not an expression")
(check-error "unbound identifier"
             this-name-is-unbound "this-name-is-unbound: undefined;\n cannot reference an identifier before its definition")
(check-error "unbound procedure in operator position"
             (no-such-proc 1 2) "no-such-proc: undefined")
(check-error "applying a non-procedure" (5 3) "application: not a procedure")
(check-error "applying a string" ("f" 1) "application: not a procedure;\n expected a procedure that can be applied to arguments\n  given: \"f\"")
(check-error "define without an expression" (define) "define: bad syntax")
(check-error "duplicate lambda argument" (lambda (x x) 1) "lambda: duplicate argument name")

(define x 1)
(define x 2)
(check "redefinition at top level replaces the value" x "2")
(define (shadow-test list) (list))
(check "a parameter may shadow a library name" (shadow-test (lambda () 'shadowed)) "shadowed")
(check "library names are unaffected by local shadowing" (list 1 2) "(1 2)")
(check "procedures are values" (map (lambda (f) (f 16)) (list sqrt square)) "(4 256)")
(check "procedure? on lambda, primitive and non-procedure"
       (list (procedure? car) (procedure? square) (procedure? 'car)) "(#t #t #f)")
