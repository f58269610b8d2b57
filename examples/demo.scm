;; A small tour of the sandbox that runs offline: data shaping, a fold, a hash table, and `finish`.
(define documents
  (list "alpha beta gamma" "beta delta" "gamma gamma epsilon" "delta alpha"))

;; Word frequencies across all documents.
(define counts (make-hash))
(for ([doc documents])
  (for ([word (string-split doc)])
    (hash-update! counts word add1 0)))

(define ranked
  (sort (hash->list counts) > #:key cdr))

(printf "~a documents, ~a distinct words\n" (length documents) (hash-count counts))
(finish
 (string-join
  (for/list ([entry ranked] [rank (in-naturals 1)])
    (format "~a. ~a (~a)" rank (car entry) (cdr entry)))
  "\n"))
