;; pattern: critique-refine
;; title: Critique-refine loop
;; purpose: Draft each item with a strong model, have a cheap critic approve or list weaknesses, revise until approved.
;; combinators: critique-refine, map-async
;; kinds: summarisation, translation, code-generation, writing
;; outputs: per-item
;; quality: 0.88 | every output is reviewed by a second model and revised against concrete criticism (up to iterations rounds)
;; fits: high-stakes outputs where quality matters more than cost; tens of items
;; avoid: bulk extraction over hundreds of items (2 to 1+2*iterations calls each); tasks a cheap model already does well
;; param task: Write a careful, complete answer for this item. | what to produce for each item
;; param criteria: accuracy, completeness and clarity | what the critic checks
;; param writer-model: gpt-4o | model that drafts and revises (role: strong)
;; param critic-model: gpt-4o-mini | model that reviews drafts (role: critic)
;; param iterations: 2 | most critique rounds per item
;; param window: 10 | items in flight at once
;; param max-tokens: 600 | reply limit per draft
;; param critique-max-tokens: 300 | reply limit per critique

(define task "Write a careful, complete answer for this item.")
(define criteria "accuracy, completeness and clarity")
(define writer-model "gpt-4o")
(define critic-model "gpt-4o-mini")
(define iterations 2)
(define window 10)
(define max-tokens 600)
(define critique-max-tokens 300)

(define items (context-items))

;; The critic answers JSON {"approved": bool, "critique": text}; critique-refine stops as soon as
;; the critique text contains "approved" (the #:quality-threshold switch enables that check).
(define (critique draft)
  (let* ([reply (syntax-e (llm-query
                           #:instruction (string-append "Review this draft for " criteria
                                                        ". Return a JSON object with keys \"approved\" (true when no change is needed) and \"critique\" (the concrete weaknesses).")
                           #:data draft #:model critic-model #:json #t #:temperature 0 #:max-tokens critique-max-tokens))]
         [j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))])
    (cond [(and (hash? j) (eq? (hash-ref j 'approved #f) #t)) "approved"]
          [(and (hash? j) (string? (hash-ref j 'critique #f))) (hash-ref j 'critique)]
          [else reply])))

(define (refine-item item)
  (critique-refine
   (lambda ()
     (syntax-e (llm-query #:instruction task #:data item #:model writer-model #:max-tokens max-tokens)))
   critique
   (lambda (draft review)
     (syntax-e (llm-query #:instruction (string-append task " Revise the draft to fix every point of the critique.")
                          #:data (string-append "Item:\n" item "\n\nDraft:\n" draft "\n\nCritique:\n" review)
                          #:model writer-model #:max-tokens max-tokens)))
   #:max-iter iterations
   #:quality-threshold #t))

;; Each item's loop runs on its own fiber; window bounds how many loops run at once.
(finish (map-async refine-item items #:max-concurrent window))
