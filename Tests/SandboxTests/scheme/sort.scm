;; sort: a stable merge sort; built-in comparators run natively, any other comparator through
;; the VM between merge steps. Each result is checked against Racket by validate.rkt.

(check "empty list" (sort '() <) "()")
(check "one element" (sort '(5) <) "(5)")
(check "two elements out of order" (sort '(2 1) <) "(1 2)")
(check "already sorted list is returned as it is" (let ([l (list 1 2 3)]) (eq? (sort l <) l)) "#t")
(check "descending with >" (sort '(3 9 1 4 1 5) >) "(9 5 4 3 1 1)")
(check "mixed exact and inexact numbers" (sort '(3 1.5 2 -7/2) <) "(-7/2 1.5 2 3)")
(check "strings with string<?" (sort '("pear" "apple" "fig" "Apple") string<?) "(\"Apple\" \"apple\" \"fig\" \"pear\")")
(check "strings with string>?" (sort '("pear" "apple" "fig") string>?) "(\"pear\" \"fig\" \"apple\")")
(check "prefix sorts first" (sort '("ab" "a" "abc" "") string<?) "(\"\" \"a\" \"ab\" \"abc\")")
(check "another primitive comparator: char<?" (sort '(#\c #\a #\b) char<?) "(#\\a #\\b #\\c)")
(check "a case-insensitive primitive comparator" (sort '("b" "A" "c") string-ci<?) "(\"A\" \"b\" \"c\")")
(check "<= as comparator keeps all elements" (sort '(2 1 2 1) <=) "(1 1 2 2)")
(check "symbols with symbol<?" (sort '(c a b) symbol<?) "(a b c)")

;; Stability: equal keys keep their order, with a closure and with a built-in comparator.
(check "stable with a closure comparator"
       (sort '((1 . a) (0 . b) (1 . c) (0 . d) (1 . e)) (lambda (x y) (< (car x) (car y))))
       "((0 . b) (0 . d) (1 . a) (1 . c) (1 . e))")
(check "stable with #:key and <" (sort '((1 . a) (0 . b) (1 . c) (0 . d) (1 . e)) < #:key car)
       "((0 . b) (0 . d) (1 . a) (1 . c) (1 . e))")
(check "stable with string keys" (sort '(("b" 1) ("a" 2) ("b" 3) ("a" 4)) string<? #:key car)
       "((\"a\" 2) (\"a\" 4) (\"b\" 1) (\"b\" 3))")
(check "#:key with #:cache-keys?" (sort '("ccc" "a" "bb") < #:key string-length #:cache-keys? #t) "(\"a\" \"bb\" \"ccc\")")
(check "#:key with a closure comparator" (sort '((x . 3) (y . 1) (z . 2)) (lambda (a b) (> a b)) #:key cdr) "((x . 3) (z . 2) (y . 1))")

;; Larger inputs: the same result as an insertion sort written here.
(define (insert-sorted x sorted less?)
  (cond [(null? sorted) (list x)]
        [(less? x (car sorted)) (cons x sorted)]
        [else (cons (car sorted) (insert-sorted x (cdr sorted) less?))]))
(define (insertion-sort lst less?)
  (foldl (lambda (x acc) (insert-sorted x acc less?)) '() lst))
(define pseudo-random (let loop ([i 0] [acc '()]) (if (= i 300) acc (loop (+ i 1) (cons (modulo (* i 7919) 101) acc)))))
(check "300 integers with < match an insertion sort"
       (equal? (sort pseudo-random <) (insertion-sort pseudo-random <)) "#t")
(check "300 integers with a closure match an insertion sort"
       (equal? (sort pseudo-random (lambda (a b) (> a b))) (insertion-sort pseudo-random >)) "#t")
(define tagged (let loop ([i 0] [acc '()]) (if (= i 300) (reverse acc) (loop (+ i 1) (cons (cons (modulo (* i 31) 7) i) acc)))))
(check "300 tagged items stay stable through every merge width"
       (equal? (sort tagged < #:key car) (insertion-sort tagged (lambda (a b) (< (car a) (car b))))) "#t")
(check "sorted input of 300 keeps its order" (equal? (sort (sort pseudo-random <) <) (sort pseudo-random <)) "#t")
(check "300 strings with string<?"
       (let ([strs (map number->string pseudo-random)])
         (equal? (sort strs string<?) (insertion-sort strs string<?))) "#t")

;; The comparator runs as an ordinary call: side effects, raising, handlers, escapes, tail position.
(check "a comparator with side effects is called"
       (let ([n 0]) (sort '(3 1 2) (lambda (a b) (set! n (+ n 1)) (< a b))) (> n 0)) "#t")
(check-error "a comparator that raises propagates" (sort '(3 1 2) (lambda (a b) (error 'cmp "no order for ~a" a))) "cmp: no order for")
(check "a raise in the comparator reaches a handler outside the sort"
       (with-handlers ([string? (lambda (e) (string-append "caught " e))])
         (sort '(3 1 2) (lambda (a b) (raise "stop"))))
       "\"caught stop\"")
(check "a handler inside the comparator"
       (sort '(3 1 2) (lambda (a b) (with-handlers ([string? (lambda (e) #f)]) (if (= a 2) (raise "x") (< a b)))))
       "(1 3 2)")
(check "escaping from the comparator with let/ec"
       (let/ec k (sort '(3 1 2) (lambda (a b) (if (= a 1) (k 'escaped) (< a b)))))
       "escaped")
(define (sort-in-tail-position l) (sort l (lambda (a b) (< a b))))
(check "sort in tail position returns from the caller" (sort-in-tail-position '(3 1 2)) "(1 2 3)")
(check "sort inside a larger expression" (list 'x (sort '(2 1) (lambda (a b) (< a b))) 'y) "(x (1 2) y)")
(check "nested sorts in a comparator"
       (sort '((3 1) (2 2) (1 3)) (lambda (a b) (< (car (sort a <)) (car (sort b (lambda (x y) (< x y)))))))
       "((3 1) (1 3) (2 2))")
(check "a case-lambda comparator" (sort '(3 1 2) (case-lambda [(a b) (< a b)] [(a) a])) "(1 2 3)")
(check "a parameter read in the comparator"
       (let ([p (make-parameter 1)]) (parameterize ([p -1]) (sort '(1 3 2) (lambda (a b) (< (* (p) a) (* (p) b))))))
       "(3 2 1)")
(check "a comparator returning non-booleans counts any true value" (sort '(2 1) (lambda (a b) (and (< a b) 'yes))) "(1 2)")

;; Bad arguments name sort.
(check-error "not a list" (sort 5 <) "sort: contract violation\n  expected: list?\n  given: 5")
(check-error "an improper list" (sort '(1 2 . 3) <) "sort: contract violation\n  expected: list?")
(check-error "not a procedure" (sort '(1 2) 5) "sort: contract violation\n  expected: (any/c any/c . -> . any/c)\n  given: 5")
(check-error "incomparable values" (sort '(1 a) <) "<: contract violation\n  expected: real?\n  given: 'a")
(check-error "incomparable strings" (sort '("a" 1) string<?) "string<?: contract violation\n  expected: string?")
(check-error "a primitive comparator of the wrong arity" (sort '(2 1) car) "sort: contract violation\n  expected: (any/c any/c . -> . any/c)\n  given: #<procedure:car>")
(check-error "a closure comparator of the wrong arity" (sort '(2 1) (lambda (x) x)) "sort: contract violation\n  expected: (any/c any/c . -> . any/c)")

