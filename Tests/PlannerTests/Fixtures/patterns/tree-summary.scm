;; pattern: tree-summary
;; title: Tree aggregation into one answer
;; purpose: Summarise each item, then merge the summaries level by level into one answer.
;; combinators: map-async, tree-reduce
;; kinds: summarisation, qa, comparison, search, analysis
;; outputs: single
;; quality: 0.74 | every item is read; merging in small groups keeps each prompt short
;; fits: many items that must become one answer
;; avoid: tasks that need one output per item
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param merge-model: gpt-4o-mini | model that merges groups (role: synthesiser)
;; param branch-factor: 5 | summaries merged per call
;; param task: Summarise | what the answer must say
(define worker-model "gpt-4.1-nano")
(define merge-model "gpt-4o-mini")
(define branch-factor 5)
(define task "Summarise")
(define items (context-items))
(define notes
  (map-async (lambda (item) (llm-query-async #:instruction (string-append task " in 50 words") #:data item #:model worker-model))
             items))
(finish
 (tree-reduce (lambda parts (syntax-e (llm-query #:instruction (string-append task ": merge these notes in 80 words")
                                                 #:data (string-join parts "\n") #:model merge-model)))
              notes #:branch-factor branch-factor))
