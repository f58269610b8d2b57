;; pattern: multi-stage-validation
;; title: Multi-stage validation
;; purpose: Extract from every item cheaply, validate each result with a judge, and redo only the rejected ones with a strong model.
;; combinators: map-async, with-validation
;; kinds: extraction, classification, data-entry, compliance
;; outputs: per-item
;; quality: 0.85 | every result is checked; failures are redone by a strong model that sees the judge's objection
;; fits: extraction where errors are costly but most items are easy; structured outputs a judge can check
;; avoid: results a judge cannot verify from the item alone; tight latency (three sequential stages)
;; param task: Extract the requested fields from this item. | the extraction each item gets
;; param check: Every extracted value appears in the item and nothing requested is missing. | what the judge verifies
;; param worker-model: gpt-4.1-nano | first extraction (role: worker)
;; param judge-model: gpt-4o-mini | validator (role: judge)
;; param strong-model: gpt-4o | redo of rejected items (role: strong)
;; param window: 20 | calls in flight at once
;; param max-tokens: 400 | reply limit per extraction (draft and redo)

(define task "Extract the requested fields from this item.")
(define check "Every extracted value appears in the item and nothing requested is missing.")
(define worker-model "gpt-4.1-nano")
(define judge-model "gpt-4o-mini")
(define strong-model "gpt-4o")
(define window 20)
(define max-tokens 400)

(define items (context-items))

;; Stage 1: extract everything.
(define drafts
  (map-async (lambda (item) (llm-query-async #:instruction task #:data item #:model worker-model #:max-tokens max-tokens)) items
             #:max-concurrent window))

;; Stage 2: the judge answers JSON {"valid": bool, "problem": text}.
(define (judge item draft)
  (let* ([reply (syntax-e (llm-query
                           #:instruction (string-append "Validate the extraction against the item. Criterion: " check
                                                        " Return a JSON object with keys \"valid\" (true or false) and \"problem\" (what is wrong, if anything).")
                           #:data (string-append "Item:\n" item "\n\nExtraction:\n" draft)
                           #:model judge-model #:json #t #:temperature 0 #:max-tokens 150))]
         [j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))])
    (if (hash? j) j (hasheq 'valid #f 'problem "the judge's reply was not JSON"))))

;; Stage 3: a draft the judge rejects is redone by the strong model, objection included.
(define (finalise pair)
  (let* ([item (car pair)] [draft (cdr pair)] [verdict (judge item draft)])
    ((try-fallback
      (with-validation (lambda () draft) (lambda (d) (eq? (hash-ref verdict 'valid #f) #t)))
      (lambda ()
        (let ([problem (hash-ref verdict 'problem "")])
          (syntax-e (llm-query #:instruction (string-append task " A reviewer rejected a previous attempt: "
                                                            (if (string? problem) problem "unspecified problem"))
                               #:data item #:model strong-model #:max-tokens max-tokens))))))))

(finish (map-async finalise (map cons items drafts) #:max-concurrent window))
