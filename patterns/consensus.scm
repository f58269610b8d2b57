;; pattern: consensus
;; title: Consensus protocol
;; purpose: Three models propose answers, then each reviews all proposals and votes; an answer needs a quorum or the item is flagged.
;; combinators: map-async, parallel
;; kinds: qa, classification, decision, verification
;; outputs: per-item
;; quality: 0.92 | two rounds (independent proposals, then cross-review) and a quorum: errors must convince several models; unresolved items are flagged, not guessed
;; fits: high-stakes decisions where a wrong answer costs more than six calls per item; tens of items
;; avoid: bulk work or tight budgets (2 x models calls per item); creative tasks with many valid answers
;; param task: Answer the question for this item. | what each proposer answers
;; param model-1: gpt-4o | first proposer and reviewer (role: strong)
;; param model-2: gpt-4o-mini | second proposer and reviewer (role: worker)
;; param model-3: gpt-4.1-mini | third proposer and reviewer (role: worker)
;; param quorum: 2 | votes an answer needs to be accepted
;; param window: 5 | items in flight at once
;; param max-tokens: 400 | reply limit per proposal
;; param review-max-tokens: 60 | reply limit per review (a JSON object of scores)

(define task "Answer the question for this item.")
(define model-1 "gpt-4o")
(define model-2 "gpt-4o-mini")
(define model-3 "gpt-4.1-mini")
(define quorum 2)
(define window 5)
(define max-tokens 400)
(define review-max-tokens 60)

(define items (context-items))
(define models (list model-1 model-2 model-3))

;; Round 2: a reviewer scores every proposal ("score_1" ... "score_n", 0 to 1) and votes for its best.
(define (review model item proposals)
  (let* ([n (length proposals)]
         [keys (for/list ([i (in-range 1 (+ n 1))]) (format "\"score_~a\"" i))]
         [reply (syntax-e (llm-query
                           #:instruction (string-append "Several answers to the same task follow. Score each for correctness. Return a JSON object with keys "
                                                        (string-join keys ", ") " (numbers from 0 to 1).")
                           #:data (string-append "Task: " task "\n\nItem:\n" item "\n\n"
                                                 (string-join (for/list ([p proposals] [i (in-naturals 1)]) (format "Answer ~a:\n~a" i p)) "\n\n"))
                           #:model model #:json #t #:temperature 0 #:max-tokens review-max-tokens))]
         [j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))]
         [score (lambda (i) (let ([s (and (hash? j) (hash-ref j (string->symbol (format "score_~a" i)) #f))])
                              (if (real? s) s -1)))])
    ;; The index (from 0) of the best-scored proposal, or #f when the reply holds no scores.
    (let loop ([i 1] [best #f] [best-score -1])
      (cond [(> i n) best]
            [(> (score i) best-score) (loop (+ i 1) (- i 1) (score i))]
            [else (loop (+ i 1) best best-score)]))))

(define (decide item)
  (let* ([proposals (map await (for/list ([m models])
                                 (llm-query-async #:instruction task #:data item #:model m #:max-tokens max-tokens)))]
         [proposals (map syntax-e proposals)]
         [votes (filter values (parallel (for/list ([m models]) (lambda () (review m item proposals)))))]
         [tally (for/list ([i (in-range (length proposals))]) (count (lambda (v) (= v i)) votes))]
         [top (apply max 0 tally)]
         [winner (index-of tally top)])
    (if (and (>= top quorum) winner)
        (list-ref proposals winner)
        (string-append "NO CONSENSUS: " (list-ref proposals 0)))))

(finish (map-async decide items #:max-concurrent window))
