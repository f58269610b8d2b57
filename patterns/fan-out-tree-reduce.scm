;; pattern: fan-out-tree-reduce
;; title: Fan-out, then hierarchical (tree) synthesis
;; purpose: A cheap call per item in parallel, then merge the results in groups, level by level, into one answer.
;; combinators: map-async, tree-reduce
;; kinds: extraction, summarisation, comparison, qa, search
;; outputs: per-item+synthesis
;; quality: 0.76 | every merge prompt stays small (branch-factor results), so nothing overflows; detail can fade over log(N) merge levels
;; fits: hundreds to thousands of items; per-item results too large to merge in one prompt
;; avoid: a handful of items (one synthesis call is cheaper); tasks where every item must be compared with every other
;; param task: Extract the key facts from this item. | what to do with each item
;; param merge-task: Merge these partial results into one; keep every distinct fact, drop repetition. | what each merge does
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param merge-model: gpt-4o-mini | model for each merge (role: synthesiser)
;; param window: 20 | calls in flight at once
;; param branch-factor: 5 | results merged per call
;; param max-tokens: 300 | reply limit per item and per merge

(define task "Extract the key facts from this item.")
(define merge-task "Merge these partial results into one; keep every distinct fact, drop repetition.")
(define worker-model "gpt-4.1-nano")
(define merge-model "gpt-4o-mini")
(define window 20)
(define branch-factor 5)
(define max-tokens 300)

(define items (context-items))

(define results
  (map-async (lambda (item)
               (llm-query-async #:instruction task #:data item #:model worker-model #:max-tokens max-tokens))
             items
             #:max-concurrent window))

;; A variadic reducer gets whole groups of up to branch-factor results; groups run concurrently.
(define (merge . parts)
  (syntax-e (llm-query #:instruction merge-task
                       #:data (string-join parts "\n\n---\n\n")
                       #:model merge-model #:max-tokens max-tokens)))

(finish (hasheq 'items results
                'synthesis (if (null? results) "" (tree-reduce merge results #:branch-factor branch-factor))))
