;; pattern: backtracking
;; title: Backtracking search
;; purpose: Try approaches one after another, cheapest first; a cheap verifier accepts or rejects each, and a rejection falls back to the next.
;; combinators: try-fallback, map-async
;; kinds: extraction, qa, code-generation, reasoning
;; outputs: per-item
;; quality: 0.84 | every accepted answer passed a check, and hard items reach the strong model; the verifier's judgement bounds the gain
;; fits: items whose answers can be checked more cheaply than produced; mixed difficulty
;; avoid: answers that cannot be verified; latency-critical work (attempts run one after another per item)
;; param task: Answer the task for this item. | what each attempt does
;; param check: The answer is correct, complete and follows the task. | what the verifier checks
;; param cheap-model: gpt-4.1-nano | first and second attempts (role: cheap)
;; param strong-model: gpt-4o | last attempt (role: strong)
;; param judge-model: gpt-4o-mini | verifier (role: judge)
;; param window: 20 | items in flight at once
;; param max-tokens: 500 | reply limit per attempt

(define task "Answer the task for this item.")
(define check "The answer is correct, complete and follows the task.")
(define cheap-model "gpt-4.1-nano")
(define strong-model "gpt-4o")
(define judge-model "gpt-4o-mini")
(define window 20)
(define max-tokens 500)

(define items (context-items))

(define (attempt model how)
  (lambda (item)
    (syntax-e (llm-query #:instruction (string-append task " " how) #:data item #:model model #:max-tokens max-tokens))))

;; The verifier answers JSON {"valid": bool}; anything else counts as a rejection.
(define (verified approach)
  (lambda (item)
    (let* ([answer (approach item)]
           [reply (syntax-e (llm-query
                             #:instruction (string-append "Check the answer against the item. Criterion: " check
                                                          " Return a JSON object with key \"valid\" (true or false).")
                             #:data (string-append "Item:\n" item "\n\nAnswer:\n" answer)
                             #:model judge-model #:json #t #:temperature 0 #:max-tokens 20))]
           [j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))])
      (if (and (hash? j) (eq? (hash-ref j 'valid #f) #t))
          answer
          (error 'backtracking "rejected by the verifier")))))

;; direct (cheap) -> step by step (cheap) -> careful (strong, accepted as is).
(define solve
  (try-fallback (verified (attempt cheap-model "Answer directly."))
                (try-fallback (verified (attempt cheap-model "Work step by step, then give the answer."))
                              (attempt strong-model "Be careful and thorough."))))

(finish (map-async solve items #:max-concurrent window))
