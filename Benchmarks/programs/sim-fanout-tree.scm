;; Simulator benchmark (issue 4): a 10,000-item fan-out, then a tree reduction of the extracts
;; (branch factor 5: about 2,500 more calls). Run with --items 10000.
(define items (string-split context "\n\n"))
(define extracts
  (map-async (lambda (x) (llm-query-async #:instruction "Extract the key facts in 20 words" #:data x #:model "gpt-4.1-nano"))
             items #:max-concurrent 50))
(finish
 (string-length
  (tree-reduce (lambda parts (syntax-e (llm-query #:instruction "Merge these facts in 30 words" #:data (string-join parts "\n") #:model "gpt-4o-mini")))
               extracts #:branch-factor 5)))
