/// The keyword procedures of callback mode (reference §2.1, §2.1a, §4.8), installed over the
/// native ones of `PreludeModels` by `installCallbackMode`. They take the same keywords and hand
/// the work to the `%cb-` primitives of `CallbackModels`, which write the callback lines.
///
/// Only special forms, the user's `fn` and `%` names (which no user definition can replace) are
/// called here, so redefining `map` or `car` cannot break them.
enum PreludeCallback {
    static let source = """
(define (llm-query #:instruction [instruction ""] #:data [data ""] #:model [model ""] #:recursive [recursive #f]
                   #:temperature [temperature #f] #:max-tokens [max-tokens #f] #:json [json #f]
                   #:image [image #f] #:images [images '()])
  (%cb-llm-query 'syntax instruction data model recursive temperature max-tokens json image images))

(define (unsafe-raw-query #:instruction [instruction ""] #:data [data ""] #:model [model ""] #:recursive [recursive #f]
                          #:temperature [temperature #f] #:max-tokens [max-tokens #f] #:json [json #f]
                          #:image [image #f] #:images [images '()])
  (%cb-llm-query 'raw instruction data model recursive temperature max-tokens json image images))

(define (llm-query-async #:instruction [instruction ""] #:data [data ""] #:model [model ""] #:recursive [recursive #f]
                         #:temperature [temperature #f] #:max-tokens [max-tokens #f] #:json [json #f]
                         #:image [image #f] #:images [images '()])
  (%cb-llm-query 'async instruction data model recursive temperature max-tokens json image images))

(define (map-async fn items #:max-concurrent [max-concurrent 20] #:model [model ""] #:on-error [on-error #f])
  (parameterize ([%model-override (%cb-map-model model)])
    (if on-error
        (%cb-map-settled fn items max-concurrent on-error)
        (%cb-map-all-or-nothing fn items max-concurrent))))

;; The original's wire sequence (reference §2.1a): one failure ends the whole map-async.
(define (%cb-map-all-or-nothing fn items max-concurrent)
  (let ([state (%cb-map-start items max-concurrent)])
    (let launch ()
      (when (%cb-map-launching? state)
        (%cb-map-launched state (fn (%cb-map-next-item state)))
        (launch)))
    (%cb-map-check-first state)
    (if (%cb-map-windowed? state)
        (let drain ()
          (if (%cb-map-active? state)
              (begin
                (when (%cb-map-await-any state)
                  (%cb-map-launched state (fn (%cb-map-next-item state))))
                (drain))
              (%cb-map-results state)))
        (%cb-map-await-all state))))

;; With #:on-error the host's batch and await-any replies cannot say which item failed, so each
;; launched item is awaited on its own (an `await` line, oldest first, at most max-concurrent in flight):
;; a failure, in fn or in the await, is that item's, and (on-error item exn) stands in for it.
(define (%cb-map-settled fn items max-concurrent on-error)
  (unless (list? items) (raise-argument-error 'map-async "list?" items))
  (unless (or (not max-concurrent) (exact-positive-integer? max-concurrent))
    (raise-argument-error 'map-async "(or/c #f exact-positive-integer?) for #:max-concurrent" max-concurrent))
  (let ([launch (lambda (x) (with-handlers ([(lambda (e) #t) (lambda (e) (cons #f e))]) (cons #t (fn x))))]
        [settle (lambda (x launched)
                  (cond [(not (car launched)) (on-error x (cdr launched))]
                        [(string? (cdr launched)) (cdr launched)]
                        [else (with-handlers ([(lambda (e) #t) (lambda (e) (on-error x e))]) (%cb-await-text (cdr launched)))]))])
    (let loop ([pending items] [in-flight '()] [count 0] [results '()])
      (cond [(and (pair? pending) (or (not max-concurrent) (< count max-concurrent)))
             (loop (cdr pending) (append in-flight (list (cons (car pending) (launch (car pending))))) (+ count 1) results)]
            [(null? in-flight) (reverse results)]
            [else (let ([oldest (car in-flight)])
                    (loop pending (cdr in-flight) (- count 1) (cons (settle (car oldest) (cdr oldest)) results)))]))))
"""
}
