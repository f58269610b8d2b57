;; Escape continuations: let/ec, call/ec, call-with-escape-continuation.

(check "let/ec without an escape returns the body value" (let/ec k 7) "7")
(check "let/ec escapes with a value" (let/ec k (+ 1 (k 42))) "42")
(check "call/ec escapes from a loop"
       (call/ec (lambda (k) (for-each (lambda (x) (when (> x 2) (k x))) '(1 2 3 4)) 'none)) "3")
(check "call/ec when nothing escapes" (call/ec (lambda (k) (for-each (lambda (x) x) '(1 2)) 'none)) "none")
(check "call-with-escape-continuation long name" (call-with-escape-continuation (lambda (k) (k 5) 6)) "5")
(check "escaping with several values" (call-with-values (lambda () (let/ec k (k 1 2))) list) "(1 2)")
(check "outer escape from an inner let/ec"
       (let/ec outer (let/ec inner (outer 'from-inner)) 'not-here) "from-inner")
(check "inner escape continues after the inner let/ec"
       (let/ec outer (list (let/ec inner (inner 'from-inner)) 'after)) "(from-inner after)")
(check "escape from deep recursion"
       (let/ec return
         (let walk ([tree '(1 (2 (3 needle) 4))])
           (cond [(eq? tree 'needle) (return 'found)]
                 [(pair? tree) (walk (car tree)) (walk (cdr tree))]
                 [else #f]))
         'not-found)
       "found")
(check "escape runs dynamic-wind post thunks"
       (let ([log '()])
         (let/ec k (dynamic-wind (lambda () (set! log (cons 'in log)))
                                 (lambda () (k 'escaped))
                                 (lambda () (set! log (cons 'out log)))))
         (reverse log))
       "(in out)")
(check "escape is not caught by with-handlers"
       (let/ec k (with-handlers ([(lambda (e) #t) (lambda (e) 'handler)]) (k 'escaped))) "escaped")
(check "escape restores parameters"
       (let ([p (make-parameter 'outer)])
         (let/ec k (parameterize ([p 'inner]) (k 'x)))
         (p))
       "outer")
(check "early return from a procedure"
       (let ()
         (define (find-first pred lst)
           (let/ec return
             (for-each (lambda (x) (when (pred x) (return x))) lst)
             #f))
         (list (find-first even? '(1 3 4 5 6)) (find-first even? '(1 3))))
       "(4 #f)")
(check "escape from a for loop" (let/ec k (for ([i (in-naturals)]) (when (> (* i i) 50) (k i)))) "8")
(check "the continuation is a procedure" (let/ec k (procedure? k)) "#t")
(define saved #f)
(check "saving an escape continuation" (+ 1 (let/ec k (set! saved k) 1)) "2")
(check-error "calling an escape continuation after its extent" (saved 5) "attempt to jump into an escape continuation")
