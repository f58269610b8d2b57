;; pattern: fan-out-synthesis
;; title: Fan-out, then one synthesis (MapReduce)
;; purpose: A cheap call per item in parallel, then one strong call merges every result into one answer.
;; combinators: fan-out-aggregate
;; kinds: extraction, summarisation, comparison, qa, search
;; outputs: per-item+synthesis
;; quality: 0.78 | per-item work stays cheap; a strong model sees every result once and can cross-reference them
;; fits: tens to a few hundred items whose per-item results together fit the synthesiser's context window
;; avoid: thousands of items or long per-item results (the synthesis prompt overflows: use fan-out-tree-reduce)
;; param task: Extract the key facts from this item. | what to do with each item
;; param synthesis-task: Combine these per-item results into one coherent answer; note agreements and contradictions. | what the synthesis does
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param synth-model: gpt-4o | model that merges the results (role: synthesiser)
;; param window: 20 | calls in flight at once
;; param max-tokens: 300 | reply limit per item
;; param synthesis-max-tokens: 1500 | reply limit for the synthesis

(define task "Extract the key facts from this item.")
(define synthesis-task "Combine these per-item results into one coherent answer; note agreements and contradictions.")
(define worker-model "gpt-4.1-nano")
(define synth-model "gpt-4o")
(define window 20)
(define max-tokens 300)
(define synthesis-max-tokens 1500)

(define items (context-items))

;; Numbered so the synthesiser can cite items.
(define (numbered results)
  (string-join (for/list ([r results] [i (in-naturals 1)]) (format "[~a] ~a" i r)) "\n\n"))

(define outcome
  (fan-out-aggregate
   (lambda (item)
     (llm-query-async #:instruction task #:data item #:model worker-model #:max-tokens max-tokens))
   (lambda (results)
     (hasheq 'items results
             'synthesis (syntax-e (llm-query #:instruction synthesis-task #:data (numbered results)
                                             #:model synth-model #:max-tokens synthesis-max-tokens))))
   items
   #:max-concurrent window))

(finish outcome)
