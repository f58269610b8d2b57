/// The error a fan-out raises when some items fail for good (issue 12 item 6), and its accessors.
///
/// `(%fan-out-error who failures results n site)`: `failures` is a list of `(index . exn)` pairs,
/// `results` the fan-out's results in input order (#f at the failed indices). The raised
/// `exn:fail:llm` names every failed item (index, status, message) in its message; its status is
/// the first failure's, so `exn:llm-status` works as for one call.
/// `(exn:llm-failures e)` is the list of `(index status message)`, `(exn:llm-partial-results e)`
/// the results list (#f at failed items); both are `'()` / `#f` for an exn from a single call.
func registerFanOutErrorLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    // The user's line that called the fan-out (noted at the call, see `Code.modelCallEntries`),
    // captured when it starts: by the time items fail, later calls have noted other lines.
    lib.fn0("%call-site") {
        guard let site = rt.models.modelCallSite else { return .false }
        return .list([.str(site.source ?? ""), .int(site.line), .int(site.column)])
    }
    // (%fan-out-error who failures results n site)
    lib.fn("%fan-out-error", 5, 5) { a in
        let who = Printer.display(a[0])
        guard let failures = a[1].listToArray(), case .int(let total) = a[3] else {
            throw SchemeError(.internal, "%fan-out-error: malformed arguments")
        }
        var described: [Value] = []
        var lines: [String] = []
        var firstStatus: Value = .false
        for failure in failures {
            guard case .pair(let p) = failure, case .int(let index) = p.car else { continue }
            var status: Value = .false
            var message = Printer.display(p.cdr)
            if case .object(let o as ExnObject) = p.cdr {
                message = o.message
                status = o.fields["status"] ?? .false
            }
            if firstStatus.isFalse { firstStatus = status }
            described.append(.list([.int(index), status, .str(message)]))
            let statusText = status.isFalse ? "no status" : "status \(Printer.display(status))"
            lines.append("  item \(index): \(statusText): \(message)")
        }
        let succeeded = total - failures.count
        let message = "\(who): \(failures.count) of \(total) items failed (the other \(succeeded) succeeded; "
            + "their results are in (exn:llm-partial-results e), or pass #:on-error (lambda (item exn) ...) "
            + "to substitute a value):\n" + lines.joined(separator: "\n")
        var error = SchemeError(.llm, message)
        if let site = a[4].listToArray(), site.count == 3, case .string(let source) = site[0],
           case .int(let line) = site[1], case .int(let column) = site[2] {
            error.position = SourcePosition(line: line, column: column, source: source.string.isEmpty ? nil : source.string)
        }
        let fields: [String: Value] = ["status": firstStatus, "kind": .sym("fan-out"),
                                       "failures": .list(described), "partial-results": a[2]]
        error.payload = .object(ExnObject(kind: "exn:fail:llm", message: message, error: error, fields: fields))
        throw error
    }
    lib.fn1("exn:llm-failures") { e in
        guard case .object(let o as ExnObject) = e, o.isA("exn:fail:llm") else {
            throw SchemeError.contract("exn:llm-failures", expected: "exn:llm?", given: e)
        }
        return o.fields["failures"] ?? .null
    }
    lib.fn1("exn:llm-partial-results") { e in
        guard case .object(let o as ExnObject) = e, o.isA("exn:fail:llm") else {
            throw SchemeError.contract("exn:llm-partial-results", expected: "exn:llm?", given: e)
        }
        return o.fields["partial-results"] ?? .false
    }
}
