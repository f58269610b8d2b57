;; let, let*, letrec, named let, let-values family.

(check "let binds in parallel" (let ([x 1]) (let ([x 2] [y x]) y)) "1")
(check "let* binds in sequence" (let* ([x 1] [y (+ x 1)]) (list x y)) "(1 2)")
(check "let* with no bindings" (let* () 5) "5")
(check "let with no bindings" (let () 7) "7")
(check "let body of several expressions" (let ([x 1]) (set! x (+ x 1)) (* x 10)) "20")
(check "let shadows an outer binding" (let ([x 'outer]) (let ([x 'inner]) x)) "inner")
(check "outer binding is restored after let" (let ([x 'outer]) (let ([x 'inner]) x) x) "outer")
(check "letrec allows mutual recursion"
       (letrec ([ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))]
                [od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))])
         (list (ev? 10) (od? 7)))
       "(#t #t)")
(check-error "letrec variable used before initialisation" (letrec ([x y] [y 1]) x) "y: undefined;\n cannot use before initialization")
(check "named let loops" (let loop ([i 0] [acc '()]) (if (= i 3) (reverse acc) (loop (+ i 1) (cons i acc)))) "(0 1 2)")
(check "named let as an accumulator" (let sum ([l '(1 2 3 4)]) (if (null? l) 0 (+ (car l) (sum (cdr l))))) "10")
(check "named let name is local" (let f ([n 3]) (if (= n 0) 'done (f (- n 1)))) "done")
(check-error "duplicate let binding" (let ([a 1] [a 2]) a) "let: duplicate identifier")
(check "let with square and round brackets" (let ((a 1) [b 2]) (+ a b)) "3")
(check "let-values" (let-values ([(q r) (quotient/remainder 17 5)]) (list q r)) "(3 2)")
(check "let-values with several clauses" (let-values ([(a b) (values 1 2)] [(c) (values 3)]) (list a b c)) "(1 2 3)")
(check "let*-values sees earlier clauses" (let*-values ([(a b) (values 1 2)] [(c) (values (+ a b))]) c) "3")
(check "letrec-values" (letrec-values ([(f g) (values (lambda () (g)) (lambda () 'g))]) (f)) "g")
(check "closures in a loop capture each binding"
       (let ([procs (let loop ([i 0] [acc '()]) (if (= i 3) (reverse acc) (loop (+ i 1) (cons (lambda () i) acc))))])
         (map (lambda (p) (p)) procs))
       "(0 1 2)")
(check "internal defines in a let body" (let ([x 2]) (define y 3) (define (f z) (* x y z)) (f 4)) "24")
(check "let over lambda counter"
       (let ([n 0]) (define (tick!) (set! n (+ n 1)) n) (tick!) (tick!) (tick!))
       "3")
