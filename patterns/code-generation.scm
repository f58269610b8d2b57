;; pattern: code-generation
;; title: Code generation (the model writes the analysis)
;; purpose: A model writes a Scheme procedure that computes the answer over all items; the sandbox runs it (logged escape hatch), repairs it once, and falls back to a direct answer.
;; combinators: try-fallback
;; kinds: counting, filtering, statistics, structured-data, search
;; outputs: single
;; quality: 0.78 | exact when the question is computable (counts, filters, aggregates over structured items) and the code runs; otherwise a direct answer over a sample
;; fits: structured or semi-structured items (records, rows, logs) and questions a program can answer exactly
;; avoid: questions that need reading comprehension of every item (a program cannot summarise prose); untrusted data steering the generated code
;; param task: Count the items and report what they have in common. | the question the generated code answers
;; param coder-model: gpt-4o | model that writes and repairs the code (role: strong)
;; param fallback-model: gpt-4o-mini | model that answers directly if the code fails (role: worker)
;; param sample-size: 3 | items shown to the coder and to the fallback
;; param code-max-tokens: 1000 | reply limit for the generated code
;; param max-tokens: 600 | reply limit for the direct answer

(define task "Count the items and report what they have in common.")
(define coder-model "gpt-4o")
(define fallback-model "gpt-4o-mini")
(define sample-size 3)
(define code-max-tokens 1000)
(define max-tokens 600)

(define items (context-items))
(define sample (take items (min sample-size (length items))))

(define coder-brief
  (string-append
   "Write ONE Racket expression: (lambda (items) ...) where items is a list of strings (the sample below shows their shape). "
   "It must return a string answering the task. Use only racket/base, racket/list, racket/string and string->jsexpr; "
   "no I/O, no model calls. Reply with the code in a ```scheme block. Task: " task))

;; The code inside the first ``` fence, else the whole reply.
(define (fenced reply)
  (let* ([lines (string-split reply "\n" #:trim? #f)]
         [body (let skip ([ls lines])
                 (cond [(null? ls) #f]
                       [(string-prefix? (string-trim (car ls)) "```")
                        (let take-code ([rest (cdr ls)] [acc '()])
                          (if (or (null? rest) (string-prefix? (string-trim (car rest)) "```"))
                              (reverse acc)
                              (take-code (cdr rest) (cons (car rest) acc))))]
                       [else (skip (cdr ls))]))])
    (if body (string-join body "\n") reply)))

;; Runs generated code (logged as unsafe-exec-sub-output); its result must be a string.
(define (run-code code)
  (let ([f (unsafe-exec-sub-output (datum->syntax #f code))])
    (unless (procedure? f) (error 'code-generation "the generated code is not a procedure"))
    (let ([answer (f items)])
      (if (string? answer) answer (error 'code-generation "the generated code returned ~a, not a string" answer)))))

(define (generate note)
  (fenced (syntax-e (llm-query #:instruction coder-brief
                               #:data (string-append (string-join sample "\n\n---\n\n") note)
                               #:model coder-model #:temperature 0 #:max-tokens code-max-tokens))))

;; (ok . answer) or (#f . error message).
(define (attempt code)
  (with-handlers ([exn:fail? (lambda (e) (cons #f (exn-message e)))])
    (cons #t (run-code code))))

(define (direct-answer)
  (syntax-e (llm-query #:instruction (format "~a (Answer from this sample of ~a of ~a items.)" task (length sample) (length items))
                       #:data (string-join sample "\n\n---\n\n") #:model fallback-model #:max-tokens max-tokens)))

;; First code; on failure one repair (the coder sees its code and the error); then a direct answer.
(define answer
  (let* ([code (generate "")] [first (attempt code)])
    (if (car first)
        (cdr first)
        ((try-fallback
          (lambda ()
            (let ([second (attempt (generate (string-append "\n\nYour previous code failed. Code:\n" code "\nError: " (cdr first))))])
              (if (car second) (cdr second) (error 'code-generation "the repaired code failed too: ~a" (cdr second)))))
          direct-answer)))))

(finish answer)
