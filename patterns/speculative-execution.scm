;; pattern: speculative-execution
;; title: Speculative execution (hedged requests)
;; purpose: Send each item to two models at once and keep whichever answers first; the slower call is cancelled.
;; combinators: race, map-async
;; kinds: extraction, classification, qa, translation
;; outputs: per-item
;; quality: 0.72 | answers come from whichever model is faster, so quality is that of the weaker one at worst; cuts tail latency
;; fits: latency-critical work where slow outliers dominate; interactive use
;; avoid: tight budgets (up to two paid calls per item; a cancelled call may still be billed); tasks where the two models differ a lot in quality
;; param task: Answer the task for this item. | what to do with each item
;; param primary-model: gpt-4o-mini | first model raced (role: worker)
;; param hedge-model: gpt-4.1-nano | second model raced (role: cheap)
;; param window: 20 | items in flight at once
;; param max-tokens: 400 | reply limit per call

(define task "Answer the task for this item.")
(define primary-model "gpt-4o-mini")
(define hedge-model "gpt-4.1-nano")
(define window 20)
(define max-tokens 400)

(define items (context-items))

(define (hedged item)
  (race (list (lambda () (llm-query-async #:instruction task #:data item #:model primary-model #:max-tokens max-tokens))
              (lambda () (llm-query-async #:instruction task #:data item #:model hedge-model #:max-tokens max-tokens)))))

(finish (map-async hedged items #:max-concurrent window))
