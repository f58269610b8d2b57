extension PreludeLists {
    /// Hash procedures that may call a procedure: `hash-ref` (failure thunk), `hash-ref!`,
    /// `hash-update!`, `hash-update`, `hash-map`, `hash-for-each`.
    ///
    /// `(%hash-ref h k fail who)` (Swift) returns the value; on a miss it returns `fail`, except that
    /// it raises Racket's "no value found for key" when `fail` is `%none` (no failure argument) and
    /// returns `%none` when `fail` is a procedure, which the code here then calls. Passing `void`
    /// as `fail` therefore means "tell me about a miss" without raising.
    static let hashes = """
(define (hash-ref h k [fail %none])
  (let ([v (%hash-ref h k fail)])
    (if (eq? v %none) (fail) v)))

(define (hash-ref! h k to-set)
  (%check-hash 'hash-ref! h 'mutable)
  (let ([v (%hash-ref h k void 'hash-ref!)])
    (if (eq? v %none)
        (let ([new (if (procedure? to-set) (to-set) to-set)])
          (hash-set! h k new)
          new)
        v)))

(define (hash-update! h k updater [fail %none])
  (let ([v (%hash-update-ref h k updater fail 'hash-update!)])
    (hash-set! h k (updater (if (eq? v %none) (fail) v)))))

(define (hash-update h k updater [fail %none])
  (let ([v (%hash-update-ref h k updater fail 'hash-update)])
    (hash-set h k (updater (if (eq? v %none) (fail) v)))))

(define (hash-map h f [try-order? #f])
  (%check-hash 'hash-map h)
  (%check-procedure 'hash-map f)
  (let loop ([entries (hash->list h try-order?)] [acc '()])
    (if (null? entries)
        (reverse acc)
        (loop (cdr entries) (cons (f (car (car entries)) (cdr (car entries))) acc)))))

(define (hash-for-each h f [try-order? #f])
  (%check-hash 'hash-for-each h)
  (%check-procedure 'hash-for-each f)
  (let loop ([entries (hash->list h try-order?)])
    (if (null? entries)
        (void)
        (begin (f (car (car entries)) (cdr (car entries))) (loop (cdr entries))))))
"""
}
