/// Scheme definitions of the core procedures that call other procedures (and so must run on the
/// VM, where fibers can suspend): call-with-values, exception dispatch, parameters, eval, …
enum PreludeCore {
    static let source = """
(define (%dispatch-exception exn handlers)
  (let loop ([hs handlers])
    (if (null? hs)
        (raise exn)
        (if ((car (car hs)) exn)
            ((cdr (car hs)) exn)
            (loop (cdr hs))))))

(define (make-parameter value [guard #f] [name #f])
  (%make-parameter value guard))

(define (%param-convert p v)
  (let ([guard (%parameter-guard p)])
    (if guard (guard v) v)))

(define (finish-var name) (finish (%global-ref name)))

(define (eval datum [namespace #f]) ((%compile datum)))

(define (unsafe-exec-sub-output code) ((%compile-sub-output code)))

;; dynamic-wind: the post thunk runs on normal return, on an exception, and when an escape
;; continuation made outside jumps out (call/ec below unwinds the active winders first).
(define %winders (make-parameter '()))

(define (dynamic-wind before thunk after)
  (before)
  (let ([results (with-handlers ([(lambda (e) #t) (lambda (e) (after) (raise e))])
                   (parameterize ([%winders (cons after (%winders))])
                     (call-with-values thunk list)))])
    (after)
    (apply values results)))

(define (%unwind-winders current target)
  (unless (or (eq? current target) (null? current))
    ((car current))
    (%unwind-winders (cdr current) target)))

(define (call/ec proc)
  (let ([winders (%winders)])
    (%call/ec
     (lambda (k)
       (proc (lambda vals
               (%unwind-winders (%winders) winders)
               (apply k vals)))))))

(define call-with-escape-continuation call/ec)

(define (with-output-to-string thunk)
  (let ([port (open-output-string)])
    (parameterize ([current-output-port port]) (thunk))
    (get-output-string port)))

(define (call-with-output-string proc)
  (let ([port (open-output-string)])
    (proc port)
    (get-output-string port)))
"""
}
