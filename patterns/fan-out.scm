;; pattern: fan-out
;; title: Parallel fan-out
;; purpose: One cheap call per item, all in parallel within a window, results in input order.
;; combinators: map-async
;; kinds: extraction, classification, summarisation, translation, code-generation
;; outputs: per-item
;; quality: 0.70 | one independent call per item with a small model; no cross-checking, no synthesis
;; fits: many independent items of similar size that each fit the worker's context window
;; avoid: items that depend on each other; a task that needs one merged answer; one item larger than the context window
;; param task: Extract the key facts from this item. | what to do with each item
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param window: 20 | calls in flight at once
;; param max-tokens: 400 | reply limit per item

(define task "Extract the key facts from this item.")
(define worker-model "gpt-4.1-nano")
(define window 20)
(define max-tokens 400)

(define items (context-items))

;; map-async keeps input order whatever order the replies arrive in.
(define results
  (map-async (lambda (item)
               (llm-query-async #:instruction task #:data item
                                #:model worker-model #:max-tokens max-tokens))
             items
             #:max-concurrent window))

(finish results)
