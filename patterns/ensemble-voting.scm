;; pattern: ensemble-voting
;; title: Ensemble voting
;; purpose: Several models label each item independently; the most common label wins (ties go to the first voter).
;; combinators: vote, map-async
;; kinds: classification, qa, extraction
;; outputs: per-item
;; quality: 0.86 | independent errors cancel out under a plurality vote; needs short, comparable answers
;; fits: classification or short-answer tasks where a wrong answer is costly; labels from a fixed set
;; avoid: free-text outputs (answers never match exactly); tight budgets (one call per voter per item)
;; param task: Classify this item. Answer with one word: the label. | the question each voter answers (short answers vote well)
;; param voter-model-1: gpt-4o-mini | first voter (role: worker)
;; param voter-model-2: gpt-4.1-mini | second voter (role: worker)
;; param voter-model-3: gpt-4.1-nano | third voter (role: cheap)
;; param window: 10 | items in flight at once (each runs its voters in parallel)
;; param max-tokens: 20 | reply limit per vote

(define task "Classify this item. Answer with one word: the label.")
(define voter-model-1 "gpt-4o-mini")
(define voter-model-2 "gpt-4.1-mini")
(define voter-model-3 "gpt-4.1-nano")
(define window 10)
(define max-tokens 20)

(define items (context-items))

;; Votes are compared after normalising case, spaces and a trailing full stop.
(define (normalise answer)
  (string-downcase (string-trim (string-trim (string-trim answer) "."))))

(define (ballot item)
  (let ([handles (for/list ([model (list voter-model-1 voter-model-2 voter-model-3)])
                   (llm-query-async #:instruction task #:data item #:model model
                                    #:temperature 0 #:max-tokens max-tokens))])
    ;; All three calls are already in flight; vote awaits them in order.
    (vote (for/list ([h handles]) (lambda () (normalise (syntax-e (await h))))) #:method 'plurality)))

(finish (map-async ballot items #:max-concurrent window))
