;; pattern: fan-out
;; title: Parallel fan-out
;; purpose: One cheap call per item, all in parallel, results in input order.
;; combinators: map-async
;; kinds: extraction, classification, summarisation, translation, code-generation, analysis
;; outputs: per-item
;; quality: 0.70 | one call per item, no cross-checking
;; fits: many independent items of similar size
;; avoid: items that depend on each other; one item larger than the context window
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param window: 20 | calls in flight at once
;; param task: Extract the key facts | what to do with each item
(define worker-model "gpt-4.1-nano")
(define window 20)
(define task "Extract the key facts")
(define items (context-items))
(define results
  (map-async (lambda (item) (llm-query-async #:instruction task #:data item #:model worker-model))
             items #:max-concurrent window))
(finish results)
