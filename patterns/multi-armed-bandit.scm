;; pattern: multi-armed-bandit
;; title: Multi-armed bandit model selection
;; purpose: Learn which model to use while working: each batch of items goes to the models with the best upper confidence bound on their self-rated confidence.
;; combinators: map-async, fold-sequential
;; kinds: classification, extraction, qa
;; outputs: per-item
;; quality: 0.76 | converges on the model that answers most confidently, cheapest first on ties; confidence is self-reported, so a verifier is better when stakes are high
;; fits: long runs over many similar items where the best model is not known in advance
;; avoid: few items (no time to learn); a known best model (just use it)
;; param task: Answer the task for this item. | what to do with each item
;; param arm-1: gpt-4.1-nano | cheapest candidate model (role: cheap)
;; param arm-2: gpt-4o-mini | middle candidate model (role: worker)
;; param arm-3: gpt-4o | strongest candidate model (role: strong)
;; param batch: 5 | items per learning round (run in parallel)
;; param exploration: 2 | weight of the exploration term (UCB1 uses 2)
;; param max-tokens: 400 | reply limit per answer

(define task "Answer the task for this item.")
(define arm-1 "gpt-4.1-nano")
(define arm-2 "gpt-4o-mini")
(define arm-3 "gpt-4o")
(define batch 5)
(define exploration 2)
(define max-tokens 400)

(define items (context-items))
(define arms (list arm-1 arm-2 arm-3))

;; stats: a list of (arm pulls . total-reward), in arm order (cheapest first).
(define (ucb stats total)
  (lambda (s)
    (let ([pulls (cadr s)] [reward (cddr s)])
      (if (= pulls 0)
          +inf.0
          (+ (/ reward pulls) (sqrt (/ (* exploration (log (max total 1))) pulls)))))))

;; The arm with the highest bound; the first (cheapest) wins a tie.
(define (best-arm stats)
  (let* ([total (apply + (map cadr stats))] [score (ucb stats total)])
    (car (for/fold ([best (car stats)]) ([s (cdr stats)]) (if (> (score s) (score best)) s best)))))

(define (reward reply)
  (let* ([j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))]
         [c (and (hash? j) (hash-ref j 'confidence #f))])
    (if (real? c) (max 0 (min 1 c)) 0)))

(define (answer-of reply)
  (let* ([j (with-handlers ([exn:fail? (lambda (e) #f)]) (string->jsexpr reply))]
         [a (and (hash? j) (hash-ref j 'answer #f))])
    (cond [(string? a) a] [a (jsexpr->string a)] [else reply])))

;; One round: every item of the batch goes to the currently best arm (unpulled arms first),
;; spreading items over arms in bound order so a round explores more than one arm.
(define (round acc group)
  (let* ([stats (car acc)]
         [chosen (let pick ([left group] [st stats] [out '()])
                   (if (null? left)
                       (reverse out)
                       (let ([arm (best-arm st)])
                         (pick (cdr left)
                               (map (lambda (s) (if (equal? (car s) arm) (cons arm (cons (+ (cadr s) 1) (cddr s))) s)) st)
                               (cons arm out)))))]
         [replies (map-async (lambda (pair)
                               (llm-query-async
                                #:instruction (string-append task " Return a JSON object with keys \"answer\" and \"confidence\" (0 to 1).")
                                #:data (cdr pair) #:model (car pair) #:json #t #:temperature 0 #:max-tokens max-tokens))
                             (map cons chosen group))]
         [updated (for/fold ([st stats]) ([arm chosen] [r replies])
                    (map (lambda (s) (if (equal? (car s) arm) (cons arm (cons (+ (cadr s) 1) (+ (cddr s) (reward r)))) s)) st))])
    (cons updated (append (reverse (map answer-of replies)) (cdr acc)))))

(define final (fold-sequential round (cons (map (lambda (a) (cons a (cons 0 0))) arms) '()) (chunk items batch)))
(finish (reverse (cdr final)))
