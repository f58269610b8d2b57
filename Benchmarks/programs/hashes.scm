;; Hash-table workload: string keys with updates, integer keys with lookups.
;; Portable subset: make-hash, hash-ref with a default value, hash-set! (the harness maps
;; these to make-hash-table / make-hashtable for Guile and Chez).

(define (key i) (string-append "k" (number->string (modulo (* i 7919) 50021))))

;; Counting: 300,000 updates over 50,021 string keys.
(define counts (make-hash))
(let loop ([i 0])
  (when (< i 300000)
    (let ([k (key i)])
      (hash-set! counts k (+ 1 (hash-ref counts k 0))))
    (loop (+ i 1))))

;; Integer keys: 200,000 inserts, then 300,000 lookups.
(define squares (make-hash))
(let loop ([i 0])
  (when (< i 200000)
    (hash-set! squares i (* i i))
    (loop (+ i 1))))
(define lookup-sum
  (let loop ([i 0] [acc 0])
    (if (= i 300000)
        acc
        (loop (+ i 1) (+ acc (hash-ref squares (modulo (* i 31) 200000) 0))))))

;; Read every counter back by rebuilding its key (misses return the default).
(define total
  (let loop ([i 0] [acc 0])
    (if (= i 60000)
        acc
        (loop (+ i 1) (+ acc (hash-ref counts (string-append "k" (number->string i)) 0))))))

(finish (list total lookup-sum (hash-ref counts "k7" 0)))
