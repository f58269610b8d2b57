;; pattern: cumulative-fold
;; title: Cumulative fold
;; purpose: Read the items in order, one call each, carrying an evolving synthesis from one item to the next.
;; combinators: fold-sequential
;; kinds: summarisation, narrative, timeline, qa
;; outputs: single
;; quality: 0.75 | every item is seen with the full story so far, so order and dependencies are respected; early detail can be squeezed out of the running summary
;; fits: ordered items that build on each other (chapters, meeting notes, log periods); tens of items
;; avoid: hundreds of items (latency grows linearly, nothing runs in parallel); independent items (use fan-out)
;; param task: Maintain a running synthesis of the material. | what the running synthesis is for
;; param worker-model: gpt-4o-mini | model that updates the synthesis (role: worker)
;; param summary-words: 300 | size the running synthesis is kept to
;; param max-tokens: 500 | reply limit per update (the synthesis is kept to summary-words)

(define task "Maintain a running synthesis of the material.")
(define worker-model "gpt-4o-mini")
(define summary-words 300)
(define max-tokens 500)

(define items (context-items))

(define (absorb synthesis item)
  (syntax-e (llm-query
             #:instruction (format "~a Update the synthesis so far with the next item; keep it under ~a words." task summary-words)
             #:data (string-append "Synthesis so far:\n" (if (equal? synthesis "") "(nothing yet)" synthesis)
                                   "\n\nNext item:\n" item)
             #:model worker-model
             #:temperature 0.3
             #:max-tokens max-tokens)))

(finish (fold-sequential absorb "" items))
