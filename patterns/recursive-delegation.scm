;; pattern: recursive-delegation
;; title: Recursive delegation
;; purpose: Hand each large item to a sub-model that writes and runs its own program in a child sandbox (it may split the item further); a strong model merges the reports.
;; combinators: recursive-spawn, map-async
;; kinds: analysis, code-review, qa, summarisation
;; outputs: per-item+synthesis
;; quality: 0.80 | each sub-agent plans its own decomposition of a large, structured item; a sub-agent whose program fails is replaced by a direct call, so every item gets a report
;; fits: a few large hierarchical items (repositories, long reports, multi-part filings) that need their own decomposition
;; avoid: many small items (at least two calls each: use fan-out); strict budgets (sub-agents decide how many calls they make)
;; param task: Analyse this item thoroughly and report your findings. | what each sub-agent does with its item
;; param synthesis-task: Merge these reports into one overall answer. | what the final merge does
;; param delegate-model: gpt-4o-mini | model that writes each sub-agent's program and answers directly on fallback (role: worker)
;; param synth-model: gpt-4o | model that merges the reports (role: synthesiser)
;; param window: 5 | sub-agents running at once
;; param max-tokens: 600 | reply limit per direct report
;; param synthesis-max-tokens: 1500 | reply limit for the merged answer

(define task "Analyse this item thoroughly and report your findings.")
(define synthesis-task "Merge these reports into one overall answer.")
(define delegate-model "gpt-4o-mini")
(define synth-model "gpt-4o")
(define window 5)
(define max-tokens 600)
(define synthesis-max-tokens 1500)

(define items (context-items))

(define (report-text v) (if (string? v) v (format "~a" v)))

;; The sub-agent's program sees its item as `context` and answers with (finish value); if the
;; program fails, one direct call answers instead. Calls without #:model use map-async's #:model.
(define sub-agent (recursive-spawn (lambda () task)))

(define (delegate item)
  (with-handlers ([exn:fail? (lambda (e) (syntax-e (llm-query #:instruction task #:data item #:max-tokens max-tokens)))])
    (report-text (syntax-e (sub-agent item)))))

(define reports (map-async delegate items #:max-concurrent window #:model delegate-model))

(finish (hasheq 'items reports
                'synthesis (syntax-e (llm-query #:instruction synthesis-task
                                                #:data (string-join (for/list ([r reports] [i (in-naturals 1)]) (format "[~a] ~a" i r)) "\n\n")
                                                #:model synth-model #:max-tokens synthesis-max-tokens))))
