;; Simulator benchmark (issue 4): a 100-item fan-out and one synthesis, for Monte Carlo runs.
(define items (string-split context "\n\n"))
(define extracts (map-async (lambda (x) (llm-query-async #:instruction "Extract the key facts" #:data x #:model "gpt-4.1-nano")) items))
(finish (syntax-e (llm-query #:instruction "Synthesize" #:data (string-join extracts "\n") #:model "gpt-4o")))
