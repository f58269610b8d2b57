;; requires: racket/string racket/list
;; Orchestration post-processing: parse 20,000 model replies into fields, count in a hash,
;; sort, join. Each reply looks like "name: w123 ; score: 87 ; tags: red, blue ; note:  …  ".
;; Uses string-split, string-trim, string->number, hash-update!, sort with #:key, string-join.

(define tag-names (vector "red" "green" "blue" "amber" "violet" "teal" "grey" "gold"))
(define (reply i)
  (string-append "name: w" (number->string (modulo (* i 7919) 5003))
                 " ; score: " (number->string (modulo (* i 31) 101))
                 " ; tags: " (vector-ref tag-names (modulo i 8)) ", " (vector-ref tag-names (modulo (* i 3) 8))
                 " ; note:   reply number " (number->string i) "   "))
(define replies
  (let loop ([i 0] [acc '()])
    (if (= i 20000) (reverse acc) (loop (+ i 1) (cons (reply i) acc)))))

;; "key: value" fields → (key . value) with both sides trimmed.
(define (parse-fields text)
  (map (lambda (field)
         (let ([kv (string-split field ":")])
           (cons (string-trim (car kv)) (string-trim (string-join (cdr kv) ":")))))
       (string-split text ";")))
(define (field name fields) (cdr (assoc name fields)))

(define records (map parse-fields replies))
(define scores (map (lambda (r) (string->number (field "score" r))) records))

;; Count tags and names in hashes.
(define tag-counts (make-hash))
(define name-counts (make-hash))
(for-each (lambda (r)
            (for-each (lambda (t) (hash-update! tag-counts t add1 0))
                      (map string-trim (string-split (field "tags" r) ",")))
            (hash-update! name-counts (field "name" r) add1 0))
          records)

;; Sort: records by score (stable, descending), names by count then name, all scores.
(define by-score (sort records > #:key (lambda (r) (string->number (field "score" r)))))
(define top-names
  (sort (hash->list name-counts)
        (lambda (a b) (or (> (cdr a) (cdr b)) (and (= (cdr a) (cdr b)) (string<? (car a) (car b)))))))
(define sorted-scores (sort scores <))
(define tags-line (string-join (sort (map (lambda (p) (string-append (car p) "=" (number->string (cdr p))))
                                          (hash->list tag-counts))
                                     string<?)
                               ", "))
(define report
  (string-join (map (lambda (r) (string-append (field "name" r) ":" (field "score" r))) (take by-score 50)) "\n"))

(finish (list (length records) (apply + scores) (car sorted-scores) (last sorted-scores)
              (hash-count name-counts) (car (car top-names)) (string-length report) tags-line
              (field "note" (car by-score))))
