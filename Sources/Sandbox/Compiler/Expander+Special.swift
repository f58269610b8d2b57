/// The core special forms: quote, if, define, set!, lambda, begin, let family, case-lambda.
extension Expander {
    func expandSpecial(_ sf: SpecialForm, _ x: Value, _ scope: Scope, name: String?) throws -> Node {
        let parts = try elements(x, x, sf.rawValue)
        switch sf {
        case .quote:
            guard parts.count == 2 else { throw syntaxError("quote: wrong number of parts", x) }
            return .constant(strip(parts[1]))
        case .quasiquote:
            guard parts.count == 2 else { throw syntaxError("quasiquote: wrong number of parts", x) }
            return try expand(try quasi(parts[1], depth: 1, x), scope, name: name)
        case .unquote, .unquoteSplicing:
            throw syntaxError("\(sf.rawValue): not in quasiquote", x)
        case .if:
            if parts.count == 3 {
                throw syntaxError("if: missing an \"else\" expression (use `when` for a one-armed conditional)", x)
            }
            guard parts.count == 4 else {
                throw syntaxError("if: bad syntax (has \(parts.count - 1) parts after keyword)", x)
            }
            return .ifNode(try expand(parts[1], scope), try expand(parts[2], scope, name: name),
                           try expand(parts[3], scope, name: name))
        case .define:
            guard scope.isTopLevel else {
                throw syntaxError("define: not allowed in an expression context", x)
            }
            let (id, expr) = try parseDefine(x)
            guard case .symbol(let s) = id else { throw syntaxError("define: bad syntax", x) }
            let sym = baseSymbol(s)
            let cell = runtime.cell(sym)
            if cell.isProtected {
                throw SchemeError(.protectedBinding, "define: cannot redefine scaffold binding '\(sym.name)'", position: position(x))
            }
            // A user definition of a name that was syntax (say `when`) makes it a variable from now on.
            runtime.syntaxBindings[sym] = nil
            return .setGlobal(cell, try expand(expr, scope, name: sym.name), define: true)
        case .set:
            guard parts.count == 3, case .symbol(let s) = parts[1] else { throw syntaxError("set!: bad syntax", x) }
            switch resolve(s, scope) {
            case .local(let v):
                v.isAssigned = true
                noteReference(v, from: scope.function)
                return .setLocal(v, try expand(parts[2], scope))
            case .global(let g):
                let cell = globalCell(g)
                if cell.isProtected {
                    throw SchemeError(.protectedBinding, "set!: cannot modify scaffold binding '\(g.name)'", position: position(x))
                }
                return .setGlobal(cell, try expand(parts[2], scope), define: false)
            case .special, .macro:
                throw syntaxError("set!: cannot mutate syntax identifier", x)
            }
        case .lambda, .lambdaGreek:
            guard parts.count >= 3 else { throw syntaxError("lambda: bad syntax (missing body)", x) }
            return .lambda(try expandLambda(parts[1], Array(parts[2...]), scope, name: name, form: x))
        case .begin:
            guard parts.count >= 2 else { throw syntaxError("begin: empty form not allowed", x) }
            if scope.isTopLevel {
                // Reached only for a begin nested inside an expression at top level.
                return .sequence(try parts.dropFirst().map { try expand($0, scope) })
            }
            let nodes = try parts.dropFirst().map { try expand($0, scope) }
            return nodes.count == 1 ? nodes[0] : .sequence(nodes)
        case .let:
            return try expandLet(parts, x, scope, name: name)
        case .letStar:
            guard parts.count >= 3 else { throw syntaxError("let*: bad syntax", x) }
            let bindings = try elements(parts[1], x, "let*")
            if bindings.count <= 1 {
                return try expand(Value.list([Datum.sym("let"), parts[1]] + parts[2...]), scope, name: name)
            }
            let inner = Value.list([Datum.sym("let*"), Value.list(Array(bindings.dropFirst()))] + parts[2...])
            return try expand(Datum.list(Datum.sym("let"), Datum.list(bindings[0]), inner), scope, name: name)
        case .letrec, .letrecStar:
            guard parts.count >= 3 else { throw syntaxError("\(sf.rawValue): bad syntax", x) }
            if let node = try expandLetrec(parts, x, scope, selfReferences: true) { return node }
            return try expandLetrec(parts, x, scope, selfReferences: false)!
        case .defineSyntax, .defineSyntaxRule:
            let (sym, macro) = try parseMacroDefinition(x, sf, scope)
            if scope.isTopLevel {
                let base = baseSymbol(sym)
                if runtime.globals[base]?.isProtected == true {
                    throw SchemeError(.protectedBinding, "define-syntax: cannot redefine scaffold binding '\(base.name)'", position: position(x))
                }
                runtime.syntaxBindings[base] = .macro(macro)
                return .constant(.void)
            }
            throw syntaxError("define-syntax: not allowed in an expression context", x)
        case .letSyntax, .letrecSyntax:
            guard parts.count >= 3 else { throw syntaxError("\(sf.rawValue): bad syntax", x) }
            let inner = Scope(parent: scope, function: scope.function)
            for b in try elements(parts[1], x, sf.rawValue) {
                let bp = try elements(b, x, sf.rawValue)
                guard bp.count == 2, case .symbol(let s) = bp[0] else { throw syntaxError("\(sf.rawValue): bad binding", x) }
                inner.table[s] = .macro(try parseSyntaxRules(bp[1], name: s.name, sf == .letrecSyntax ? inner : scope, x))
            }
            return try expandBody(Array(parts[2...]), inner, x)
        case .caseLambda:
            var clauses: [Node] = []
            for clause in parts.dropFirst() {
                let cp = try elements(clause, x, "case-lambda")
                guard cp.count >= 2 else { throw syntaxError("case-lambda: bad clause", x) }
                clauses.append(.lambda(try expandLambda(cp[0], Array(cp[1...]), scope, name: name, form: x)))
            }
            return .call(.globalRef(globalCell(Symbol.intern("%make-case-lambda"))),
                         [.constant(name.map { .str($0) } ?? .false)] + clauses, keywords: [], position: position(x))
        case .defineValues:
            guard scope.isTopLevel else { throw syntaxError("define-values: not allowed in an expression context", x) }
            guard parts.count == 3 else { throw syntaxError("define-values: bad syntax", x) }
            let ids = try elements(parts[1], x, "define-values")
            var names: [Value] = []
            for id in ids {
                guard case .symbol(let s) = id else { throw syntaxError("define-values: expected identifiers", x) }
                let base = baseSymbol(s)
                if runtime.cell(base).isProtected {
                    throw SchemeError(.protectedBinding, "define: cannot redefine scaffold binding '\(base.name)'", position: position(x))
                }
                runtime.syntaxBindings[base] = nil
                names.append(.symbol(base))
            }
            // (%define-values-global '(a b) (lambda () expr))
            return .call(.globalRef(globalCell(Symbol.intern("call-with-values"))),
                         [try makeThunk(parts[2], scope),
                          .call(.globalRef(globalCell(Symbol.intern("%global-definer"))), [.constant(Value.list(names))],
                                keywords: [], position: nil)],
                         keywords: [], position: position(x))
        case .require:
            for spec in parts.dropFirst() {
                let text = Printer.display(strip(spec))
                if !Expander.availableModules.contains(text) {
                    throw SchemeError(.syntax, "require: module not available in the sandbox: \(text) (available: \(Expander.availableModules.sorted().joined(separator: ", ")))", position: position(x))
                }
            }
            return .constant(.void)
        case .syntaxRules:
            throw syntaxError("syntax-rules: only allowed as the transformer of define-syntax", x)
        default:
            return try expand(try expandDerived(sf, parts, x, scope), scope, name: name)
        }
    }

    /// Modules whose bindings the sandbox already provides; `require` of them is accepted.
    static let availableModules: Set<String> = [
        "racket", "racket/base", "racket/list", "racket/string", "racket/format", "racket/math",
        "racket/control", "racket/function", "racket/vector", "racket/hash", "racket/bool", "json",
    ]

    // MARK: let

    func expandLet(_ parts: [Value], _ x: Value, _ scope: Scope, name: String?) throws -> Node {
        guard parts.count >= 3 else { throw syntaxError("let: bad syntax (missing body)", x) }
        if case .symbol(let loopName) = parts[1] {
            // Named let: ((letrec ([name (lambda (var …) body …)]) name) init …)
            guard parts.count >= 4 else { throw syntaxError("let: bad syntax (missing body)", x) }
            let bindings = try elements(parts[2], x, "let")
            var vars: [Value] = []
            var inits: [Value] = []
            for b in bindings {
                let bp = try elements(b, x, "let")
                guard bp.count == 2 else { throw syntaxError("let: bad binding", x) }
                vars.append(bp[0]); inits.append(bp[1])
            }
            let lambda = Value.list([Datum.sym("lambda"), Value.list(vars)] + parts[3...])
            let letrec = Datum.list(Datum.sym("letrec"), Datum.list(Datum.list(.symbol(loopName), lambda)), .symbol(loopName))
            return try expand(Value.list([letrec] + inits), scope, name: name)
        }
        let bindings = try elements(parts[1], x, "let")
        let inner = Scope(parent: scope, function: scope.function)
        var vars: [LocalVar] = []
        var inits: [Node] = []
        for b in bindings {
            let bp = try elements(b, x, "let")
            guard bp.count == 2, case .symbol(let s) = bp[0] else { throw syntaxError("let: bad binding", x) }
            if inner.table[s] != nil { throw syntaxError("let: duplicate identifier \(baseSymbol(s).name)", x) }
            inits.append(try expand(bp[1], scope, name: baseSymbol(s).name))
            let v = scope.function.newLocal(s)
            inner.table[s] = .variable(v)
            vars.append(v)
        }
        let body = try expandBody(Array(parts[2...]), inner, x)
        return vars.isEmpty ? body : .bind(vars, inits, body)
    }

    /// `letrec`: the variables are in scope for the inits. A lambda init refers to its own name
    /// as the running closure (`selfReferences`), unless some variable is `set!` — then this
    /// returns nil and the caller expands again without that shortcut.
    func expandLetrec(_ parts: [Value], _ x: Value, _ scope: Scope, selfReferences: Bool) throws -> Node? {
        let name = Printer.display(strip(parts[0]))
        let bindings = try elements(parts[1], x, name)
        let inner = Scope(parent: scope, function: scope.function)
        var vars: [LocalVar] = []
        var exprs: [Value] = []
        for b in bindings {
            let bp = try elements(b, x, name)
            guard bp.count == 2, case .symbol(let s) = bp[0] else { throw syntaxError("\(name): bad binding", x) }
            let v = scope.function.newLocal(s)
            v.isLetrecBound = true
            v.needsInitCheck = true
            inner.table[s] = .variable(v)
            vars.append(v)
            exprs.append(bp[1])
        }
        var inits: [Node] = []
        for (v, e) in zip(vars, exprs) {
            let varName = baseSymbol(v.name).name
            if selfReferences, case .pair(let p) = e, case .symbol(let h) = p.car, case .special(let sf) = resolve(h, inner),
               sf == .lambda || sf == .lambdaGreek {
                let lp = try elements(e, e, "lambda")
                guard lp.count >= 3 else { throw syntaxError("lambda: bad syntax (missing body)", e) }
                inits.append(.lambda(try expandLambda(lp[1], Array(lp[2...]), inner, name: varName, form: e, selfVar: v)))
            } else {
                inits.append(try expand(e, inner, name: varName))
            }
        }
        let body = try expandBody(Array(parts[2...]), inner, x)
        if selfReferences && vars.contains(where: { $0.isAssigned }) { return nil }
        return .letrec(vars, inits, body)
    }

    // MARK: lambda

    func expandLambda(_ formals: Value, _ body: [Value], _ scope: Scope, name: String?, form: Value,
                      selfVar: LocalVar? = nil) throws -> LambdaInfo {
        let fn = FunctionState(parent: scope.function)
        fn.selfVar = selfVar
        let inner = Scope(parent: scope, function: fn)
        let info = LambdaInfo(function: fn, name: name)
        info.position = position(form)

        // Parse first, so frame slots follow the VM's layout: required, optional, rest, keywords.
        var required: [Symbol] = []
        var optional: [(Symbol, Value)] = []
        var keywords: [(Symbol, Symbol, Value?)] = []
        var rest: Symbol?
        var cur = formals
        var seen = Set<Symbol>()
        func note(_ s: Symbol) throws {
            if !seen.insert(s).inserted { throw syntaxError("lambda: duplicate argument name \(baseSymbol(s).name)", form) }
        }
        while true {
            switch cur {
            case .null: break
            case .symbol(let s): try note(s); rest = s
            case .pair(let p):
                switch p.car {
                case .symbol(let s):
                    if !optional.isEmpty { throw syntaxError("lambda: default-value expression missing for \(s.name) (after an optional argument)", form) }
                    try note(s); required.append(s)
                case .pair:
                    let bp = try elements(p.car, form, "lambda")
                    guard bp.count == 2, case .symbol(let s) = bp[0] else { throw syntaxError("lambda: bad optional argument", form) }
                    try note(s); optional.append((s, bp[1]))
                case .keyword(let k):
                    guard case .pair(let q) = p.cdr else { throw syntaxError("lambda: missing argument after keyword #:\(k.name)", form) }
                    if keywords.contains(where: { $0.0 === k }) { throw syntaxError("lambda: duplicate keyword #:\(k.name)", form) }
                    switch q.car {
                    case .symbol(let s): try note(s); keywords.append((k, s, nil))
                    case .pair:
                        let bp = try elements(q.car, form, "lambda")
                        guard bp.count == 2, case .symbol(let s) = bp[0] else { throw syntaxError("lambda: bad keyword argument", form) }
                        try note(s); keywords.append((k, s, bp[1]))
                    default: throw syntaxError("lambda: bad keyword argument", form)
                    }
                    cur = q.cdr
                    continue
                default:
                    throw syntaxError("lambda: not an identifier: \(Printer.write(strip(p.car)))", form)
                }
                cur = p.cdr
                continue
            default:
                throw syntaxError("lambda: bad argument sequence", form)
            }
            break
        }
        let reqVars = required.map { fn.newLocal($0) }
        let optVars = optional.map { fn.newLocal($0.0) }
        let restVar = rest.map { fn.newLocal($0) }
        let kwVars = keywords.map { fn.newLocal($0.1) }
        for (s, v) in zip(required, reqVars) { inner.table[s] = .variable(v) }
        info.required = reqVars
        for (i, (s, defaultExpr)) in optional.enumerated() {
            info.optional.append((optVars[i], try expand(defaultExpr, inner)))
            inner.table[s] = .variable(optVars[i])
        }
        if let rest, let restVar { inner.table[rest] = .variable(restVar); info.rest = restVar }
        for (i, (k, s, defaultExpr)) in keywords.enumerated() {
            let d = try defaultExpr.map { try expand($0, inner) }
            info.keywords.append((k, kwVars[i], defaultExpr == nil, d))
            inner.table[s] = .variable(kwVars[i])
        }
        info.body = try expandBody(body, inner, form)
        return info
    }
}
