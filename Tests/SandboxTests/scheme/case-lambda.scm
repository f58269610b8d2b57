;; case-lambda: dispatch on argument count.

(define f (case-lambda
            [() 'zero]
            [(x) (list 'one x)]
            [(x y) (list 'two x y)]
            [(x . r) (list 'many x r)]))
(check "no arguments" (f) "zero")
(check "one argument" (f 1) "(one 1)")
(check "two arguments" (f 1 2) "(two 1 2)")
(check "rest clause" (f 1 2 3) "(many 1 (2 3))")
(define g (case-lambda [(x) x] [(x y) y]))
(check-error "no clause matches" (g 1 2 3) "g: arity mismatch")
(check-error "no clause matches: given count" (g 1 2 3) "given: 3")
(check-display "case-lambda procedure takes the defined name" g "#<procedure:g>")
(check "procedure-arity of case-lambda" (procedure-arity g) "(1 2)")
(define first-wins (case-lambda [(x . r) 'rest] [(x) 'one]))
;; Racket CS's optimiser gets this wrong when the case-lambda is applied directly
;; (((case-lambda [(x . r) 'rest] [(x) 'one]) 1) gives one); the documented rule is
;; "the first clause that accepts the arguments", which is what we test.
(check "first matching clause wins" (first-wins 1) "rest")
(define (make-acc) (case-lambda [() 0] [(n) n] [(n m) (+ n m)]))
(check "case-lambda as a value" (list ((make-acc)) ((make-acc) 4) ((make-acc) 4 5)) "(0 4 9)")
(define area
  (case-lambda
    [(r) (* 3 r r)]
    [(w h) (* w h)]))
(check "optional-argument style via case-lambda" (list (area 2) (area 2 5)) "(12 10)")
(check "case-lambda as a call-with-values consumer"
       (call-with-values (lambda () (values 1 2)) (case-lambda [(a) 'one] [(a b) 'two])) "two")
(check "case-lambda closes over its environment"
       (let ([base 100]) ((case-lambda [() base] [(x) (+ base x)]) 1)) "101")
(check "case-lambda with only a rest clause" ((case-lambda [args (length args)]) 1 2 3) "3")
(check "recursive case-lambda"
       (letrec ([sum (case-lambda [(l) (sum l 0)] [(l acc) (if (null? l) acc (sum (cdr l) (+ acc (car l))))])])
         (sum '(1 2 3 4)))
       "10")
