;; Seed 001, "Example 1: Parallel Processing with Hierarchical Aggregation".
(define documents (string-split context "\n\n"))

;; --- seed example ---
;; Process 1000 documents using fan-out-aggregate combinator
(define summary (fan-out-aggregate
  ;; Map phase: extract with cheap model
  (lambda (doc)
    (llm-query-async
      #:instruction "Summarize key points"
      #:data doc
      #:model "gpt-4.1-nano"))

  ;; Reduce phase: hierarchical tree reduction
  (lambda (summaries)
    (tree-reduce
      (lambda (left right)
        (syntax-e (llm-query
          #:instruction "Combine summaries"
          #:data (string-append left "\n\n" right)
          #:model "gpt-4o-mini")))
      summaries
      #:branch-factor 5))

  documents
  #:max-concurrent 20))

(finish summary)
