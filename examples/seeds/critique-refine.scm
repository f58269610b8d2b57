;; Seed 001, "Example 2: Iterative Quality Refinement" (critique-refine).
;; --- seed example ---
(define refined-analysis (critique-refine
  ;; Generate initial draft
  (lambda ()
    (syntax-e (llm-query
      #:instruction "Write comprehensive analysis"
      #:data context
      #:model "gpt-4o")))

  ;; Critique with cheap model
  (lambda (draft)
    (syntax-e (llm-query
      #:instruction "Identify weaknesses and gaps"
      #:data draft
      #:model "gpt-4o-mini"
      #:temperature 0.0)))

  ;; Refine based on critique
  (lambda (draft critique)
    (syntax-e (llm-query
      #:instruction "Improve the analysis based on this critique"
      #:data (string-append "Draft:\n" draft "\n\nCritique:\n" critique)
      #:model "gpt-4o")))

  #:max-iter 3))

(finish refined-analysis)
