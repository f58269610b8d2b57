/// Reply objects of the JSON-lines protocol (reference §4.5). Field order is part of the wire
/// format: `status` first, then `result` and `stdout`, or `message`.
enum ProtocolReply {
    /// `{"status":"ok","result":<result>}`.
    static func ok(_ result: String) -> JSONValue {
        .object([("status", .string("ok")), ("result", .string(result))])
    }

    /// `{"status":"error","message":<message>}`.
    static func error(_ message: String) -> JSONValue {
        .object([("status", .string("error")), ("message", .string(message))])
    }

    /// The reply to `eval`: `{status, result, stdout}` for ok/finished, `{status, message}` on error.
    static func eval(_ r: EvalResult) -> JSONValue {
        switch r.status {
        case .ok, .finished:
            return .object([
                ("status", .string(r.status.rawValue)),
                ("result", .string(r.result)),
                ("stdout", .string(r.stdout)),
            ])
        case .error:
            return error(r.error?.message ?? "evaluation failed")
        }
    }

    /// A field that must be a string was something else: Racket's contract-violation wording.
    static func notAString(_ who: String, _ given: JSONValue) -> JSONValue {
        error(SchemeError.contract(who, expected: "string?", given: given.toScheme()).message)
    }
}
