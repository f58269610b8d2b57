;; pattern: active-learning
;; title: Active learning (cheap first, escalate the uncertain)
;; purpose: A cheap model answers every item with a confidence; only low-confidence items go to a strong model.
;; combinators: active-learning, map-async
;; kinds: classification, extraction, qa
;; outputs: per-item
;; quality: 0.82 | near strong-model quality on the hard items at a fraction of the cost; relies on the cheap model's confidence being calibrated
;; fits: many items where most are easy and a few are hard; budget-constrained work
;; avoid: uniformly hard items (nearly everything escalates, paying twice); tasks where the cheap model cannot judge its own confidence
;; param task: Answer the task for this item. | what to do with each item
;; param cheap-model: gpt-4.1-nano | first pass over every item (role: cheap)
;; param strong-model: gpt-4o | second pass over low-confidence items (role: strong)
;; param threshold: 0.7 | items whose confidence is below this are escalated
;; param window: 20 | calls in flight at once
;; param max-tokens: 400 | reply limit per answer (either model)

(define task "Answer the task for this item.")
(define cheap-model "gpt-4.1-nano")
(define strong-model "gpt-4o")
(define threshold 0.7)
(define window 20)
(define max-tokens 400)

(define items (context-items))

;; The cheap pass answers JSON {"answer": text, "confidence": 0..1}.
(define (parse reply)
  (let ([j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))])
    (if (hash? j) j (hasheq 'answer reply 'confidence 0))))

(define (confidence j)
  (let ([c (hash-ref j 'confidence 0)])
    (cond [(real? c) c]
          [(and (string? c) (string->number c)) => values]
          [else 0])))

(define (answer-text j)
  (let ([a (hash-ref j 'answer "")]) (if (string? a) a (jsexpr->string a))))

;; First pass, all items in parallel.
(define first-pass
  (map parse
       (map-async (lambda (item)
                    (llm-query-async
                     #:instruction (string-append task " Return a JSON object with keys \"answer\" and \"confidence\" (0 to 1, how sure you are).")
                     #:data item #:model cheap-model #:json #t #:temperature 0 #:max-tokens max-tokens))
                  items
                  #:max-concurrent window)))

;; Escalate where confidence < threshold; the escalated calls run in parallel too.
(define merged
  (active-learning
   (lambda (pair) (car pair))
   (lambda (pair) (llm-query-async #:instruction task #:data (cdr pair) #:model strong-model #:max-tokens max-tokens))
   (lambda (j) (if (hash? j) (confidence j) 1))
   (map cons first-pass items)
   #:threshold threshold))

(finish (map (lambda (r) (if (hash? r) (answer-text r) r)) merged))
