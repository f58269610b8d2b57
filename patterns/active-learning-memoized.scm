;; pattern: active-learning-memoized
;; title: Active learning over a content-addressed cache
;; purpose: Answer each distinct item once (cached across runs); a cheap model answers with a confidence and only low-confidence items go to a strong model.
;; combinators: active-learning, memoized, map-async
;; kinds: classification, extraction, qa
;; outputs: per-item
;; quality: 0.82 | active learning's accuracy on hard items; duplicates and re-runs cost nothing
;; fits: budget-constrained runs over data with repeats or re-runs over overlapping data
;; avoid: uniformly hard items; unique data seen once (use active-learning)
;; param task: Answer the task for this item. | what to do with each item
;; param cheap-model: gpt-4.1-nano | first pass (role: cheap)
;; param strong-model: gpt-4o | escalation for low confidence (role: strong)
;; param threshold: 0.7 | confidence below which an item escalates
;; param window: 20 | calls in flight at once
;; param cache-name: al-memo | prefix of the store keys
;; param max-tokens: 400 | reply limit per answer (either model)

(define task "Answer the task for this item.")
(define cheap-model "gpt-4.1-nano")
(define strong-model "gpt-4o")
(define threshold 0.7)
(define window 20)
(define cache-name "al-memo")
(define max-tokens 400)

(define items (context-items))

;; The store key names both models, the threshold, the task and the item.
(define (content-key text)
  (string-append cache-name "/" (content-hash cheap-model strong-model (number->string threshold) task text)))

(define (parse reply)
  (let ([j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))])
    (if (hash? j) j (hasheq 'answer reply 'confidence 0))))
(define (confidence j)
  (let ([c (hash-ref j 'confidence 0)]) (if (real? c) c 0)))
(define (answer-text j)
  (let ([a (hash-ref j 'answer "")]) (if (string? a) a (jsexpr->string a))))

;; Only distinct items that the store does not already hold are worked on.
(define distinct (remove-duplicates items))
(define known (make-hash (for*/list ([item distinct] [v (in-value (restore (content-key item)))] #:when (string? v))
                           (cons item v))))
(define todo (filter (lambda (item) (not (hash-has-key? known item))) distinct))

(define first-pass
  (map parse
       (map-async (lambda (item)
                    (llm-query-async
                     #:instruction (string-append task " Return a JSON object with keys \"answer\" and \"confidence\" (0 to 1, how sure you are).")
                     #:data item #:model cheap-model #:json #t #:temperature 0 #:max-tokens max-tokens))
                  todo
                  #:max-concurrent window)))

(define fresh
  (active-learning
   (lambda (pair) (car pair))
   (lambda (pair) (llm-query-async #:instruction task #:data (cdr pair) #:model strong-model #:temperature 0 #:max-tokens max-tokens))
   (lambda (j) (if (hash? j) (confidence j) 1))
   (map cons first-pass todo)
   #:threshold threshold))

(for ([item todo] [r fresh])
  (let ([text (if (hash? r) (answer-text r) r)])
    (checkpoint (content-key item) text)
    (hash-set! known item text)))

(define lookup (memoized (lambda (item) (hash-ref known item))))
(finish (map lookup items))
