;; pattern: single-call
;; title: One call over all the data
;; purpose: Send every item to one strong model in a single prompt and get one answer back.
;; combinators: (none)
;; kinds: summarisation, qa, comparison, classification, extraction
;; outputs: single
;; quality: 0.80 | the model sees everything at once and can relate any item to any other; long prompts dilute attention
;; fits: data that fits the model's context window with room for the answer; one question about the whole
;; avoid: data larger than the context window; a task that needs one output per item
;; param task: Answer the task using all of the items below. | what to do with the data
;; param strong-model: gpt-4o | model for the call (role: strong)
;; param max-tokens: 1500 | reply limit

(define task "Answer the task using all of the items below.")
(define strong-model "gpt-4o")
(define max-tokens 1500)

(define items (context-items))

(define data
  (string-join (for/list ([item items] [i (in-naturals 1)]) (format "[~a] ~a" i item)) "\n\n"))

(finish (syntax-e (llm-query #:instruction task #:data data #:model strong-model #:max-tokens max-tokens)))
