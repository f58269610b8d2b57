;; pattern: meta-orchestration
;; title: Meta-orchestration
;; purpose: A planning model reads a sample of the items and writes the per-item instruction and picks the model tier; the plan then runs over every item.
;; combinators: map-async
;; kinds: extraction, classification, analysis, unknown
;; outputs: per-item
;; quality: 0.74 | the instruction is tailored to the data actually seen; a vague or wrong plan is applied to every item (the plan is one call, not reviewed)
;; scaling: whole
;; fits: data of unknown shape or a loosely stated task; exploratory first passes
;; avoid: a well-understood task (write the instruction yourself); samples unrepresentative of the rest
;; param task: Find what matters in these items. | the user's goal, given to the planner
;; param planner-model: gpt-4o | model that writes the plan (role: planner)
;; param cheap-model: gpt-4.1-nano | worker when the planner calls the task easy (role: cheap)
;; param strong-model: gpt-4o-mini | worker when the planner calls the task hard (role: worker)
;; param sample-size: 3 | items the planner sees
;; param window: 20 | calls in flight at once
;; param plan-max-tokens: 300 | reply limit for the planner's JSON
;; param max-tokens: 400 | reply limit per item

(define task "Find what matters in these items.")
(define planner-model "gpt-4o")
(define cheap-model "gpt-4.1-nano")
(define strong-model "gpt-4o-mini")
(define sample-size 3)
(define window 20)
(define plan-max-tokens 300)
(define max-tokens 400)

(define items (context-items))
(define sample (take items (min sample-size (length items))))

;; The plan is JSON {"instruction": text, "is_hard": bool}; an unusable plan falls back to the task.
(define plan
  (let* ([reply (syntax-e (llm-query
                           #:instruction (string-append "You design a pipeline that runs one model call per item. The user's goal: " task
                                                        " Read the sample items and return a JSON object with keys \"instruction\" (the exact instruction each per-item call gets) and \"is_hard\" (true if a strong model is needed).")
                           #:data (string-join sample "\n\n---\n\n")
                           #:model planner-model #:json #t #:temperature 0 #:max-tokens plan-max-tokens))]
         [j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))])
    (if (hash? j) j (hasheq))))

(define instruction
  (let ([i (hash-ref plan 'instruction #f)]) (if (and (string? i) (> (string-length i) 0)) i task)))
(define worker (if (eq? (hash-ref plan 'is_hard #f) #t) strong-model cheap-model))

(finish (map-async (lambda (item) (llm-query-async #:instruction instruction #:data item #:model worker #:max-tokens max-tokens))
                   items
                   #:max-concurrent window))
