extension PreludeLists {
    /// `sort`, `vector-sort`, `vector-sort!`: a stable merge sort, O(n log n) comparisons.
    ///
    /// `%sort` first checks whether the list is already sorted (n - 1 comparisons, as Racket
    /// does), then sorts the first n elements of a cursor list top-down: recursion depth is
    /// log2 n, and each merge is a tail-recursive loop over an accumulator. A merge takes from the
    /// left run unless the right element is strictly less, which keeps equal elements in order.
    static let sorting = """
(define (%merge a b less?)
  (let loop ([a a] [b b] [acc '()])
    (cond [(null? a) (%append-reverse acc b)]
          [(null? b) (%append-reverse acc a)]
          [(less? (car b) (car a)) (loop a (cdr b) (cons (car b) acc))]
          [else (loop (cdr a) b (cons (car a) acc))])))

(define (%sorted? lst less?)
  (let loop ([prev (car lst)] [l (cdr lst)])
    (cond [(null? l) #t]
          [(less? (car l) prev) #f]
          [else (loop (car l) (cdr l))])))

(define (%sort lst less?)
  (let ([n (length lst)])
    (if (or (< n 2) (%sorted? lst less?))
        lst
        (let ([rest lst])
          (let sort-prefix ([k n])
            (cond
              [(= k 1)
               (let ([x (car rest)])
                 (set! rest (cdr rest))
                 (list x))]
              [(= k 2)
               (let ([x (car rest)] [y (car (cdr rest))])
                 (set! rest (cdr (cdr rest)))
                 (if (less? y x) (list y x) (list x y)))]
              [else
               (let ([half (quotient k 2)])
                 (let ([left (sort-prefix half)])
                   (let ([right (sort-prefix (- k half))])
                     (%merge left right less?))))]))))))

(define (sort lst less? #:key [key #f] #:cache-keys? [cache-keys? #f])
  (%check-list 'sort lst)
  (%check-procedure 'sort less? "(any/c any/c . -> . any/c)")
  (cond
    [(not key) (%sort lst less?)]
    [cache-keys?
     (map cdr (%sort (map (lambda (x) (cons (key x) x)) lst)
                     (lambda (a b) (less? (car a) (car b)))))]
    [else (%sort lst (lambda (a b) (less? (key a) (key b))))]))

(define (vector-sort vec less? [start 0] [end #f] #:key [key #f] #:cache-keys? [cache-keys? #f])
  (%check-procedure 'vector-sort less? "(any/c any/c . -> . any/c)")
  (list->vector
   (sort (vector->list vec start (or end (vector-length vec))) less? #:key key #:cache-keys? cache-keys?)))

(define (vector-sort! vec less? [start 0] [end #f] #:key [key #f] #:cache-keys? [cache-keys? #f])
  (%check-procedure 'vector-sort! less? "(any/c any/c . -> . any/c)")
  (let ([sorted (vector-sort vec less? start end #:key key #:cache-keys? cache-keys?)])
    (vector-copy! vec start sorted)))
"""
}
