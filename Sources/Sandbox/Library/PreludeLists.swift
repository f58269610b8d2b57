/// Scheme-level list, vector and hash procedures that call procedures (so fibers may suspend
/// inside them): map, for-each, filter, foldl, sort, … Compiled once per session at start-up.
///
/// Written in plain Scheme with only core forms (`define`, `lambda` with optional and keyword
/// parameters, `let`, named `let`, `if`, `cond`, `and`, `or`, `when`, `unless`, `begin`, `set!`,
/// `quote`) and Swift primitives; `%`-prefixed names are private helpers (argument checks in
/// `ListLibrary+PreludeSupport.swift`, lookups that wrap Swift fast paths). Loops are tail
/// recursive with an accumulator and one `reverse`, so long lists need no deep stack.
///
/// Checked against Racket 8.7 with a shim of the `%` primitives: loads, and gives Racket's
/// results on the samples in the lists helper's validation script.
enum PreludeLists {
    static let source = [mapping, searching, PreludeLists.sorting, PreludeLists.hashes].joined(separator: "\n")

    /// map, for-each, andmap, ormap, folds, filters, counting, building.
    static let mapping = """
(define (map f l . ls)
  (cond
    [(null? ls)
     (%check-map1 'map f l)
     (let loop ([l l] [acc '()])
       (if (null? l) (reverse acc) (loop (cdr l) (cons (f (car l)) acc))))]
    [(null? (cdr ls))
     (%check-lists 'map f (list l (car ls)))
     (let loop ([a l] [b (car ls)] [acc '()])
       (if (null? a) (reverse acc) (loop (cdr a) (cdr b) (cons (f (car a) (car b)) acc))))]
    [else
     (%check-lists 'map f (cons l ls))
     (let loop ([lists (cons l ls)] [acc '()])
       (if (null? (car lists))
           (reverse acc)
           (loop (%cdrs lists) (cons (apply f (%cars lists)) acc))))]))

(define (for-each f l . ls)
  (cond
    [(null? ls)
     (%check-map1 'for-each f l)
     (let loop ([l l])
       (if (null? l) (void) (begin (f (car l)) (loop (cdr l)))))]
    [else
     (%check-lists 'for-each f (cons l ls))
     (let loop ([lists (cons l ls)])
       (if (null? (car lists))
           (void)
           (begin (apply f (%cars lists)) (loop (%cdrs lists)))))]))

(define (andmap f l . ls)
  (cond
    [(null? ls)
     (%check-map1 'andmap f l)
     (or (null? l)
         (let loop ([l l])
           (if (null? (cdr l)) (f (car l)) (and (f (car l)) (loop (cdr l))))))]
    [else
     (%check-lists 'andmap f (cons l ls))
     (or (null? l)
         (let loop ([lists (cons l ls)])
           (if (null? (cdr (car lists)))
               (apply f (%cars lists))
               (and (apply f (%cars lists)) (loop (%cdrs lists))))))]))

(define (ormap f l . ls)
  (cond
    [(null? ls)
     (%check-map1 'ormap f l)
     (and (pair? l)
          (let loop ([l l])
            (if (null? (cdr l)) (f (car l)) (or (f (car l)) (loop (cdr l))))))]
    [else
     (%check-lists 'ormap f (cons l ls))
     (and (pair? l)
          (let loop ([lists (cons l ls)])
            (if (null? (cdr (car lists)))
                (apply f (%cars lists))
                (or (apply f (%cars lists)) (loop (%cdrs lists))))))]))

(define (foldl f init l . ls)
  (cond
    [(null? ls)
     (%check-fold 'foldl f init (list l))
     (let loop ([acc init] [l l])
       (if (null? l) acc (loop (f (car l) acc) (cdr l))))]
    [else
     (%check-fold 'foldl f init (cons l ls))
     (let loop ([acc init] [lists (cons l ls)])
       (if (null? (car lists))
           acc
           (loop (apply f (%cars lists acc)) (%cdrs lists))))]))

(define (foldr f init l . ls)
  (cond
    [(null? ls)
     (%check-fold 'foldr f init (list l))
     (let loop ([acc init] [l (reverse l)])
       (if (null? l) acc (loop (f (car l) acc) (cdr l))))]
    [else
     (%check-fold 'foldr f init (cons l ls))
     (let loop ([acc init] [lists (map reverse (cons l ls))])
       (if (null? (car lists))
           acc
           (loop (apply f (%cars lists acc)) (%cdrs lists))))]))

(define (filter pred lst)
  (%check-procedure 'filter pred "(any/c . -> . any/c)")
  (%check-list 'filter lst)
  (let loop ([l lst] [acc '()])
    (cond [(null? l) (reverse acc)]
          [(pred (car l)) (loop (cdr l) (cons (car l) acc))]
          [else (loop (cdr l) acc)])))

(define (filter-not pred lst)
  (%check-procedure 'filter-not pred "(any/c . -> . any/c)")
  (%check-list 'filter-not lst)
  (let loop ([l lst] [acc '()])
    (cond [(null? l) (reverse acc)]
          [(pred (car l)) (loop (cdr l) acc)]
          [else (loop (cdr l) (cons (car l) acc))])))

(define (partition pred lst)
  (%check-procedure 'partition pred)
  (%check-list 'partition lst)
  (let loop ([l lst] [yes '()] [no '()])
    (cond [(null? l) (values (reverse yes) (reverse no))]
          [(pred (car l)) (loop (cdr l) (cons (car l) yes) no)]
          [else (loop (cdr l) yes (cons (car l) no))])))

(define (filter-map f l . ls)
  (cond
    [(null? ls)
     (%check-map1 'filter-map f l)
     (let loop ([l l] [acc '()])
       (if (null? l)
           (reverse acc)
           (let ([v (f (car l))])
             (loop (cdr l) (if v (cons v acc) acc)))))]
    [else
     (%check-lists 'filter-map f (cons l ls))
     (let loop ([lists (cons l ls)] [acc '()])
       (if (null? (car lists))
           (reverse acc)
           (let ([v (apply f (%cars lists))])
             (loop (%cdrs lists) (if v (cons v acc) acc)))))]))

(define (append-map f l . ls)
  (append* (apply map f l ls)))

(define (count f l . ls)
  (cond
    [(null? ls)
     (%check-map1 'count f l)
     (let loop ([l l] [n 0])
       (if (null? l) n (loop (cdr l) (if (f (car l)) (+ n 1) n))))]
    [else
     (%check-lists 'count f (cons l ls))
     (let loop ([lists (cons l ls)] [n 0])
       (if (null? (car lists))
           n
           (loop (%cdrs lists) (if (apply f (%cars lists)) (+ n 1) n))))]))

(define (%arg-best who f lst better?)
  (%check-procedure who f)
  (%check-nonempty-list who lst)
  (let ([first-v (f (car lst))])
    (%check-real-result who first-v)
    (let loop ([best (car lst)] [best-v first-v] [l (cdr lst)])
      (if (null? l)
          best
          (let ([v (f (car l))])
            (%check-real-result who v)
            (if (better? v best-v)
                (loop (car l) v (cdr l))
                (loop best best-v (cdr l))))))))

(define (argmin f lst) (%arg-best 'argmin f lst <))
(define (argmax f lst) (%arg-best 'argmax f lst >))

(define (build-list n f)
  (%check-count 'build-list n)
  (%check-procedure 'build-list f "(exact-nonnegative-integer? . -> . any/c)")
  (let loop ([i 0] [acc '()])
    (if (= i n) (reverse acc) (loop (+ i 1) (cons (f i) acc)))))

(define (build-vector n f)
  (%check-count 'build-vector n)
  (%check-procedure 'build-vector f "(exact-nonnegative-integer? . -> . any/c)")
  (let ([out (make-vector n 0)])
    (let loop ([i 0])
      (if (= i n) out (begin (vector-set! out i (f i)) (loop (+ i 1)))))))

(define (build-string n f)
  (%check-count 'build-string n)
  (%check-procedure 'build-string f "(exact-nonnegative-integer? . -> . char?)")
  (list->string (build-list n f)))

(define (vector-map f v . vs)
  (let ([n (%check-vectors 'vector-map f (cons v vs))])
    (let ([out (make-vector n 0)])
      (let loop ([i 0])
        (cond [(= i n) out]
              [(null? vs) (vector-set! out i (f (vector-ref v i))) (loop (+ i 1))]
              [else (vector-set! out i (apply f (map (lambda (x) (vector-ref x i)) (cons v vs))))
                    (loop (+ i 1))])))))

(define (vector-for-each f v . vs)
  (let ([n (%check-vectors 'vector-for-each f (cons v vs))])
    (let loop ([i 0])
      (cond [(= i n) (void)]
            [(null? vs) (f (vector-ref v i)) (loop (+ i 1))]
            [else (apply f (map (lambda (x) (vector-ref x i)) (cons v vs))) (loop (+ i 1))]))))
"""

    /// member/assoc/remove with an equality procedure, find procedures, prefixes by predicate.
    static let searching = """
(define (member v lst [is-equal? #f])
  (if (or (not is-equal?) (eq? is-equal? equal?))
      (%member v lst)
      (begin
        (%check-procedure 'member is-equal?)
        (let loop ([l lst])
          (cond [(pair? l) (if (is-equal? v (car l)) l (loop (cdr l)))]
                [(null? l) #f]
                [else (%check-list 'member lst)])))))

(define (assoc v lst [is-equal? #f])
  (if (or (not is-equal?) (eq? is-equal? equal?))
      (%assoc v lst)
      (begin
        (%check-procedure 'assoc is-equal?)
        (let loop ([l lst])
          (cond [(pair? l)
                 (let ([entry (car l)])
                   (cond [(not (pair? entry)) (%raise-non-pair 'assoc entry lst)]
                         [(is-equal? v (car entry)) entry]
                         [else (loop (cdr l))]))]
                [(null? l) #f]
                [else (%check-list 'assoc lst)])))))

(define (remove v lst [is-equal? #f])
  (if (or (not is-equal?) (eq? is-equal? equal?))
      (%remove v lst)
      (begin
        (%check-procedure 'remove is-equal?)
        (%check-list 'remove lst)
        (let loop ([l lst] [acc '()])
          (cond [(null? l) lst]
                [(is-equal? v (car l)) (%append-reverse acc (cdr l))]
                [else (loop (cdr l) (cons (car l) acc))])))))

(define (remove* vs lst [is-equal? #f])
  (if (or (not is-equal?) (eq? is-equal? equal?))
      (%remove* vs lst)
      (begin
        (%check-procedure 'remove* is-equal?)
        (%check-list 'remove* vs)
        (%check-list 'remove* lst)
        (filter (lambda (x) (not (ormap (lambda (v) (is-equal? v x)) vs))) lst))))

(define (remf pred lst)
  (%check-procedure 'remf pred)
  (%check-list 'remf lst)
  (let loop ([l lst] [acc '()])
    (cond [(null? l) lst]
          [(pred (car l)) (%append-reverse acc (cdr l))]
          [else (loop (cdr l) (cons (car l) acc))])))

(define (remove-duplicates lst [same? equal?] #:key [key #f])
  (let ([kind (cond [(eq? same? equal?) 'equal]
                    [(eq? same? eqv?) 'eqv]
                    [(eq? same? eq?) 'eq]
                    [else #f])])
    (cond
      [(and kind (not key)) (%remove-duplicates lst kind)]
      [kind
       (%check-list 'remove-duplicates lst)
       (let ([seen (cond [(eq? kind 'equal) (make-hash)]
                         [(eq? kind 'eqv) (make-hasheqv)]
                         [else (make-hasheq)])])
         (filter (lambda (x)
                   (let ([k (key x)])
                     (if (hash-has-key? seen k) #f (begin (hash-set! seen k #t) #t))))
                 lst))]
      [else
       (%check-procedure 'remove-duplicates same?)
       (%check-list 'remove-duplicates lst)
       (let ([key (or key (lambda (x) x))])
         (let loop ([l lst] [kept '()] [acc '()])
           (if (null? l)
               (reverse acc)
               (let ([k (key (car l))])
                 (if (ormap (lambda (seen) (same? k seen)) kept)
                     (loop (cdr l) kept acc)
                     (loop (cdr l) (cons k kept) (cons (car l) acc)))))))])))

(define (index-of lst v [is-equal? #f])
  (if (or (not is-equal?) (eq? is-equal? equal?))
      (%index-of lst v)
      (begin
        (%check-procedure 'index-of is-equal?)
        (%check-list 'index-of lst)
        (let loop ([l lst] [i 0])
          (cond [(null? l) #f]
                [(is-equal? (car l) v) i]
                [else (loop (cdr l) (+ i 1))])))))

(define (findf pred lst)
  (%check-procedure 'findf pred)
  (%check-list 'findf lst)
  (let loop ([l lst])
    (cond [(null? l) #f]
          [(pred (car l)) (car l)]
          [else (loop (cdr l))])))

(define (memf pred lst)
  (%check-procedure 'memf pred)
  (%check-list 'memf lst)
  (let loop ([l lst])
    (cond [(null? l) #f]
          [(pred (car l)) l]
          [else (loop (cdr l))])))

(define (assf pred lst)
  (%check-procedure 'assf pred)
  (%check-list 'assf lst)
  (let loop ([l lst])
    (cond [(null? l) #f]
          [(not (pair? (car l))) (%raise-non-pair 'assf (car l) lst)]
          [(pred (car (car l))) (car l)]
          [else (loop (cdr l))])))

(define (takef lst pred)
  (%check-procedure 'takef pred)
  (let loop ([l lst] [acc '()])
    (if (and (pair? l) (pred (car l)))
        (loop (cdr l) (cons (car l) acc))
        (reverse acc))))

(define (dropf lst pred)
  (%check-procedure 'dropf pred)
  (let loop ([l lst])
    (if (and (pair? l) (pred (car l))) (loop (cdr l)) l)))

(define (splitf-at lst pred)
  (%check-procedure 'splitf-at pred)
  (let loop ([l lst] [acc '()])
    (if (and (pair? l) (pred (car l)))
        (loop (cdr l) (cons (car l) acc))
        (values (reverse acc) l))))

(define (list-update lst pos updater)
  (%check-procedure 'list-update updater)
  (list-set lst pos (updater (list-ref lst pos))))
"""
}
