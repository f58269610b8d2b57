/// Derived forms, rewritten into simpler Scheme before expansion continues.
/// Temporaries are uninterned symbols, so they never capture user names; the runtime helpers they
/// call have `%` names that are protected from redefinition.
extension Expander {
    func expandDerived(_ sf: SpecialForm, _ parts: [Value], _ x: Value, _ scope: Scope) throws -> Value {
        let S = Datum.sym
        switch sf {
        case .when, .unless:
            guard parts.count >= 3 else { throw syntaxError("\(sf.rawValue): bad syntax (missing body)", x) }
            let body = Value.list([Datum.sym("let"), .null] + parts[2...])
            return sf == .when ? Datum.list(S("if"), parts[1], body, Datum.list(S("void")))
                               : Datum.list(S("if"), parts[1], Datum.list(S("void")), body)
        case .and:
            if parts.count == 1 { return .true }
            if parts.count == 2 { return parts[1] }
            return Datum.list(S("if"), parts[1], Value.list([S("and")] + parts[2...]), .false)
        case .or:
            if parts.count == 1 { return .false }
            if parts.count == 2 { return parts[1] }
            let t = Value.symbol(gensym("or"))
            return Datum.list(S("let"), Datum.list(Datum.list(t, parts[1])),
                              Datum.list(S("if"), t, t, Value.list([S("or")] + parts[2...])))
        case .cond:
            return try expandCond(Array(parts.dropFirst()), x)
        case .case:
            return try expandCase(parts, x)
        case .do:
            return try expandDo(parts, x)
        case .parameterize:
            guard parts.count >= 3 else { throw syntaxError("parameterize: bad syntax", x) }
            // Each parameter expression is evaluated once; its guard (if any) converts the value.
            var temps: [Value] = []
            var params: [Value] = [S("list")]
            var values: [Value] = [S("list")]
            for b in try elements(parts[1], x, "parameterize") {
                let bp = try elements(b, x, "parameterize")
                guard bp.count == 2 else { throw syntaxError("parameterize: bad binding", x) }
                let p = Value.symbol(gensym("param"))
                temps.append(Datum.list(p, bp[0]))
                params.append(p)
                values.append(Datum.list(S("%param-convert"), p, bp[1]))
            }
            let thunk = Value.list([S("lambda"), .null] + parts[2...])
            return Datum.list(S("let"), Value.list(temps),
                              Datum.list(S("%call-with-parameterization"), Value.list(params), Value.list(values), thunk))
        case .withHandlers, .withHandlersStar:
            guard parts.count >= 3 else { throw syntaxError("with-handlers: bad syntax", x) }
            var handlers: [Value] = [S("list")]
            for clause in try elements(parts[1], x, "with-handlers") {
                let cp = try elements(clause, x, "with-handlers")
                guard cp.count == 2 else { throw syntaxError("with-handlers: bad clause (expected [predicate handler])", x) }
                handlers.append(Datum.list(S("cons"), cp[0], cp[1]))
            }
            let thunk = Value.list([S("lambda"), .null] + parts[2...])
            return Datum.list(S("%call-with-handlers"), Value.list(handlers), thunk)
        case .try:
            // (try EXPR on-error HANDLER): HANDLER gets the message of any exn:fail.
            guard parts.count == 4, isIdentifier(parts[2], "on-error") else {
                throw syntaxError("try: bad syntax (expected (try expr on-error handler))", x)
            }
            let e = Value.symbol(gensym("e"))
            let handler = Datum.list(S("lambda"), Datum.list(e), Datum.list(parts[3], Datum.list(S("exn-message"), e)))
            return Datum.list(S("%call-with-handlers"),
                              Datum.list(S("list"), Datum.list(S("cons"), S("exn:fail?"), handler)),
                              Datum.list(S("lambda"), .null, parts[1]))
        case .letEC:
            guard parts.count >= 3, case .symbol = parts[1] else { throw syntaxError("let/ec: bad syntax", x) }
            return Datum.list(S("call/ec"), Value.list([S("lambda"), Datum.list(parts[1])] + parts[2...]))
        case .begin0:
            guard parts.count >= 2 else { throw syntaxError("begin0: bad syntax", x) }
            let t = Value.symbol(gensym("v"))
            return Value.list([S("let"), Datum.list(Datum.list(t, parts[1]))] + parts[2...] + [t])
        case .letrecValues:
            // (letrec-values ([(id …) expr] …) body …) ≡ a body of define-values.
            guard parts.count >= 3 else { throw syntaxError("letrec-values: bad syntax", x) }
            var defs: [Value] = []
            for c in try elements(parts[1], x, "letrec-values") {
                let cp = try elements(c, x, "letrec-values")
                guard cp.count == 2 else { throw syntaxError("letrec-values: bad clause", x) }
                defs.append(Datum.list(S("define-values"), cp[0], cp[1]))
            }
            return Value.list([S("let"), .null] + defs + parts[2...])
        case .letValues, .letStarValues:
            guard parts.count >= 3 else { throw syntaxError("\(sf.rawValue): bad syntax", x) }
            let clauses = try elements(parts[1], x, sf.rawValue)
            var body = Value.list([S("let"), .null] + parts[2...])
            if sf == .letValues && clauses.count > 1 {
                // Parallel scope: bind fresh temporaries first, then the real names.
                var renames: [Value] = []
                var newClauses: [Value] = []
                for c in clauses {
                    let cp = try elements(c, x, sf.rawValue)
                    guard cp.count == 2 else { throw syntaxError("let-values: bad clause", x) }
                    let ids = try elements(cp[0], x, sf.rawValue)
                    let temps = ids.map { _ in Value.symbol(gensym("lv")) }
                    for (id, t) in zip(ids, temps) { renames.append(Datum.list(id, t)) }
                    newClauses.append(Datum.list(Value.list(temps), cp[1]))
                }
                body = Value.list([S("let"), Value.list(renames)] + parts[2...])
                for c in newClauses.reversed() {
                    let cp = c.listToArray()!
                    body = receive(cp[0], cp[1], body)
                }
                return body
            }
            for c in clauses.reversed() {
                let cp = try elements(c, x, sf.rawValue)
                guard cp.count == 2 else { throw syntaxError("\(sf.rawValue): bad clause", x) }
                body = receive(cp[0], cp[1], body)
            }
            return body
        case .structCopy:
            // (struct-copy id expr [field value] …)
            guard parts.count >= 3, case .symbol(let sid) = parts[1] else { throw syntaxError("struct-copy: bad syntax", x) }
            let name = baseSymbol(sid).name
            guard let fields = runtime.structFields[name] else { throw syntaxError("struct-copy: not a structure type: \(name)", x) }
            var updates: [String: Value] = [:]
            for u in parts.dropFirst(3) {
                let up = try elements(u, x, "struct-copy")
                guard up.count == 2, case .symbol(let f) = up[0], fields.contains(baseSymbol(f).name) else {
                    throw syntaxError("struct-copy: bad field update", x)
                }
                updates[baseSymbol(f).name] = up[1]
            }
            let tmp = Value.symbol(gensym("s"))
            let args = fields.map { updates[$0] ?? Datum.list(S(name + "-" + $0), tmp) }
            return Datum.list(S("let"), Datum.list(Datum.list(tmp, parts[2])), Value.list([S(name)] + args))
        case .struct, .defineStruct:
            if !scope.isTopLevel { throw syntaxError("\(sf.rawValue): not allowed in an expression context", x) }
            return try expandStruct(x, sf)
        default:
            if let kind = ForKind(sf) { return try expandFor(kind, parts, x) }
            throw syntaxError("\(sf.rawValue): bad syntax", x)
        }
    }

    /// `(call-with-values (lambda () expr) (lambda ids body))`, checking the count when `ids` is a
    /// proper list (so a mismatch is Racket's "result arity mismatch").
    private func receive(_ ids: Value, _ expr: Value, _ body: Value) -> Value {
        let S = Datum.sym
        let producer = Datum.list(S("lambda"), .null, expr)
        let consumer = Datum.list(S("lambda"), ids, body)
        if let list = ids.listToArray() {
            return Datum.list(S("%receive-values"), .int(list.count), producer, consumer)
        }
        return Datum.list(S("call-with-values"), producer, consumer)
    }

    private func expandCond(_ clauses: [Value], _ x: Value) throws -> Value {
        let S = Datum.sym
        guard let first = clauses.first else { return Datum.list(S("void")) }
        let cp = try elements(first, x, "cond")
        guard !cp.isEmpty else { throw syntaxError("cond: bad clause (empty)", x) }
        let rest = Array(clauses.dropFirst())
        if isIdentifier(cp[0], "else") {
            guard rest.isEmpty else { throw syntaxError("cond: `else` clause must be last", x) }
            guard cp.count >= 2 else { throw syntaxError("cond: missing expressions in `else' clause", x) }
            return Value.list([S("let"), .null] + cp[1...])
        }
        let restExpr = try expandCond(rest, x)
        if cp.count == 1 {
            let t = Value.symbol(gensym("c"))
            return Datum.list(S("let"), Datum.list(Datum.list(t, cp[0])), Datum.list(S("if"), t, t, restExpr))
        }
        if cp.count == 3, isIdentifier(cp[1], "=>") {
            let t = Value.symbol(gensym("c"))
            return Datum.list(S("let"), Datum.list(Datum.list(t, cp[0])),
                              Datum.list(S("if"), t, Datum.list(cp[2], t), restExpr))
        }
        return Datum.list(S("if"), cp[0], Value.list([S("let"), .null] + cp[1...]), restExpr)
    }

    private func expandCase(_ parts: [Value], _ x: Value) throws -> Value {
        let S = Datum.sym
        guard parts.count >= 2 else { throw syntaxError("case: bad syntax", x) }
        let t = Value.symbol(gensym("key"))
        var expr: Value = Datum.list(S("void"))
        for clause in parts.dropFirst(2).reversed() {
            let cp = try elements(clause, x, "case")
            guard cp.count >= 2 else { throw syntaxError("case: bad clause", x) }
            let body: Value
            if cp.count == 3, isIdentifier(cp[1], "=>") { body = Datum.list(cp[2], t) }
            else { body = Value.list([S("let"), .null] + cp[1...]) }
            if isIdentifier(cp[0], "else") { expr = body; continue }
            let data = strip(cp[0])
            guard data.listToArray() != nil else { throw syntaxError("case: bad clause (datums must be a list)", x) }
            expr = Datum.list(S("if"), Datum.list(S("%case-member"), t, Datum.quote(data)), body, expr)
        }
        return Datum.list(S("let"), Datum.list(Datum.list(t, parts[1])), expr)
    }

    private func expandDo(_ parts: [Value], _ x: Value) throws -> Value {
        let S = Datum.sym
        guard parts.count >= 3 else { throw syntaxError("do: bad syntax", x) }
        let specs = try elements(parts[1], x, "do")
        let test = try elements(parts[2], x, "do")
        guard !test.isEmpty else { throw syntaxError("do: missing test", x) }
        let loop = Value.symbol(gensym("do-loop"))
        var bindings: [Value] = []
        var steps: [Value] = []
        for spec in specs {
            let sp = try elements(spec, x, "do")
            guard sp.count == 2 || sp.count == 3 else { throw syntaxError("do: bad variable clause", x) }
            bindings.append(Datum.list(sp[0], sp[1]))
            steps.append(sp.count == 3 ? sp[2] : sp[0])
        }
        let result: Value = test.count > 1 ? Value.list([S("let"), .null] + test[1...]) : Datum.list(S("void"))
        let body = Value.list([S("begin")] + parts[3...] + [Value.list([loop] + steps)])
        let bodyOrVoid = parts.count > 3 ? body : Value.list([loop] + steps)
        return Datum.list(S("let"), loop, Value.list(bindings), Datum.list(S("if"), test[0], result, bodyOrVoid))
    }

    // MARK: quasiquote

    func quasi(_ t: Value, depth: Int, _ form: Value) throws -> Value {
        let S = Datum.sym
        switch t {
        case .pair(let p):
            if isIdentifier(p.car, "unquote") {
                let args = try elements(p.cdr, form, "unquote")
                guard args.count == 1 else { throw syntaxError("unquote: expects exactly one expression", form) }
                if depth == 1 { return args[0] }
                return Datum.list(S("%list"), Datum.quote(S("unquote")), try quasi(args[0], depth: depth - 1, form))
            }
            if isIdentifier(p.car, "quasiquote") {
                let args = try elements(p.cdr, form, "quasiquote")
                guard args.count == 1 else { throw syntaxError("quasiquote: bad syntax", form) }
                return Datum.list(S("%list"), Datum.quote(S("quasiquote")), try quasi(args[0], depth: depth + 1, form))
            }
            if case .pair(let head) = p.car, isIdentifier(head.car, "unquote-splicing") {
                let args = try elements(head.cdr, form, "unquote-splicing")
                guard args.count == 1 else { throw syntaxError("unquote-splicing: expects exactly one expression", form) }
                let rest = try quasi(p.cdr, depth: depth, form)
                if depth == 1 { return Datum.list(S("%append"), args[0], rest) }
                return Datum.list(S("%cons"), Datum.list(S("%list"), Datum.quote(S("unquote-splicing")),
                                                          try quasi(args[0], depth: depth - 1, form)), rest)
            }
            if !containsUnquote(t) { return Datum.quote(t) }
            return Datum.list(S("%cons"), try quasi(p.car, depth: depth, form), try quasi(p.cdr, depth: depth, form))
        case .vector(let v):
            if !containsUnquote(t) { return Datum.quote(t) }
            return Datum.list(S("%list->vector"), try quasi(Value.list(v.items), depth: depth, form))
        default:
            return Datum.quote(t)
        }
    }

    private func containsUnquote(_ t: Value) -> Bool {
        var work = [t]
        while let x = work.popLast() {
            switch x {
            case .pair(let p):
                if isIdentifier(p.car, "unquote") || isIdentifier(p.car, "unquote-splicing") { return true }
                work.append(p.car); work.append(p.cdr)
            case .vector(let v): work.append(contentsOf: v.items)
            default: break
            }
        }
        return false
    }

    // MARK: struct

    /// `(struct name [parent] (field …) option …)` → one define-values of constructor, type,
    /// predicate, accessors and (for mutable fields) mutators.
    func expandStruct(_ x: Value, _ sf: SpecialForm) throws -> Value {
        let S = Datum.sym
        let parts = try elements(x, x, sf.rawValue)
        guard parts.count >= 3, case .symbol(let rawName) = parts[1] else { throw syntaxError("\(sf.rawValue): bad syntax", x) }
        let name = baseSymbol(rawName).name
        var index = 2
        var parent: Value = .false
        if case .symbol(let p) = parts[2] {
            parent = S("struct:" + baseSymbol(p).name)
            index = 3
        }
        guard index < parts.count else { throw syntaxError("\(sf.rawValue): missing fields", x) }
        let fieldSpecs = try elements(parts[index], x, sf.rawValue)
        var transparent = false
        var prefab = false
        var allMutable = false
        var autoValue: Value = .false
        var guardExpr: Value?
        var procedureExpr: Value?
        var constructorName: String?
        var extraConstructorName: String?
        var options = parts[(index + 1)...].makeIterator()
        while let opt = options.next() {
            guard case .keyword(let k) = opt else { throw syntaxError("\(sf.rawValue): bad option", x) }
            switch k.name {
            case "transparent": transparent = true
            case "prefab": transparent = true; prefab = true
            case "mutable": allMutable = true
            case "auto-value": autoValue = options.next() ?? .false
            case "guard": guardExpr = options.next()
            case "constructor-name":
                guard case .symbol(let n)? = options.next() else { throw syntaxError("\(sf.rawValue): bad #:constructor-name", x) }
                constructorName = baseSymbol(n).name
            case "extra-constructor-name":
                guard case .symbol(let n)? = options.next() else { throw syntaxError("\(sf.rawValue): bad #:extra-constructor-name", x) }
                extraConstructorName = baseSymbol(n).name
            case "property":
                let prop = options.next() ?? .false
                let value = options.next() ?? .false
                if isIdentifier(prop, "prop:procedure") { procedureExpr = value }
            case "methods", "name", "inspector", "super", "reflection-name", "authentic", "sealed", "omit-define-syntaxes":
                if k.name != "authentic" && k.name != "sealed" && k.name != "omit-define-syntaxes" { _ = options.next() }
            default:
                throw syntaxError("\(sf.rawValue): unsupported option #:\(k.name)", x)
            }
        }
        var fields: [String] = []
        var mutableFlags: [Value] = []
        var autoFlags: [Value] = []
        func hasKeyword(_ items: ArraySlice<Value>, _ name: String) -> Bool {
            items.contains { if case .keyword(let k) = $0 { return k.name == name }; return false }
        }
        for f in fieldSpecs {
            switch f {
            case .symbol(let s):
                fields.append(baseSymbol(s).name); mutableFlags.append(.bool(allMutable)); autoFlags.append(.false)
            case .pair:
                let fp = try elements(f, x, sf.rawValue)
                guard case .symbol(let s) = fp.first ?? .null else { throw syntaxError("\(sf.rawValue): bad field", x) }
                fields.append(baseSymbol(s).name)
                mutableFlags.append(.bool(allMutable || hasKeyword(fp.dropFirst(), "mutable")))
                autoFlags.append(.bool(hasKeyword(fp.dropFirst(), "auto")))
            default: throw syntaxError("\(sf.rawValue): bad field", x)
            }
        }
        runtime.structFields[name] = fields
        let ctorName = constructorName ?? (sf == .defineStruct ? "make-" + name : name)
        let rawCtor = guardExpr == nil ? S(ctorName) : Value.symbol(gensym("raw-" + name))
        var ids: [Value] = [rawCtor, S("struct:" + name), S(name + "?")]
        ids += fields.map { S(name + "-" + $0) }
        for (f, m) in zip(fields, mutableFlags) where m.isTrue { ids.append(S("set-\(name)-\(f)!")) }
        let call = Datum.list(S("%make-struct-type"), Datum.quote(S(name)), parent,
                              Datum.quote(Value.list(fields.map { S($0) })), .bool(transparent),
                              Datum.quote(Value.list(mutableFlags)), Datum.quote(Value.list(autoFlags)), autoValue,
                              .bool(prefab), procedureExpr ?? .false)
        var forms: [Value] = [Datum.list(S("define-values"), Value.list(ids), call)]
        if let guardExpr {
            // (define name (lambda args (call-with-values (lambda () (apply guard (append args (list 'name)))) raw)))
            let args = Value.symbol(gensym("args"))
            forms.append(Datum.list(S("define"), S(ctorName),
                Datum.list(S("lambda"), args,
                    Datum.list(S("call-with-values"),
                        Datum.list(S("lambda"), .null, Datum.list(S("apply"), guardExpr,
                            Datum.list(S("%append"), args, Datum.list(S("%list"), Datum.quote(S(name)))))),
                        rawCtor))))
        }
        if let extraConstructorName { forms.append(Datum.list(S("define"), S(extraConstructorName), S(ctorName))) }
        if constructorName != nil && sf != .defineStruct {
            // `name` itself still names the struct (e.g. for struct-copy and match); bind it too.
            forms.append(Datum.list(S("define"), S(name), S(ctorName)))
        }
        return forms.count == 1 ? forms[0] : Value.list([S("begin")] + forms)
    }
}
