;; Overhead benchmark (issue 3): 1,000 model calls, 50 in flight, against a local server that
;; answers at once. Measures the runtime's own cost per call: VM, fibers, gateway, HTTP client.
(define results
  (map-async (lambda (i) (llm-query-async #:data (number->string i) #:max-tokens 16))
             (range 1000)
             #:max-concurrent 50))
(finish (length results))
