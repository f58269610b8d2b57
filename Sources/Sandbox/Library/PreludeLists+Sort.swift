extension PreludeLists {
    /// `sort`, `vector-sort`, `vector-sort!`: a stable merge sort, O(n log n) comparisons.
    ///
    /// The sorting itself is native (`%sort`, Interpreter+Sort.swift): built-in comparators run
    /// in Swift, any other comparator is called by the VM between merge steps. With `#:key`, each
    /// key is computed once (as Racket does with `#:cache-keys? #t`) and the sort compares keys.
    static let sorting = """
(define (sort lst less? #:key [key #f] #:cache-keys? [cache-keys? #f])
  (%check-list 'sort lst)
  (%check-procedure 'sort less? "(any/c any/c . -> . any/c)")
  (if key
      (%sort (map (lambda (x) (cons (key x) x)) lst) less? #t (lambda (a b) (less? a b)))
      (%sort lst less? #f (lambda (a b) (less? a b)))))

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
