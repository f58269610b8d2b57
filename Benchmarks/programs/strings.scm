;; String building, list filtering and association lists.
;; Portable subset: string-append, substring, number->string, string->list, list->string,
;; char-upcase, string=?, assoc, map, filter, reverse, length, named let (immutable pairs:
;; Racket has no set-cdr!). No sort (its argument
;; order differs between Racket/Guile and Chez) and no racket/string.

;; 30,000 words drawn from 1,000 distinct ones: "w0" … "w999".
(define (word i) (string-append "w" (number->string (modulo (* i 7919) 1000))))
(define words
  (let loop ([i 0] [acc '()])
    (if (= i 30000) (reverse acc) (loop (+ i 1) (cons (word i) acc)))))

;; List filtering over characters: words containing the digit 7.
(define (has-seven? s) (if (memv #\7 (string->list s)) #t #f))
(define sevens (filter has-seven? words))

;; String building: upper-case and reverse each word, join each group of 50 into a line.
(define (shout s) (list->string (reverse (map char-upcase (string->list s)))))
(define (join-line ws)
  (let loop ([ws ws] [acc ""])
    (cond [(null? ws) acc]
          [(string=? acc "") (loop (cdr ws) (car ws))]
          [else (loop (cdr ws) (string-append acc " " (car ws)))])))
(define (lines ws)
  (let loop ([ws ws] [line '()] [n 0] [acc '()])
    (cond [(null? ws) (reverse (if (null? line) acc (cons (join-line (reverse line)) acc)))]
          [(= n 50) (loop ws '() 0 (cons (join-line (reverse line)) acc))]
          [else (loop (cdr ws) (cons (shout (car ws)) line) (+ n 1) acc)])))
(define text-lines (lines words))
(define total-length
  (let loop ([ls text-lines] [acc 0])
    (if (null? ls) acc (loop (cdr ls) (+ acc (string-length (car ls)))))))

;; Association lists: count every word by rebuilding the list up to its entry (1,000 keys),
;; then look every word up again with assoc.
(define (bump alist w)
  (cond [(null? alist) (list (cons w 1))]
        [(string=? (car (car alist)) w) (cons (cons w (+ 1 (cdr (car alist)))) (cdr alist))]
        [else (cons (car alist) (bump (cdr alist) w))]))
(define counts
  (let loop ([ws words] [alist '()])
    (if (null? ws) alist (loop (cdr ws) (bump alist (car ws))))))
(define looked-up
  (let loop ([ws words] [acc 0])
    (if (null? ws) acc (loop (cdr ws) (+ acc (cdr (assoc (car ws) counts)))))))

;; A checksum over substrings so that every line is looked at.
(define checksum
  (let loop ([ls text-lines] [acc 0])
    (if (null? ls)
        acc
        (loop (cdr ls) (+ acc (string-length (substring (car ls) 0 (quotient (string-length (car ls)) 2))))))))

(finish (list (length sevens) total-length (length counts) looked-up (cdr (assoc "w7" counts)) checksum))
