;; requires: racket/string racket/list
;; Counting words over many replies: split, normalise, count in a hash, rank with a comparator
;; closure (count descending, then word), join the top of the ranking.

(define vocabulary
  (list->vector (string-split "the model said that results of the analysis show strong evidence for a clear effect in most of the samples although some reviewers noted weak controls and small effect sizes across trials")))
(define (sentence i)
  (let loop ([k 0] [words '()])
    (if (= k 12)
        (string-append "  " (string-join words " ") ".  ")
        (loop (+ k 1) (cons (vector-ref vocabulary (modulo (+ (* i 13) (* k k 7)) (vector-length vocabulary))) words)))))
(define replies
  (let loop ([i 0] [acc '()])
    (if (= i 15000) acc (loop (+ i 1) (cons (string-append "Answer " (number->string i) ": " (sentence i)) acc)))))

(define counts (make-hash))
(for-each (lambda (reply)
            (for-each (lambda (w) (hash-update! counts (string-downcase (string-trim w ".")) add1 0))
                      (string-split reply)))
          replies)
(define ranked
  (sort (hash->list counts)
        (lambda (a b) (or (> (cdr a) (cdr b)) (and (= (cdr a) (cdr b)) (string<? (car a) (car b)))))))
(define top (take ranked 10))
(define total (apply + (map cdr ranked)))

(finish (list (hash-count counts) total
              (string-join (map (lambda (p) (string-append (car p) " " (number->string (cdr p)))) top) ", ")))
