;; pattern: tree-aggregation
;; title: Tree aggregation
;; purpose: Merge many items (or partial results) hierarchically, a few at a time, level by level, into one answer.
;; combinators: tree-reduce
;; kinds: summarisation, synthesis, qa
;; outputs: single
;; quality: 0.74 | no prompt ever holds more than branch-factor items, so nothing overflows; detail fades a little at each of the log(N) levels
;; fits: hundreds of items that together exceed any context window; one merged answer wanted
;; avoid: a handful of items (one call is cheaper and sees everything); per-item outputs
;; param task: Merge these items into one summary; keep every distinct fact. | what each merge does
;; param merge-model: gpt-4o-mini | model for each merge (role: synthesiser)
;; param branch-factor: 5 | items merged per call
;; param max-tokens: 500 | reply limit per merge

(define task "Merge these items into one summary; keep every distinct fact.")
(define merge-model "gpt-4o-mini")
(define branch-factor 5)
(define max-tokens 500)

(define items (context-items))

;; Groups at each level are merged concurrently.
(define (merge . parts)
  (syntax-e (llm-query #:instruction task #:data (string-join parts "\n\n---\n\n")
                       #:model merge-model #:max-tokens max-tokens)))

(finish (cond [(null? items) ""]
              ;; A lone item is still summarised, so the answer is always a merge result.
              [(null? (cdr items)) (merge (car items))]
              [else (tree-reduce merge items #:branch-factor branch-factor)]))
