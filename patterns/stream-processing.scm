;; pattern: stream-processing
;; title: Stream processing with running state
;; purpose: Consume the items chunk by chunk: each chunk is processed in parallel with the running state as background, then the state is updated.
;; combinators: fold-sequential, map-async
;; kinds: extraction, monitoring, summarisation, classification
;; outputs: per-item+synthesis
;; quality: 0.74 | every item sees a compact digest of everything before it; the digest is bounded, so memory and prompt size stay constant however long the stream
;; fits: long ordered streams (logs, transcripts, feeds) where context from earlier items helps
;; avoid: small data (the state updates add calls and latency); items independent of each other (use fan-out)
;; param task: Process this item in light of the running state. | what to do with each item
;; param state-task: Update the running state with these results; keep it under 200 words. | how the state is kept
;; param worker-model: gpt-4.1-nano | model for each item (role: worker)
;; param state-model: gpt-4o-mini | model that updates the running state (role: synthesiser)
;; param chunk-size: 10 | items per chunk (processed in parallel)
;; param max-tokens: 400 | reply limit per item
;; param state-max-tokens: 400 | reply limit for the running state (kept under 200 words)

(define task "Process this item in light of the running state.")
(define state-task "Update the running state with these results; keep it under 200 words.")
(define worker-model "gpt-4.1-nano")
(define state-model "gpt-4o-mini")
(define chunk-size 10)
(define max-tokens 400)
(define state-max-tokens 400)

(define items (context-items))

;; The accumulator is (state . results-so-far-reversed); only the state enters prompts.
(define (consume acc batch)
  (let* ([state (car acc)]
         [results (map-async (lambda (item)
                               (llm-query-async #:instruction task
                                                #:data (string-append "Running state:\n" state "\n\nItem:\n" item)
                                                #:model worker-model #:max-tokens max-tokens))
                             batch
                             #:max-concurrent chunk-size)]
         [next-state (syntax-e (llm-query #:instruction state-task
                                          #:data (string-append "Running state:\n" state "\n\nNew results:\n"
                                                                (string-join results "\n\n"))
                                          #:model state-model #:max-tokens state-max-tokens))])
    (cons next-state (append (reverse results) (cdr acc)))))

(define final (fold-sequential consume (cons "(empty)" '()) (chunk items chunk-size)))

(finish (hasheq 'items (reverse (cdr final)) 'synthesis (car final)))
