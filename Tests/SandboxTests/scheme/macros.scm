;; define-syntax + syntax-rules: literals, ellipsis, nested ellipsis, recursion, hygiene.

(define-syntax swap!
  (syntax-rules ()
    [(_ a b) (let ([tmp a]) (set! a b) (set! b tmp))]))
(check "swap! swaps" (let ([x 1] [y 2]) (swap! x y) (list x y)) "(2 1)")
(check "swap! is hygienic when a variable is called tmp" (let ([tmp 1] [other 2]) (swap! tmp other) (list tmp other)) "(2 1)")

(define-syntax my-or
  (syntax-rules ()
    [(_) #f]
    [(_ e) e]
    [(_ e r ...) (let ([t e]) (if t t (my-or r ...)))]))
(check "recursive macro" (my-or #f #f 3) "3")
(check "recursive macro base case" (my-or) "#f")
(check "macro temporaries do not capture user variables" (let ([t 5]) (my-or #f t)) "5")
(check "macro short-circuits" (let ([n 0]) (my-or 1 (begin (set! n 1) 2)) n) "0")

(define-syntax unless2 (syntax-rules () [(_ c e) (if c (void) e)]))
(check "macro-introduced names refer to their definition site" (let ([if list]) (unless2 #f 'ok)) "ok")

(define-syntax for-range
  (syntax-rules (from to)
    [(_ v from a to b body ...) (let loop ([v a]) (when (< v b) body ... (loop (+ v 1))))]))
(check "literals in patterns" (let ([acc '()]) (for-range i from 0 to 3 (set! acc (cons i acc))) acc) "(2 1 0)")
(check-error "literals must match" (for-range i 0 3 1) "for-range: bad syntax")

(define-syntax my-let*
  (syntax-rules ()
    [(_ () body ...) (let () body ...)]
    [(_ ([n v] rest ...) body ...) (let ([n v]) (my-let* (rest ...) body ...))]))
(check "macro producing binding forms" (my-let* ([a 1] [b (+ a 1)]) (list a b)) "(1 2)")

(define-syntax pairs (syntax-rules () [(_ (k v) ...) (list (cons 'k v) ...)]))
(check "ellipsis over sub-patterns" (pairs (a 1) (b (+ 1 1))) "((a . 1) (b . 2))")
(check "ellipsis matching zero items" (pairs) "()")

(define-syntax flat (syntax-rules () [(_ (a b ...) ...) '(a ... (b ... ...))]))
(check "nested ellipsis" (flat (1 2 3) (4 5) (6)) "(1 4 6 (2 3 5))")

(define-syntax my-let
  (syntax-rules ()
    [(_ ([name val] ...) body1 body2 ...) ((lambda (name ...) body1 body2 ...) val ...)]))
(check "let as a macro" (my-let ([a 1] [b 2]) (+ a b)) "3")

(define-syntax while
  (syntax-rules () [(_ c body ...) (let lp () (when c body ... (lp)))]))
(check "while loop macro" (let ([i 0]) (while (< i 5) (set! i (+ i 1))) i) "5")

(define-syntax-rule (inc! x) (set! x (+ x 1)))
(check "define-syntax-rule" (let ([n 1]) (inc! n) (inc! n) n) "3")

(define-syntax my-cond
  (syntax-rules (else)
    [(_ (else e)) e]
    [(_ (c e) clause ...) (if c e (my-cond clause ...))]))
(check "else as a literal" (my-cond (#f 1) (else 2)) "2")
(check "else literal, first clause" (my-cond (#t 1) (else 2)) "1")

(define-syntax ten (syntax-rules () [(_) 10]))
(check "macro with no arguments" (ten) "10")
(check-error "macro use that matches no rule" (ten 1) "ten: bad syntax")

(define-syntax tail-pat (syntax-rules () [(_ a ... z) 'z]))
(check "ellipsis followed by a pattern" (tail-pat 1 2 3) "3")
(define-syntax dot-pat (syntax-rules () [(_ a . rest) 'rest]))
(check "dotted pattern" (dot-pat 1 2 3) "(2 3)")
(define-syntax vec-mac (syntax-rules () [(_ #(a ...)) (list a ...)]))
(check "vector pattern" (vec-mac #(1 2 3)) "(1 2 3)")
(define-syntax kw-mac (syntax-rules () [(_ #:key v) v]))
(check "keyword in a pattern" (kw-mac #:key 3) "3")
(define-syntax under (syntax-rules () [(_ _ b) b]))
(check "underscore matches anything" (under 1 2) "2")
(define-syntax ell-escape (syntax-rules () [(_ a) '(a (... ...))]))
(check "escaped ellipsis" (ell-escape 1) "(1 ...)")

(check "let-syntax" (let-syntax ([foo (syntax-rules () [(_ x) (* x 2)])]) (foo 4)) "8")
(check "letrec-syntax"
       (letrec-syntax ([ev? (syntax-rules () [(_) #t] [(_ x . r) (od? . r)])]
                       [od? (syntax-rules () [(_) #f] [(_ x . r) (ev? . r)])])
         (list (ev? 1 2) (od? 1 2 3)))
       "(#t #t)")

(define-syntax my-if (syntax-rules () [(_ c t e) (cond [c t] [else e])]))
(check "a macro argument is evaluated once where it appears" (let ([n 0]) (my-if #t (set! n (+ n 1)) 'no) n) "1")
(define-syntax later-mac (syntax-rules () [(_ x) (* x 3)]))
(check "macro expanding to an expression" (later-mac 2) "6")
(define-syntax make-adder (syntax-rules () [(_ n) (lambda (x) (+ x n))]))
(check "macro expanding to a lambda" ((make-adder 10) 5) "15")
(define-syntax my-list-of (syntax-rules () [(_ (x ...) ...) (list (list x ...) ...)]))
(check "nested ellipsis building nested lists" (my-list-of (1 2) () (3)) "((1 2) () (3))")
