;; pattern: anytime
;; title: Anytime cascade
;; purpose: Answer every item with a cheap model first, then upgrade answers with stronger models while the budget lasts; each level is checkpointed.
;; combinators: map-async, iterate-until
;; kinds: extraction, summarisation, qa, classification
;; outputs: per-item
;; quality: 0.80 | a usable answer for every item exists after the first level; later levels improve as many as the budget allows
;; scaling: per-item | budget-usd
;; fits: a hard budget or deadline; work that may be interrupted; answers that improve with a stronger model
;; avoid: tasks where the cheap answer is already good enough (levels 2 and 3 cost without gain)
;; param task: Answer the task for this item. | what to do with each item
;; param cheap-model: gpt-4.1-nano | level 1, every item (role: cheap)
;; param worker-model: gpt-4o-mini | level 2 upgrades (role: worker)
;; param strong-model: gpt-4o | level 3 upgrades (role: strong)
;; param budget-usd: 0.50 | no new upgrade batch starts once this many dollars are spent
;; param window: 20 | calls in flight at once (also the upgrade batch size)
;; param max-tokens: 400 | reply limit per answer (every level)

(define task "Answer the task for this item.")
(define cheap-model "gpt-4.1-nano")
(define worker-model "gpt-4o-mini")
(define strong-model "gpt-4o")
(define budget-usd 0.50)
(define window 20)
(define max-tokens 400)

(define items (context-items))

;; Level 1: every item, cheaply.
(define answers
  (list->vector
   (map-async (lambda (item) (llm-query-async #:instruction task #:data item #:model cheap-model #:max-tokens max-tokens)) items
              #:max-concurrent window)))
(checkpoint "anytime/level-1" (vector->list answers))

;; One upgrade level: batches of `window` items, each answer rewritten by `model` with the item;
;; stops before a batch once the budget is spent, so the overshoot is at most one batch.
(define (upgrade model level)
  (iterate-until
   (lambda (start)
     (let* ([end (min (vector-length answers) (+ start window))]
            [better (map-async (lambda (i)
                                 (llm-query-async
                                  #:instruction (string-append task " Improve the previous answer: fix errors, add what it missed.")
                                  #:data (string-append "Item:\n" (list-ref items i) "\n\nPrevious answer:\n" (vector-ref answers i))
                                  #:model model #:max-tokens max-tokens))
                               (range start end)
                               #:max-concurrent window)])
       (for ([i (in-range start end)] [b better]) (vector-set! answers i b))
       (checkpoint (format "anytime/level-~a" level) (vector->list answers))
       end))
   (lambda (start) (or (>= start (vector-length answers)) (>= (cost-used) budget-usd)))
   0
   #:max-iter (+ 1 (quotient (vector-length answers) (max window 1)))))

(upgrade worker-model 2)
(upgrade strong-model 3)
(finish (vector->list answers))
