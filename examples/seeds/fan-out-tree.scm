;; Seed 001, "Example: Parallel Processing + Tree Aggregation" (fan-out + synthesis).
(define papers (string-split context "\n\n"))

;; --- seed example ---
(define summary (fan-out-aggregate
  ;; Map phase: extract with cheap model
  (lambda (paper)
    (llm-query-async
      #:instruction "Extract ACE2 mentions"
      #:data paper
      #:model "gpt-4.1-nano"))

  ;; Reduce phase: hierarchical synthesis
  (lambda (extractions)
    (tree-reduce
      (lambda (left right)
        (syntax-e (llm-query
          #:instruction "Combine findings"
          #:data (string-append left "\n\n" right)
          #:model "gpt-4o-mini")))
      extractions
      #:branch-factor 5))

  papers
  #:max-concurrent 20))

(finish summary)
