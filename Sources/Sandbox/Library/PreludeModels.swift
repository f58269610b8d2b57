/// The model-call procedures with keywords (reference §2.1, §11), fibers (`spawn`/`touch`,
/// `sleep`), and the 17 combinators (§3, with the §10 bugs fixed), written in Scheme over the
/// `%` host primitives of `ModelLibrary`.
///
/// Concurrency comes from fibers: `map-async` items, `parallel` thunks, `race` branches and
/// `tree-reduce` groups each run on their own fiber, so even synchronous `llm-query` calls inside
/// them overlap. Results always come back in input order.
enum PreludeModels {
    static let source = """
(define (%image-list image images) (if image (cons image images) images))

(define (%with-model model thunk)
  (if (equal? model "") (thunk) (parameterize ([%model-override model]) (thunk))))

(define (%remove-at lst i)
  (let loop ([l lst] [k 0] [acc '()])
    (cond [(null? l) (reverse acc)]
          [(= k i) (append (reverse acc) (cdr l))]
          [else (loop (cdr l) (+ k 1) (cons (car l) acc))])))

;; #:recursive #t: the model writes Scheme that runs in a child sandbox (reference §7.5); the
;; code-generation call is an ordinary call (logged, budgeted), the child's calls are charged to
;; the same budgets.
(define (%recursive-query mode instruction data model temperature max-tokens json)
  (%check-recursion-depth)
  (let* ([call (%await-settled (%llm-start 'sync 'llm-query (%recursive-instruction instruction) data model #t
                                           temperature max-tokens json '()))]
         [code (%call-result call 'raw)])
    (%run-child-sandbox mode code data call)))

(define (llm-query #:instruction [instruction ""] #:data [data ""] #:model [model ""] #:recursive [recursive #f]
                   #:temperature [temperature #f] #:max-tokens [max-tokens #f] #:json [json #f]
                   #:image [image #f] #:images [images '()])
  (if recursive
      (%recursive-query 'syntax instruction data model temperature max-tokens json)
      (%call-result (%await-settled (%llm-start 'sync 'llm-query instruction data model #f temperature max-tokens json
                                                (%image-list image images)))
                    'syntax)))

(define (unsafe-raw-query #:instruction [instruction ""] #:data [data ""] #:model [model ""] #:recursive [recursive #f]
                          #:temperature [temperature #f] #:max-tokens [max-tokens #f] #:json [json #f]
                          #:image [image #f] #:images [images '()])
  (if recursive
      (%recursive-query 'raw instruction data model temperature max-tokens json)
      (%call-result (%await-settled (%llm-start 'raw 'llm-query instruction data model #f temperature max-tokens json
                                                (%image-list image images)))
                    'raw)))

(define (llm-query-async #:instruction [instruction ""] #:data [data ""] #:model [model ""] #:recursive [recursive #f]
                         #:temperature [temperature #f] #:max-tokens [max-tokens #f] #:json [json #f]
                         #:image [image #f] #:images [images '()])
  (list 'async-handle
        (%call-handle (%llm-start 'async 'llm-query-async instruction data model recursive temperature max-tokens json
                                  (%image-list image images)))))

(define (await h)
  (%call-result (%await-settled (%handle-call 'await h "await: expected an async handle from llm-query-async")) 'await))

(define (%handles->calls who hs message)
  (unless (list? hs) (%fail message))
  (map (lambda (h)
         (cond [(%async-handle? h) (%handle-call who h message)]
               [(string? h) h]
               [else (%fail message)]))
       hs))

(define (%consume-all calls mode)
  (map (lambda (c) (if (string? c) c (%call-result (%await-settled c) mode))) calls))

(define (await-all hs)
  (%consume-all (%handles->calls 'await-all hs "await-all: expected async handles") 'await-string))

(define (await-all-syntax hs)
  (%consume-all (%handles->calls 'await-all-syntax hs "await-all-syntax: expected async handles") 'await))

(define (await-any hs)
  (unless (list? hs) (%fail "await-any: expected async handles"))
  (when (null? hs) (%fail "await-any: cannot await-any on empty list"))
  (let* ([calls (map (lambda (h)
                       (if (%async-handle? h)
                           (%handle-call 'await-any h "await-any: expected async handles")
                           (%fail "await-any: expected async handles")))
                     hs)]
         [i (%await-any-settled calls)])
    (values (%call-result (list-ref calls i) 'await-any) (%remove-at hs i))))

;; A value from a concurrent branch: an async handle is awaited to its text.
(define (%await-value v)
  (if (%async-handle? v)
      (%call-result (%await-settled (%handle-call 'await v "await: expected an async handle")) 'await-string)
      v))

(define (spawn thunk) (%spawn thunk))
(define (future thunk) (%spawn thunk))
(define (touch f) (%future-result (%await-settled f)))
(define (future-cancel f) (%cancel f))
(define (sleep [secs 0]) (%await-settled (%sleep-start secs)) (void))

;; Runs thunks on fibers, at most k at once (#f = all), and returns their values in input order.
;; Results are taken in completion order (a group), so a slot is refilled as soon as any branch
;; ends. The first failure cancels the branches still running and is raised.
(define (%gather thunks k)
  (let ([results (make-vector (length thunks) #f)] [group (%group-make)])
    (let loop ([pending thunks] [next 0] [running 0])
      (cond
        [(and (pair? pending) (or (not k) (< running k)))
         (%group-spawn group (car pending) next)
         (loop (cdr pending) (+ next 1) (+ running 1))]
        [(= running 0) (vector->list results)]
        [else
         (%await-settled (%group-wait group))
         (let ([done (%group-take group)])
           (vector-set! results (car done)
                        (with-handlers ([(lambda (e) #t) (lambda (e) (%group-cancel group) (raise e))])
                          (%future-result (cdr done))))
           (loop pending next (- running 1)))]))))

;; map-async's gathering: an item whose model call fails for good does not stop the others, so
;; every success is kept (and journaled). Afterwards each failed item's value is
;; (on-error item exn) when #:on-error is given; without it one exn:fail:llm names every failed
;; item and carries the results (exn:llm-failures, exn:llm-partial-results). Any other error
;; cancels the items still running and is raised at once, unless #:on-error is given.
(define (%gather-settled who thunks items k on-error site)
  (let ([results (make-vector (length thunks) #f)] [inputs (list->vector items)] [group (%group-make)])
    (let loop ([pending thunks] [next 0] [running 0] [failures '()])
      (cond
        [(and (pair? pending) (or (not k) (< running k)))
         (%group-spawn group (car pending) next)
         (loop (cdr pending) (+ next 1) (+ running 1) failures)]
        [(= running 0)
         (cond [(null? failures) (vector->list results)]
               [on-error
                (for-each (lambda (f) (vector-set! results (car f) (on-error (vector-ref inputs (car f)) (cdr f))))
                          (reverse failures))
                (vector->list results)]
               [else (%fan-out-error who (reverse failures) (vector->list results) (length thunks) site)])]
        [else
         (%await-settled (%group-wait group))
         (let* ([done (%group-take group)] [i (car done)] [f (cdr done)])
           (if (%future-ok? f)
               (begin (vector-set! results i (%future-result f))
                      (loop pending next (- running 1) failures))
               (let ([e (with-handlers ([(lambda (e) #t) (lambda (e) e)]) (%future-result f))])
                 (if (or on-error (exn:llm? e))
                     (loop pending next (- running 1) (cons (cons i e) failures))
                     (begin (%group-cancel group) (raise e))))))]))))

(define (map-async fn items #:max-concurrent [max-concurrent 20] #:model [model ""] #:on-error [on-error #f])
  (let ([site (%call-site)])
    (%with-model model
      (lambda ()
        (%gather-settled 'map-async (map (lambda (item) (lambda () (%await-value (fn item)))) items) items
                         max-concurrent on-error site)))))

(define (parallel thunks #:max-concurrent [k #f])
  (%gather thunks k))

(define (race thunks)
  (when (null? thunks) (%fail "race: cannot race empty list"))
  (let loop ([active (map (lambda (t) (%spawn (lambda () (%await-value (t))))) thunks)])
    (let* ([i (%await-any-settled active)] [winner (list-ref active i)] [others (%remove-at active i)])
      (if (or (%future-ok? winner) (null? others))
          (begin (for-each %cancel others) (%future-result winner))
          (loop others)))))

(define (sequence . fns)
  (lambda (x) (let loop ([v x] [fs fns]) (if (null? fs) v (loop ((car fs) v) (cdr fs))))))

(define (fold-sequential f init items)
  (let loop ([acc init] [xs items]) (if (null? xs) acc (loop (f acc (car xs)) (cdr xs)))))

(define (%reduce-group f group)
  (%await-value
   (if (procedure-arity-includes? f (length group))
       (apply f group)
       (let loop ([acc (car group)] [xs (cdr group)])
         (if (null? xs) acc (loop (%await-value (f acc (car xs))) (cdr xs)))))))

(define (tree-reduce f items #:branch-factor [bf 5] #:leaf-fn [leaf identity] #:model [model ""])
  (when (null? items) (%fail "tree-reduce: cannot reduce empty list"))
  (unless (and (exact-integer? bf) (>= bf 2)) (raise-argument-error 'tree-reduce "(>=/c 2)" bf))
  (%with-model model
    (lambda ()
      (let level ([xs (%gather (map (lambda (x) (lambda () (%await-value (leaf x)))) items) #f)])
        (cond [(null? (cdr xs)) (car xs)]
              [(<= (length xs) bf) (%reduce-group f xs)]
              [else (level (%gather (map (lambda (g) (lambda () (if (null? (cdr g)) (car g) (%reduce-group f g))))
                                         (chunk xs bf))
                                    #f))])))))

(define (recursive-spawn strategy-thunk #:depth [depth 1])
  (lambda (data) (llm-query #:instruction (strategy-thunk) #:data data #:recursive #t)))

(define (fan-out-aggregate map-fn reduce-fn items #:max-concurrent [k 20] #:model [model ""] #:on-error [on-error #f])
  (reduce-fn (map-async map-fn items #:max-concurrent k #:model model #:on-error on-error)))

(define (iterate-until f pred init #:max-iter [n 10])
  (let loop ([v init] [i 0])
    (if (or (>= i n) (pred v)) v (loop (f v) (+ i 1)))))

(define (%text v) (if (syntax? v) (racket-syntax-e v) v))

(define (critique-refine gen crit refine #:max-iter [n 3] #:quality-threshold [t #f])
  (let loop ([draft (%await-value (gen))] [i 0])
    (if (>= i n)
        draft
        (let ([c (%await-value (crit draft))])
          (if (and t (string? (%text c)) (string-contains? (string-downcase (%text c)) "approved"))
              draft
              (loop (%await-value (refine draft c)) (+ i 1)))))))

(define (with-validation f valid?)
  (lambda args
    (let ([r (apply f args)])
      (if (valid? r) r (%fail "with-validation: validation failed")))))

(define (%tally results)
  (let loop ([rs results] [counts '()])
    (if (null? rs)
        (reverse counts)
        (let ([hit (assoc (car rs) counts)])
          (loop (cdr rs)
                (if hit
                    (map (lambda (c) (if (equal? (car c) (car rs)) (cons (car c) (+ (cdr c) 1)) c)) counts)
                    (cons (cons (car rs) 1) counts)))))))

(define (vote thunks #:method [method 'majority])
  (let* ([results (map (lambda (r) (%text (%await-value r))) (map (lambda (t) (t)) thunks))]
         [n (length results)]
         [counts (%tally results)])
    (case method
      [(majority)
       (let ([winner (findf (lambda (c) (> (cdr c) (/ n 2))) counts)])
         (if winner (car winner) (%fail "vote: no majority consensus")))]
      [(plurality)
       (when (null? counts) (%fail "vote: no majority consensus"))
       (let ([best (apply max (map cdr counts))])
         (car (findf (lambda (c) (= (cdr c) best)) counts)))]
      [(consensus)
       (if (and (pair? counts) (null? (cdr counts))) (caar counts) (%fail "vote: no consensus - strategies disagree"))]
      [else (%fail "vote: unknown method")])))

(define (ensemble thunks #:aggregator [agg #f])
  (let ([results (map (lambda (t) (%await-value (t))) thunks)])
    (if agg
        (agg results)
        (let loop ([rs results] [i 1] [parts '()])
          (if (null? rs)
              (string-join (reverse parts) "\\n\\n")
              (loop (cdr rs) (+ i 1) (cons (format "Model ~a:\\n~a" i (car rs)) parts)))))))

;; Applies f to every item (launching async calls together), then awaits each. With on-error, an
;; item whose call or await fails gets (on-error item exn) instead, and the others go on.
(define %failure-tag (list 'failure))
(define (%launch f x on-error)
  (if on-error
      (with-handlers ([(lambda (e) #t) (lambda (e) (cons %failure-tag e))]) (f x))
      (f x)))
(define (%settle x v on-error)
  (cond [(not on-error) (%await-value v)]
        [(and (pair? v) (eq? (car v) %failure-tag)) (on-error x (cdr v))]
        [else (with-handlers ([(lambda (e) #t) (lambda (e) (on-error x e))]) (%await-value v))]))
(define (%map-awaiting f items [on-error #f])
  (let ([launched (map (lambda (x) (%launch f x on-error)) items)])
    (map (lambda (x v) (%settle x v on-error)) items launched)))

(define (tiered cheap expensive items #:on-error [on-error #f])
  (%await-value (expensive (%map-awaiting cheap items on-error))))

(define (active-learning cheap expensive score items #:threshold [t 0.7] #:on-error [on-error #f])
  (let* ([cheap-results (%map-awaiting cheap items on-error)]
         [escalate (map (lambda (r) (< (score r) t)) cheap-results)]
         [launched (map (lambda (x e) (if e (%launch expensive x on-error) #f)) items escalate)])
    (map (lambda (c e x v) (if e (%settle x v on-error) c)) cheap-results escalate items launched)))

(define (memoized f #:key-fn [key-fn identity])
  (let ([cache (make-hash)])
    (lambda args
      (let ([k (key-fn args)])
        (if (hash-has-key? cache k)
            (hash-ref cache k)
            (let ([v (apply f args)]) (hash-set! cache k v) v))))))

(define (choose pred then else)
  (lambda args
    (if (if (procedure? pred) (apply pred args) pred) (apply then args) (apply else args))))

(define (try-fallback primary fallback)
  (lambda args
    (with-handlers ([exn:fail? (lambda (e) (apply fallback args))])
      (apply primary args))))
"""
}
