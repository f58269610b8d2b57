;; requires: json racket/string
;; JSON round trips, as after a fan-out of JSON-mode calls: 10,000 replies serialised with
;; jsexpr->string, parsed back with string->jsexpr, fields read, counted and summed.
;; (Outputs avoid key order and float printing, which differ between implementations.)

(define kinds (vector "summary" "entity" "claim" "quote"))
(define (make-reply i)
  (hasheq 'id i
          'kind (vector-ref kinds (modulo i 4))
          'score (modulo (* i 37) 100)
          'ok (even? i)
          'tags (list "t" (number->string (modulo i 13)))
          'text (string-append "Reply " (number->string i) " says \"hello\"\nand more.")))

(define texts
  (let loop ([i 0] [acc '()])
    (if (= i 10000) (reverse acc) (loop (+ i 1) (cons (jsexpr->string (make-reply i)) acc)))))
(define parsed (map string->jsexpr texts))

(define kind-counts (make-hash))
(for-each (lambda (j) (hash-update! kind-counts (hash-ref j 'kind) add1 0)) parsed)
(define score-sum (apply + (map (lambda (j) (hash-ref j 'score)) parsed)))
(define ok-count (length (filter (lambda (j) (hash-ref j 'ok)) parsed)))
(define tag-chars (apply + (map (lambda (j) (string-length (string-join (hash-ref j 'tags) ","))) parsed)))
;; A second round trip of an aggregate document (a list of objects).
(define batch (jsexpr->string (map (lambda (j) (hasheq 'id (hash-ref j 'id) 'score (hash-ref j 'score))) parsed)))
(define batch-back (string->jsexpr batch))

(finish (list (length parsed) (apply + (map string-length texts)) score-sum ok-count tag-chars
              (hash-ref kind-counts "claim") (length batch-back) (hash-ref (list-ref batch-back 9999) 'score)
              (hash-ref (car parsed) 'text)))
