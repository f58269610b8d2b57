;; Parameters: make-parameter, parameterize, guards, set inside a parameterization.

(define p (make-parameter 10))
(check "a parameter is called for its value" (p) "10")
(check "parameterize rebinds for its body" (parameterize ([p 20]) (p)) "20")
(check "value restored after parameterize" (begin (parameterize ([p 20]) (p)) (p)) "10")
(check "nested parameterize" (parameterize ([p 1]) (list (p) (parameterize ([p 2]) (p)) (p))) "(1 2 1)")
(define (read-p) (p))
(check "dynamic, not lexical, binding" (parameterize ([p 'dynamic]) (read-p)) "dynamic")
(check "closure created inside parameterize sees the value at call time"
       (let ([f (parameterize ([p 'inside]) (lambda () (p)))]) (f)) "10")
(define q (make-parameter 1 (lambda (v) (* v 2))))
(check "guard is not applied to the initial value" (q) "1")
(check "guard is applied by parameterize" (parameterize ([q 5]) (q)) "10")
(check "setting a parameter inside parameterize" (parameterize ([p 1]) (p 2) (p)) "2")
(check "setting inside parameterize does not leak" (begin (parameterize ([p 1]) (p 2)) (p)) "10")
(p 30)
(check "setting a parameter at top level" (p) "30")
(p 10)
(check "parameterize of several parameters"
       (let ([a (make-parameter 'a)] [b (make-parameter 'b)]) (parameterize ([a 1] [b 2]) (list (a) (b)))) "(1 2)")
(check "parameterize allows internal definitions"
       (parameterize ([p 1000]) (define outer (p)) (parameterize ([p 500]) (list outer (p)))) "(1000 500)")
(check "parameter restored after an escape"
       (begin (with-handlers ([exn:fail? void]) (parameterize ([p 'oops]) (error "boom"))) (p)) "10")
(check "parameter? predicate" (list (parameter? p) (parameter? car)) "(#t #f)")
(check-display "a parameter prints as a procedure" p "#<procedure:parameter-procedure>")
(check "current-output-port can be parameterized"
       (let ([o (open-output-string)]) (parameterize ([current-output-port o]) (display "hi") (write "x")) (get-output-string o))
       "\"hi\\\"x\\\"\"")
(check-error "parameterize of a non-parameter" (parameterize ([5 1]) 1) "parameter?")
