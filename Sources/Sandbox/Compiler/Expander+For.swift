/// Racket's `for` family, rewritten into named-let loops.
///
/// Every variant is a fold: `for/list` folds with `cons` then reverses, `for/sum` with `+`, …;
/// `for/first`, `for/and` and `for/or` leave early through an escape continuation.
enum ForKind {
    case plain, list, fold, sum, product, first, last, and, or, hash, hasheq, vector, count

    init?(_ sf: SpecialForm) {
        switch sf {
        case .for, .forStar: self = .plain
        case .forList, .forStarList: self = .list
        case .forFold, .forStarFold: self = .fold
        case .forSum, .forStarSum: self = .sum
        case .forProduct, .forStarProduct: self = .product
        case .forFirst, .forStarFirst: self = .first
        case .forLast, .forStarLast: self = .last
        case .forAnd, .forStarAnd: self = .and
        case .forOr, .forStarOr: self = .or
        case .forHash, .forStarHash: self = .hash
        case .forHasheq: self = .hasheq
        case .forVector, .forStarVector: self = .vector
        case .forCount, .forStarCount: self = .count
        default: return nil
        }
    }
}

extension Expander {
    private enum ForGroup {
        case bindings([(ids: [Value], sequence: Value)])
        case when(Value)
        case unless(Value)
        /// Stop before this iteration's body when the guard holds.
        case stop(Value)
        /// Run this iteration, then stop, when the guard holds.
        case final(Value)
    }

    func expandFor(_ kind: ForKind, _ parts: [Value], _ x: Value) throws -> Value {
        let S = Datum.sym
        let head = Printer.display(strip(parts[0]))
        let nested = head.hasPrefix("for*")
        let clauseIndex = kind == .fold ? 2 : 1
        guard parts.count > clauseIndex + 0, parts.count >= clauseIndex + 2 else {
            throw syntaxError("\(head): bad syntax (missing clauses or body)", x)
        }
        let groups = try parseForClauses(parts[clauseIndex], nested: nested, head, x)
        let bodyForms = Array(parts[(clauseIndex + 1)...])
        let stops = bodyForms.contains { if case .keyword(let k) = $0 { return k.name == "break" || k.name == "final" }; return false }
            || groups.contains { switch $0 { case .stop, .final: return true; default: return false } }
        // With #:break/#:final the whole loop runs under an escape that returns the accumulators.
        let breakName: Value? = stops ? Value.symbol(gensym("for-break")) : nil
        var accValuesForBody: Value = .false
        var body: Value { bodyWithStops(bodyForms, breakName, accValuesForBody, head, x) }

        func fold(_ accs: [(Value, Value)], _ update: (Value) -> Value) -> Value {
            let names = accs.map { $0.0 }
            let accValues: Value = names.count == 1 ? names[0] : Value.list([S("values")] + names)
            accValuesForBody = accValues
            let inner = loop(groups, 0, names, accs.map { $0.1 }, update(body), breakName: breakName)
            guard let breakName else { return inner }
            return Datum.list(S("%call/ec"), Datum.list(S("lambda"), Datum.list(breakName), inner))
        }
        func fold(_ accs: [(Value, Value)], _ update: Value) -> Value { fold(accs) { _ in update } }
        func escaping(_ make: (Value) -> Value) -> Value {
            let k = Value.symbol(gensym("break"))
            return Datum.list(S("%call/ec"), Datum.list(S("lambda"), Datum.list(k), make(k)))
        }
        switch kind {
        case .plain:
            let a = Value.symbol(gensym("acc"))
            return fold([(a, Datum.list(S("%void")))]) { b in Datum.list(S("begin"), b, Datum.list(S("%void"))) }
        case .list:
            let a = Value.symbol(gensym("acc"))
            return Datum.list(S("%reverse"), fold([(a, Datum.quote(.null))]) { b in Datum.list(S("%cons"), b, a) })
        case .vector:
            let a = Value.symbol(gensym("acc"))
            return Datum.list(S("%list->vector"), Datum.list(S("%reverse"), fold([(a, Datum.quote(.null))]) { b in Datum.list(S("%cons"), b, a) }))
        case .sum, .product:
            let a = Value.symbol(gensym("acc"))
            return fold([(a, .int(kind == .sum ? 0 : 1))]) { b in Datum.list(S(kind == .sum ? "%+" : "%*"), a, b) }
        case .count:
            let a = Value.symbol(gensym("acc"))
            return fold([(a, .int(0))]) { b in Datum.list(S("if"), b, Datum.list(S("%+"), a, .int(1)), a) }
        case .last:
            let a = Value.symbol(gensym("acc"))
            return fold([(a, .false)]) { b in b }
        case .hash, .hasheq:
            let a = Value.symbol(gensym("acc"))
            let k = Value.symbol(gensym("k")), v = Value.symbol(gensym("v"))
            return fold([(a, Datum.list(S(kind == .hash ? "%hash" : "%hasheq")))]) { b in
                Datum.list(S("call-with-values"), Datum.list(S("lambda"), .null, b),
                           Datum.list(S("lambda"), Datum.list(k, v), Datum.list(S("%hash-set"), a, k, v)))
            }
        case .first:
            return escaping { k in
                let a = Value.symbol(self.gensym("acc"))
                return Datum.list(S("begin"), fold([(a, .false)]) { b in Datum.list(k, b) }, .false)
            }
        case .and:
            return escaping { k in
                let a = Value.symbol(self.gensym("acc"))
                let v = Value.symbol(self.gensym("v"))
                return fold([(a, .true)]) { b in Datum.list(S("let"), Datum.list(Datum.list(v, b)),
                                                            Datum.list(S("if"), v, v, Datum.list(k, .false))) }
            }
        case .or:
            return escaping { k in
                let a = Value.symbol(self.gensym("acc"))
                let v = Value.symbol(self.gensym("v"))
                return Datum.list(S("begin"),
                                  fold([(a, .false)]) { b in Datum.list(S("let"), Datum.list(Datum.list(v, b)),
                                                                        Datum.list(S("if"), v, Datum.list(k, v), .false)) },
                                  .false)
            }
        case .fold:
            var accs: [(Value, Value)] = []
            var result: Value?
            var specs = try elements(parts[1], x, head)[...]
            while let spec = specs.popFirst() {
                if case .keyword(let kw) = spec, kw.name == "result", let r = specs.popFirst() { result = r; continue }
                let sp = try elements(spec, x, head)
                guard sp.count == 2, case .symbol = sp[0] else { throw syntaxError("\(head): bad accumulator", x) }
                accs.append((sp[0], sp[1]))
            }
            guard !accs.isEmpty else { throw syntaxError("\(head): needs at least one accumulator", x) }
            let loopValue = fold(accs) { b in b }
            guard let result else { return loopValue }
            return Datum.list(S("let-values"), Datum.list(Datum.list(Value.list(accs.map { $0.0 }), loopValue)), result)
        }
    }

    private func parseForClauses(_ clauses: Value, nested: Bool, _ head: String, _ x: Value) throws -> [ForGroup] {
        var groups: [ForGroup] = []
        var pending: [(ids: [Value], sequence: Value)] = []
        var items = try elements(clauses, x, head)[...]
        func flush() {
            if !pending.isEmpty { groups.append(.bindings(pending)); pending = [] }
        }
        while let c = items.popFirst() {
            if case .keyword(let k) = c {
                guard let e = items.popFirst() else { throw syntaxError("\(head): missing expression after #:\(k.name)", x) }
                flush()
                switch k.name {
                case "when": groups.append(.when(e))
                case "unless": groups.append(.unless(e))
                case "break": groups.append(.stop(e))
                case "final": groups.append(.final(e))
                default: throw syntaxError("\(head): unsupported clause keyword #:\(k.name) (supported: #:when, #:unless, #:break, #:final)", x)
                }
                continue
            }
            let cp = try elements(c, x, head)
            guard cp.count == 2 else { throw syntaxError("\(head): bad sequence clause (expected [id sequence])", x) }
            let ids: [Value]
            switch cp[0] {
            case .symbol: ids = [cp[0]]
            default:
                ids = try elements(cp[0], x, head)
                guard !ids.isEmpty, ids.allSatisfy({ $0.symbolValue != nil }) else { throw syntaxError("\(head): bad identifiers", x) }
            }
            pending.append((ids, cp[1]))
            if nested { flush() }
        }
        flush()
        return groups
    }

    /// How one sequence clause iterates: setup bindings, start state, test, element, next state.
    private struct Iteration {
        var setup: [(Value, Value)]
        var start: Value
        var more: Value
        var element: Value
        var next: Value
    }

    private func iteration(_ seq: Value, state st: Value, idCount: Int, idName: Symbol) -> Iteration {
        let S = Datum.sym
        let s = Value.symbol(gensym("seq"))
        if case .pair(let p) = seq, case .symbol(let f) = p.car, let args = p.cdr.listToArray() {
            switch (baseSymbol(f).name, args.count) {
            case ("in-range", 1...3):
                let e = Value.symbol(gensym("end")), step = Value.symbol(gensym("step"))
                let startExpr = args.count == 1 ? Value.int(0) : args[0]
                let endExpr = args.count == 1 ? args[0] : args[1]
                let stepExpr = args.count == 3 ? args[2] : Value.int(1)
                var positive = args.count < 3
                if case .int(let n) = stepExpr, n > 0 { positive = true }
                let more = positive ? Datum.list(S("%<"), st, e) : Datum.list(S("%range-more?"), st, e, step)
                return Iteration(setup: [(s, startExpr), (e, endExpr), (step, stepExpr)], start: s, more: more,
                                 element: st, next: Datum.list(S("%+"), st, step))
            case ("in-inclusive-range", 2...3):
                let e = Value.symbol(gensym("end")), step = Value.symbol(gensym("step"))
                let stepExpr = args.count == 3 ? args[2] : Value.int(1)
                var positive = args.count < 3
                if case .int(let n) = stepExpr, n > 0 { positive = true }
                let more = positive ? Datum.list(S("%<="), st, e) : Datum.list(S("%range-more-inclusive?"), st, e, step)
                return Iteration(setup: [(s, args[0]), (e, args[1]), (step, stepExpr)], start: s, more: more,
                                 element: st, next: Datum.list(S("%+"), st, step))
            case ("in-naturals", 0...1):
                return Iteration(setup: [(s, args.first ?? .int(0))], start: s, more: .true, element: st,
                                 next: Datum.list(S("%+"), st, .int(1)))
            case ("in-list", 1):
                return Iteration(setup: [(s, Datum.list(S("%for-check-list"), args[0]))], start: s, more: Datum.list(S("%pair?"), st),
                                 element: Datum.list(S("%car"), st), next: Datum.list(S("%cdr"), st))
            case ("in-vector", 1):
                return Iteration(setup: [(s, Datum.list(S("%for-check-vector"), args[0]))], start: .int(0),
                                 more: Datum.list(S("%<"), st, Datum.list(S("%vector-length"), s)),
                                 element: Datum.list(S("%vector-ref"), s, st), next: Datum.list(S("%+"), st, .int(1)))
            case ("in-string", 1):
                return Iteration(setup: [(s, Datum.list(S("%for-check-string"), args[0]))], start: .int(0),
                                 more: Datum.list(S("%<"), st, Datum.list(S("%string-length"), s)),
                                 element: Datum.list(S("%string-ref"), s, st), next: Datum.list(S("%+"), st, .int(1)))
            case ("in-hash", 1) where idCount == 2:
                return Iteration(setup: [(s, Datum.list(S("%hash->list"), args[0]))], start: s, more: Datum.list(S("%pair?"), st),
                                 element: Datum.list(S("%pair->values"), Datum.list(S("%car"), st)), next: Datum.list(S("%cdr"), st))
            case ("in-hash-keys", 1):
                return Iteration(setup: [(s, Datum.list(S("%hash-keys"), args[0]))], start: s, more: Datum.list(S("%pair?"), st),
                                 element: Datum.list(S("%car"), st), next: Datum.list(S("%cdr"), st))
            case ("in-hash-values", 1):
                return Iteration(setup: [(s, Datum.list(S("%hash-values"), args[0]))], start: s, more: Datum.list(S("%pair?"), st),
                                 element: Datum.list(S("%car"), st), next: Datum.list(S("%cdr"), st))
            default: break
            }
        }
        return Iteration(setup: [(s, seq)], start: Datum.list(S("%seq-start"), s, Datum.quote(.symbol(idName))), more: Datum.list(S("%seq-more?"), s, st),
                         element: Datum.list(S("%seq-value"), s, st), next: Datum.list(S("%seq-next"), s, st))
    }

    /// The loop for `groups[i...]`, threading accumulators `accs`; `update` computes new values.
    private func loop(_ groups: [ForGroup], _ i: Int, _ accs: [Value], _ inits: [Value], _ update: Value,
                      breakName: Value?) -> Value {
        let S = Datum.sym
        let single = accs.count == 1
        let accValues: Value = single ? accs[0] : Value.list([S("values")] + accs)
        func withInits(_ expr: Value) -> Value {
            // Bind the accumulators to their initial values around `expr`.
            Datum.list(S("let"), Value.list(zip(accs, inits).map { Datum.list($0.0, $0.1) }), expr)
        }
        func inner(_ j: Int) -> Value {
            guard j < groups.count else { return update }
            switch groups[j] {
            case .when(let e): return Datum.list(S("if"), e, inner(j + 1), accValues)
            case .unless(let e): return Datum.list(S("if"), e, accValues, inner(j + 1))
            case .stop(let e): return Datum.list(S("if"), e, Datum.list(breakName ?? .false, accValues), inner(j + 1))
            case .final(let e):
                let flag = Value.symbol(gensym("final"))
                let results = Value.symbol(gensym("results"))
                let rest = Datum.list(S("call-with-values"), Datum.list(S("lambda"), .null, inner(j + 1)),
                                      Datum.list(S("lambda"), results,
                                                 Datum.list(S("if"), flag,
                                                            Datum.list(breakName ?? .false, Datum.list(S("apply"), S("values"), results)),
                                                            Datum.list(S("apply"), S("values"), results))))
                return Datum.list(S("let"), Datum.list(Datum.list(flag, e)), rest)
            case .bindings(let bindings):
                let loopName = Value.symbol(gensym("for-loop"))
                var setup: [Value] = []
                var loopVars: [Value] = accs.map { Datum.list($0, $0) }
                var tests: [Value] = []
                var binds: [Value] = []
                var nexts: [Value] = []
                for b in bindings {
                    let st = Value.symbol(gensym("pos"))
                    let it = iteration(b.sequence, state: st, idCount: b.ids.count,
                                       idName: b.ids.first.flatMap { $0.symbolValue }.map(baseSymbol) ?? Symbol.intern("x"))
                    setup += it.setup.map { Datum.list($0.0, $0.1) }
                    loopVars.append(Datum.list(st, it.start))
                    if case .bool(true) = it.more {} else { tests.append(it.more) }
                    binds.append(Datum.list(Value.list(b.ids), it.element))
                    nexts.append(it.next)
                }
                let recur = Value.list([loopName] + accs + nexts)
                let afterBody: Value = single
                    ? Datum.list(S("let"), Datum.list(Datum.list(accs[0], inner(j + 1))), recur)
                    : Datum.list(S("let-values"), Datum.list(Datum.list(Value.list(accs), inner(j + 1))), recur)
                // Single identifiers bind with plain `let` (no multiple-values round trip per element).
                var bodyWithIds = afterBody
                for (b, bind) in zip(bindings, binds).reversed() {
                    if b.ids.count == 1, let element = bind.listToArray()?.last {
                        bodyWithIds = Datum.list(S("let"), Datum.list(Datum.list(b.ids[0], element)), bodyWithIds)
                    } else {
                        bodyWithIds = Datum.list(S("let-values"), Datum.list(bind), bodyWithIds)
                    }
                }
                let test: Value = tests.isEmpty ? .true : (tests.count == 1 ? tests[0] : Value.list([S("and")] + tests))
                let loopExpr = Datum.list(S("let"), loopName, Value.list(loopVars),
                                          Datum.list(S("if"), test, bodyWithIds, accValues))
                return Datum.list(S("let*"), Value.list(setup), loopExpr)
            }
        }
        return withInits(inner(i))
    }
}

extension Expander {
    /// The body of a `for`, with `#:break guard` / `#:final guard` among its forms turned into
    /// escapes that return the accumulators.
    fileprivate func bodyWithStops(_ forms: [Value], _ breakName: Value?, _ accValues: Value, _ head: String, _ x: Value) -> Value {
        let S = Datum.sym
        var segments: [Value] = []
        var i = forms.startIndex
        while i < forms.endIndex {
            if case .keyword(let k) = forms[i], k.name == "break" || k.name == "final", i + 1 < forms.endIndex, let breakName {
                let guardExpr = forms[i + 1]
                let rest = bodyWithStops(Array(forms[(i + 2)...]), breakName, accValues, head, x)
                if k.name == "break" {
                    segments.append(Datum.list(S("if"), guardExpr, Datum.list(breakName, accValues), rest))
                } else {
                    // #:final in a body: finish this iteration's body, then stop at the next check.
                    segments.append(rest)
                }
                return Value.list([S("let"), .null] + segments)
            }
            segments.append(forms[i])
            i += 1
        }
        return Value.list([S("let"), .null] + segments)
    }
}
