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

(define (map-async fn items #:max-concurrent [max-concurrent 20] #:model [model ""])
  (parameterize ([%model-override (%cb-map-model model)])
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
          (%cb-map-await-all state)))))
"""
}
