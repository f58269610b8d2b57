;; pattern: critique-refine
;; title: Per-item critique and refine
;; purpose: Draft each item's result with a worker, have a critic review it, and revise once.
;; combinators: spawn, critique-refine
;; kinds: extraction, summarisation, translation, code-generation, analysis
;; outputs: per-item
;; quality: 0.86 | every draft is reviewed and revised by a stronger model
;; fits: items where mistakes are costly
;; avoid: tight budgets (three calls per item)
;; param worker-model: gpt-4.1-nano | drafts each result (role: worker)
;; param critic-model: gpt-4o-mini | reviews and revises (role: critic)
;; param task: Extract the key facts | what to do with each item
(define worker-model "gpt-4.1-nano")
(define critic-model "gpt-4o-mini")
(define task "Extract the key facts")
(define items (context-items))
(define (refine-one item)
  (critique-refine
   (lambda () (syntax-e (llm-query #:instruction task #:data item #:model worker-model)))
   (lambda (draft) (syntax-e (llm-query #:instruction "Critique this result; list its errors" #:data draft #:model critic-model)))
   (lambda (draft critique) (syntax-e (llm-query #:instruction (string-append "Revise the result. " critique) #:data draft #:model critic-model)))
   #:max-iter 1))
(define futures (map (lambda (item) (spawn (lambda () (refine-one item)))) items))
(finish (map touch futures))
