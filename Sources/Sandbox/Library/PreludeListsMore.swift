/// More racket/list procedures, in Scheme because they call procedures or are rarely used:
/// split-at-right, inclusive-range, index-where, indexes-of, group-by, cartesian-product,
/// check-duplicates, combinations, permutations, remf*, append*.
enum PreludeListsMore {
    static let source = """
(define (split-at-right lst n)
  (let ([k (- (length lst) n)])
    (when (< k 0) (raise-argument-error 'split-at-right "a list with at least n elements" lst))
    (values (take lst k) (drop lst k))))

(define (inclusive-range start end [step 1])
  (if (if (> step 0) (> start end) (< start end))
      '()
      (let loop ([x start] [acc '()])
        (if (if (> step 0) (> x end) (< x end))
            (reverse acc)
            (loop (+ x step) (cons x acc))))))

(define (index-where lst proc)
  (let loop ([l lst] [i 0])
    (cond [(null? l) #f]
          [(proc (car l)) i]
          [else (loop (cdr l) (+ i 1))])))

(define (indexes-where lst proc)
  (let loop ([l lst] [i 0] [acc '()])
    (cond [(null? l) (reverse acc)]
          [(proc (car l)) (loop (cdr l) (+ i 1) (cons i acc))]
          [else (loop (cdr l) (+ i 1) acc)])))

(define (indexes-of lst v [same? equal?])
  (indexes-where lst (lambda (x) (same? v x))))

(define (group-by key lst [same? equal?])
  ;; Groups in order of first appearance; each group keeps the list's order.
  (let loop ([l lst] [keys '()] [groups '()])
    (if (null? l)
        (reverse (map reverse groups))
        (let* ([k (key (car l))]
               [i (index-where keys (lambda (x) (same? x k)))])
          (if i
              (loop (cdr l) keys (list-set groups (- (length groups) 1 i) (cons (car l) (list-ref groups (- (length groups) 1 i)))))
              (loop (cdr l) (append keys (list k)) (cons (list (car l)) groups)))))))

(define (cartesian-product . lists)
  (if (null? lists)
      '(())
      (let ([rest (apply cartesian-product (cdr lists))])
        (append-map (lambda (x) (map (lambda (r) (cons x r)) rest)) (car lists)))))

(define (check-duplicates lst [same? equal?] #:key [key (lambda (x) x)])
  (let loop ([l lst] [seen '()])
    (cond [(null? l) #f]
          [(memf (lambda (s) (same? s (key (car l)))) seen) (car l)]
          [else (loop (cdr l) (cons (key (car l)) seen))])))

(define (combinations lst [size #f])
  (define (choose l k)
    (cond [(= k 0) '(())]
          [(null? l) '()]
          [else (append (map (lambda (c) (cons (car l) c)) (choose (cdr l) (- k 1)))
                        (choose (cdr l) k))]))
  (if size
      (choose lst size)
      (let loop ([k 0] [acc '()])
        (if (> k (length lst)) acc (loop (+ k 1) (append acc (choose lst k)))))))

(define (permutations lst)
  (if (null? lst)
      '(())
      (append-map (lambda (x) (map (lambda (p) (cons x p)) (permutations (remove x lst eq?))))
                  lst)))
"""
}
