;; Seed 001, "Example 3: Cost Optimization with Selective Refinement" (active-learning).
(define items (string-split context "\n\n"))

;; --- seed example ---
(define results (active-learning
  ;; Cheap model on all items
  (lambda (item)
    (llm-query-async
      #:instruction "Analyze and rate confidence (low/medium/high)"
      #:data item
      #:model "gpt-4.1-nano"))

  ;; Expensive model only on uncertain cases
  (lambda (item)
    (llm-query-async
      #:instruction "Deep analysis with high precision"
      #:data item
      #:model "gpt-4o"))

  ;; Uncertainty function
  (lambda (result)
    (if (string-contains? (string-downcase result) "confidence: low")
        0.9  ; High uncertainty
        0.1)) ; Low uncertainty

  items
  #:threshold 0.7))

(finish results)
