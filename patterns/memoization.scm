;; pattern: memoization
;; title: Memoization (content-addressed cache)
;; purpose: Answer each distinct item once: repeats within a run share one call, and answers persist across runs in the store.
;; combinators: memoized, map-async
;; kinds: extraction, classification, translation, qa
;; outputs: per-item
;; quality: 0.70 | the same quality as fan-out (deterministic temperature 0 calls); saves cost in proportion to repeated items and re-runs
;; fits: data with duplicates; pipelines re-run over overlapping data; incremental updates
;; avoid: unique items seen once (the cache only adds bookkeeping); tasks that need varied answers for equal inputs
;; param task: Answer the task for this item. | what to do with each item
;; param worker-model: gpt-4o-mini | model for each distinct item (role: worker)
;; param window: 20 | calls in flight at once
;; param cache-name: memo | prefix of the store keys, so different tasks do not share answers
;; param max-tokens: 400 | reply limit per answer

(define task "Answer the task for this item.")
(define worker-model "gpt-4o-mini")
(define window 20)
(define cache-name "memo")
(define max-tokens 400)

(define items (context-items))

;; The store key names the model, the task and the item, so a changed prompt never reuses stale answers.
(define (content-key text)
  (string-append cache-name "/" (content-hash worker-model task text)))

;; In-run cache (memoized) over the persistent one (checkpoint/restore).
(define answer
  (memoized
   (lambda (item)
     (let* ([key (content-key item)] [stored (restore key)])
       (if (string? stored)
           stored
           (let ([fresh (syntax-e (llm-query #:instruction task #:data item #:model worker-model #:temperature 0 #:max-tokens max-tokens))])
             (checkpoint key fresh)
             fresh))))))

;; Distinct items run in parallel; the duplicates then hit the in-run cache.
(define distinct (remove-duplicates items))
(void (map-async answer distinct #:max-concurrent window))
(finish (map answer items))
