/// Callback mode (reference §1, §4.8): the host process that drives `sandbox-server` owns the
/// model calls, as the original `racket_server.rkt` expects. These primitives replace the native
/// model procedures of `ModelLibrary` in a session made with a `CallbackChannel`; each writes the
/// exact callback line of §4.8 and, for blocking operations, reads exactly one reply line.
///
/// Budgets keep the original's charge-on-reply semantics (§2.6): nothing is reserved at
/// dispatch; after each reply or awaited result, prompt + completion tokens are taken from the
/// innermost `token-budget`.
extension Evaluator {
    /// Installs callback mode over the native model procedures: the primitives below, then the
    /// keyword procedures of `PreludeCallback`. All stay builtins (protected, never user
    /// variables).
    func installCallbackMode(_ channel: CallbackChannel) throws {
        let models = CallbackModels(runtime: runtime, channel: channel)
        runtime.models.hostWaitSeconds = { [unowned channel] in channel.waitedSeconds }
        let lib = LibraryBuilder(runtime: runtime)
        models.registerCalls(lib)
        models.registerAccounting(lib)
        models.registerMapAsync(lib)
        var defined: [Symbol] = []
        for form in PreludeSplitter.split(PreludeCallback.source) {
            guard let name = form.procedureName else {
                throw SchemeError(.internal, "callback prelude form is not a procedure definition: \(form.text.prefix(60))")
            }
            // In both namespaces: the library's own code (map-async, the combinators) calls these too.
            runtime.defineBuiltin(name, try compileProcedureDefinition(String(form.text)))
            defined.append(Symbol.intern(name))
        }
        for name in defined { runtime.cell(name).isBuiltin = true }
        // A lazily loaded native definition of a name replaced here must never load.
        for (name, _) in runtime.lazyDefinitions where runtime.globals[name]?.value.isMissing == false {
            runtime.lazyDefinitions[name] = nil
        }
        for (sym, cell) in runtime.globals where sym.name.hasPrefix("%cb-") { cell.isProtected = true }
    }
}

/// The callback-mode primitives of one runtime, over one channel.
struct CallbackModels {
    let runtime: Runtime
    let channel: CallbackChannel

    // MARK: Model calls

    func registerCalls(_ lib: LibraryBuilder) {
        // (%cb-llm-query mode instruction data model recursive temperature max-tokens json image images)
        // mode: 'syntax (llm-query), 'raw (unsafe-raw-query) or 'async (llm-query-async).
        lib.fn("%cb-llm-query", 10, 10) { a in try query(a) }

        lib.fn1("await") { h in
            guard let id = asyncHandleID(h) else {
                throw SchemeError(.user, "await: expected an async handle from llm-query-async")
            }
            return wrap(try awaitOne(id))
        }
        // (%cb-await-text handle) → the reply as a plain string, as map-async's results are.
        lib.fn1("%cb-await-text") { h in
            guard let id = asyncHandleID(h) else { throw SchemeError(.user, "map-async: expected async handles") }
            return .str(try awaitOne(id))
        }
        lib.fn1("await-all") { hs in try awaitBatch(hs, who: "await-all", syntax: false) }
        lib.fn1("await-all-syntax") { hs in try awaitBatch(hs, who: "await-all-syntax", syntax: true) }
        lib.fn1("await-any") { hs in
            guard let items = hs.listToArray() else { throw SchemeError(.user, "await-any: expected async handles") }
            if items.isEmpty { throw SchemeError(.user, "await-any: cannot await-any on empty list") }
            let ids = try items.map { h in
                guard let id = asyncHandleID(h) else { throw SchemeError(.user, "await-any: expected async handles") }
                return id
            }
            let done = try awaitAny(ids)
            return .object(MultipleValues([.str(done.text), .list(done.remaining.map(Self.handle))]))
        }
        // The combinators' "await a handle if it is one" (native `%await-value`), as plain text.
        lib.fn1("%await-value") { v in
            guard let id = asyncHandleID(v) else { return v }
            return .str(try awaitOne(id))
        }
    }

    /// `llm-query`, `unsafe-raw-query` and `llm-query-async` (reference §2.1, §4.8).
    private func query(_ a: Arguments) throws -> Value {
        let mode = a[0].symbolValue?.name ?? "syntax"
        let async = mode == "async"
        let who = async ? "llm-query-async" : "llm-query"
        if async, a[4].isTrue {
            throw SchemeError(.user, "llm-query-async: #:recursive is not supported with async calls. Use synchronous llm-query for recursive delegation with #:recursive #t")
        }
        let instruction = try Self.text(a[1], who: who, keyword: "instruction")
        let json = a[7].isTrue
        if json, !instruction.lowercased().contains("json") {
            throw SchemeError(.user, "\(who): #:json #t requires the word 'json' in #:instruction (OpenAI API requirement). Example: \"Return a JSON object with keys: ...\"")
        }
        let data = try Self.data(a[2], who: who)
        var model = try Self.text(a[3], who: who, keyword: "model")
        if model.isEmpty, case .string(let s) = runtime.parameterValue(runtime.models.modelOverride) { model = s.string }
        var optional: [(String, JSONValue)] = []
        if a[5].isTrue { optional.append(("temperature", try JSONValue.fromScheme(a[5], who: who))) }
        if a[6].isTrue { optional.append(("max_tokens", try JSONValue.fromScheme(a[6], who: who))) }
        guard var images = a[9].listToArray() else { throw SchemeError.contract(who, expected: "list? for #:images", given: a[9]) }
        if a[8].isTrue { images.insert(a[8], at: 0) }
        if !images.isEmpty { optional.append(("images", .array(try images.map { try JSONValue.fromScheme($0, who: who) }))) }

        if async {
            let id = channel.makeHandleID()
            try channel.notify("llm-query-async", [("id", .string(id)), ("instruction", .string(instruction)), ("data", data),
                                                   ("model", .string(model)), ("json_mode", .bool(json))] + optional)
            return Self.handle(id)
        }
        let reply = try channel.exchange("llm-query", [("instruction", .string(instruction)), ("data", data), ("model", .string(model)),
                                                      ("recursive", .bool(a[4].isTrue)), ("budget", budgetJSON()),
                                                      ("json_mode", .bool(json))] + optional)
        let (text, prompt, completion) = reply.modelResult
        let excerpt = String(text.unicodeScalars.prefix(60).map(Character.init))
        runtime.log("llm-query", "\(prompt + completion) tokens (\(prompt) in, \(completion) out): \(excerpt)", scope: "sub-call")
        try charge(prompt + completion)
        return mode == "raw" ? .str(text) : wrap(text)
    }

    /// `await` of one id: logs it, charges it, returns the text.
    private func awaitOne(_ id: String) throws -> String {
        let (text, prompt, completion) = try channel.exchange("await", [("id", .string(id))]).modelResult
        runtime.log("llm-query-async", "await \(id): \(prompt + completion) tokens", scope: "sub-call")
        try charge(prompt + completion)
        return text
    }

    /// `await-all` / `await-all-syntax`: every handle validated first, then one `await-batch`
    /// with their ids in list order; results are paired with the ids positionally, so a shorter
    /// `results` array gives a shorter list (§4.8). Plain strings pass through unchanged (§11),
    /// so `map-async` results can be handed on.
    func awaitBatch(_ hs: Value, who: String, syntax: Bool) throws -> Value {
        let message = "\(who): expected async handles"
        guard let items = hs.listToArray() else { throw SchemeError(.user, message) }
        let ids = try items.compactMap { item -> String? in
            if let id = asyncHandleID(item) { return id }
            if case .string = item { return nil }
            throw SchemeError(.user, message)
        }
        var texts: [String] = []
        if !ids.isEmpty {
            let results = try channel.exchange("await-batch", [("ids", .array(ids.map { .string($0) }))]).list("results")
            for (result, id) in zip(results, ids) {
                let (text, prompt, completion) = CallbackReply(object: result).modelResult
                runtime.log("llm-query-async", "await \(id): \(prompt + completion) tokens", scope: "sub-call")
                try charge(prompt + completion)
                texts.append(text)
            }
        }
        var out: [Value] = []
        var next = texts.makeIterator()
        for item in items {
            if case .string = item { out.append(item); continue }
            guard let text = next.next() else { break }
            out.append(syntax ? wrap(text) : .str(text))
        }
        return .list(out)
    }

    /// One `await-any` round trip on `ids`: the finished id, its text (logged and charged) and
    /// the remaining ids in reply order. A reply with `error` raises `await-any: <error>`.
    func awaitAny(_ ids: [String]) throws -> (id: String, text: String, remaining: [String]) {
        let reply = try channel.exchange("await-any", [("ids", .array(ids.map { .string($0) }))])
        let id = reply.text("completed_id")
        let (text, prompt, completion) = reply.modelResult
        runtime.log("llm-query-async", "await-any \(id): \(prompt + completion) tokens", scope: "sub-call")
        try charge(prompt + completion)
        return (id, text, reply.list("remaining_ids").map(CallbackReply.display))
    }

    // MARK: Budget (reference §2.6)

    /// Takes `tokens` from the innermost `token-budget` when it is finite; a result below 0 is
    /// `llm-query: token budget exceeded` (the call is already paid for) and leaves it unchanged.
    func charge(_ tokens: Int) throws {
        let binding = runtime.currentFiber?.parameters.last { $0.parameter === runtime.models.tokenBudget }
        let current = binding?.value ?? runtime.models.tokenBudget.globalValue
        guard Self.isFiniteReal(current) else { return }
        let left = try Arithmetic.sub(current, .int(tokens))
        guard let sign = try Arithmetic.compare(left, .int(0), who: "token-budget"), sign >= 0 else {
            throw SchemeError(.budgetExceeded, "llm-query: token budget exceeded")
        }
        if let binding { binding.value = left } else { runtime.models.tokenBudget.globalValue = left }
    }

    /// The `budget` field: the current budget when finite, else null.
    private func budgetJSON() -> JSONValue {
        let b = runtime.parameterValue(runtime.models.tokenBudget)
        guard Self.isFiniteReal(b) else { return .null }
        if let json = try? JSONValue.fromScheme(b, who: "llm-query") { return json }
        return (try? b.asDouble("llm-query")).map { .double($0) } ?? .null
    }

    private static func isFiniteReal(_ v: Value) -> Bool {
        if case .double(let d) = v { return d.isFinite }
        return Arithmetic.isReal(v)
    }

    // MARK: Values

    /// Wraps reply text as a syntax object, logging `datum->syntax` as the original's wrapper does.
    func wrap(_ text: String) -> Value {
        runtime.log("datum->syntax", text)
        return .object(SyntaxObject(.str(text)))
    }

    /// The handle `(async-handle "pending_N")`.
    static func handle(_ id: String) -> Value {
        .list([.sym("async-handle"), .str(id)])
    }

    /// `#:instruction` / `#:model`: a string, or a syntax object wrapping one (as natively).
    private static func text(_ v: Value, who: String, keyword: String) throws -> String {
        try textArgument(v, who: who, keyword: keyword)
    }

    /// `#:data`: any JSON value; a syntax object wrapping a string is sent as that string.
    private static func data(_ v: Value, who: String) throws -> JSONValue {
        if case .object(let o as SyntaxObject) = v, case .string(let s) = o.datum { return .string(s.string) }
        return try JSONValue.fromScheme(v, who: who)
    }
}
