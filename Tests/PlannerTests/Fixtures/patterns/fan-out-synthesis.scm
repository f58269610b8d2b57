;; pattern: fan-out-synthesis
;; title: Fan-out with a synthesis
;; purpose: One call per item in parallel, then one strong call that merges the results.
;; combinators: map-async, fan-out-aggregate
;; kinds: extraction, summarisation, analysis, comparison
;; outputs: per-item+synthesis
;; quality: 0.78 | per-item results plus a cross-item view from a strong model
;; fits: many items whose results must also be read together
;; avoid: more results than fit the synthesiser's context window
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param synth-model: gpt-4o | model that merges the results (role: synthesiser)
;; param window: 20 | calls in flight at once
;; param task: Extract the key facts | what to do with each item
(define worker-model "gpt-4.1-nano")
(define synth-model "gpt-4o")
(define window 20)
(define task "Extract the key facts")
(define items (context-items))
(define results
  (map-async (lambda (item) (llm-query-async #:instruction task #:data item #:model worker-model #:max-tokens 300))
             items #:max-concurrent window))
(define synthesis
  (syntax-e (llm-query #:instruction (string-append "Synthesise these results: " task)
                       #:data (string-join results "\n") #:model synth-model)))
(finish (hash 'items results 'synthesis synthesis))
