/// `syntax-rules` macros: pattern matching with ellipses, template instantiation, and renaming of
/// template identifiers for hygiene.
///
/// Hygiene by renaming: every identifier a template introduces becomes a fresh alias symbol that
/// remembers the original name and the macro's definition scope. A binding form in the template
/// binds the alias (so it cannot capture the user's variables), and a free alias resolves to the
/// original name where the macro was defined (so the user cannot capture the macro's references).
extension Expander {
    func parseMacroDefinition(_ x: Value, _ sf: SpecialForm, _ scope: Scope) throws -> (Symbol, Macro) {
        let parts = try elements(x, x, sf.rawValue)
        let macroScope: Scope? = scope.isTopLevel ? nil : scope
        if sf == .defineSyntaxRule {
            guard parts.count == 3, case .pair(let p) = parts[1], case .symbol(let name) = p.car else {
                throw syntaxError("define-syntax-rule: bad syntax", x)
            }
            let macro = Macro(name: baseSymbol(name).name, literals: [], ellipsis: Symbol.intern("..."),
                              rules: [(parts[1], parts[2])], scope: macroScope)
            return (name, macro)
        }
        guard parts.count == 3, case .symbol(let name) = parts[1] else {
            if parts.count == 3, case .pair = parts[1] {
                throw syntaxError("define-syntax: only syntax-rules macros are supported in the sandbox (procedural transformers are not)", x)
            }
            throw syntaxError("define-syntax: bad syntax", x)
        }
        return (name, try parseSyntaxRules(parts[2], name: baseSymbol(name).name, macroScope, x))
    }

    func parseSyntaxRules(_ spec: Value, name: String, _ scope: Scope?, _ form: Value) throws -> Macro {
        let parts = try elements(spec, form, "syntax-rules")
        guard parts.count >= 2, isIdentifier(parts[0], "syntax-rules") else {
            throw syntaxError("define-syntax: only syntax-rules macros are supported in the sandbox (procedural transformers are not)", form)
        }
        var index = 1
        var ellipsis = Symbol.intern("...")
        if case .symbol(let e) = parts[1] {
            ellipsis = e
            index = 2
        }
        guard index < parts.count else { throw syntaxError("syntax-rules: missing literals list", form) }
        let literalList = try elements(parts[index], form, "syntax-rules")
        var literals = Set<String>()
        for l in literalList {
            guard case .symbol(let s) = l else { throw syntaxError("syntax-rules: literals must be identifiers", form) }
            literals.insert(baseSymbol(s).name)
        }
        var rules: [(Value, Value)] = []
        for r in parts[(index + 1)...] {
            let rp = try elements(r, form, "syntax-rules")
            guard rp.count == 2, case .pair = rp[0] else { throw syntaxError("syntax-rules: bad rule (expected [(pattern …) template])", form) }
            rules.append((rp[0], rp[1]))
        }
        return Macro(name: name, literals: literals, ellipsis: ellipsis, rules: rules.map { (pattern: $0.0, template: $0.1) }, scope: scope)
    }

    indirect enum MatchTree {
        case one(Value)
        case many([MatchTree])
    }

    func expandMacro(_ m: Macro, _ form: Value, _ scope: Scope) throws -> Value {
        guard case .pair(let input) = form else { throw syntaxError("\(m.name): bad syntax", form) }
        for rule in m.rules {
            guard case .pair(let pat) = rule.pattern else { continue }
            var bindings: [Symbol: MatchTree] = [:]
            if try match(pat.cdr, input.cdr, m, &bindings) {
                var renames: [ObjectIdentifier: Symbol] = [:]
                try chargeExpansion(m, form)
                let out = try instantiate(rule.template, bindings, m, &renames, ellipsisEnabled: true, form)
                if case .pair(let p) = out, sourceMap.position(of: p) == nil, let pos = position(form) {
                    sourceMap.record(p, pos)
                }
                return out
            }
        }
        throw syntaxError("\(m.name): bad syntax (no rule matches)", form)
    }

    /// Counts one expansion of `m` against the evaluation's expansion budget.
    private func chargeExpansion(_ m: Macro, _ form: Value) throws {
        expansionSteps += 1
        try runtime.burn(1)
        let limit = runtime.limits.expansionSteps
        if expansionSteps > limit {
            throw SchemeError(.expansionLimit, "\(m.name): macro expansion stopped after \(limit) expansions (limit expansion-steps); does the macro expand into itself without end?", position: position(form))
        }
    }

    /// Counts `n` pairs made by `m`'s template against the evaluation's expansion budget.
    private func chargeSize(_ n: Int, _ m: Macro, _ form: Value) throws {
        expansionSize += n
        try runtime.burn(n)
        let limit = runtime.limits.expansionSize
        if expansionSize > limit {
            throw SchemeError(.expansionLimit, "\(m.name): macro expansion made more than \(limit) pairs of code (limit expansion-size); does the macro grow its input without end?", position: position(form))
        }
    }

    private func isEllipsis(_ v: Value, _ m: Macro) -> Bool {
        if case .symbol(let s) = v { return s === m.ellipsis || baseSymbol(s) === m.ellipsis }
        return false
    }

    private func patternVariables(_ p: Value, _ m: Macro, into out: inout [Symbol]) {
        switch p {
        case .symbol(let s):
            if isEllipsis(p, m) || s.name == "_" || m.literals.contains(baseSymbol(s).name) { return }
            out.append(s)
        case .pair(let q):
            patternVariables(q.car, m, into: &out)
            patternVariables(q.cdr, m, into: &out)
        case .vector(let v):
            for x in v.items { patternVariables(x, m, into: &out) }
        default: break
        }
    }

    private func match(_ p: Value, _ x: Value, _ m: Macro, _ b: inout [Symbol: MatchTree]) throws -> Bool {
        switch p {
        case .symbol(let s):
            if s.name == "_" { return true }
            if m.literals.contains(baseSymbol(s).name) {
                if case .symbol(let t) = x { return baseSymbol(t).name == baseSymbol(s).name }
                return false
            }
            b[s] = .one(x)
            return true
        case .pair(let pp):
            if case .pair(let next) = pp.cdr, isEllipsis(next.car, m) {
                // p = (sub ellipsis . rest)
                var restMin = 0
                var r = next.cdr
                while case .pair(let q) = r { restMin += 1; r = q.cdr }
                var items: [Value] = []
                var cur = x
                while case .pair(let q) = cur { items.append(q.car); cur = q.cdr }
                let count = items.count - restMin
                guard count >= 0 else { return false }
                var vars: [Symbol] = []
                patternVariables(pp.car, m, into: &vars)
                try chargeSize(count, m, x)
                if vars.count == 1, case .symbol(let only) = pp.car, only === vars[0] {
                    // `x ...`: every item matches; no per-item bindings to build.
                    b[only] = .many(items.prefix(count).map { .one($0) })
                    var restInput = cur
                    for item in items.dropFirst(count).reversed() { restInput = .pair(Pair(item, restInput)) }
                    return try match(next.cdr, restInput, m, &b)
                }
                var seqs: [Symbol: [MatchTree]] = Dictionary(uniqueKeysWithValues: vars.map { ($0, []) })
                for item in items.prefix(count) {
                    var sub: [Symbol: MatchTree] = [:]
                    guard try match(pp.car, item, m, &sub) else { return false }
                    for v in vars { seqs[v]?.append(sub[v] ?? .many([])) }
                }
                for (v, s) in seqs { b[v] = .many(s) }
                // Match the rest against the remaining items (and the improper tail).
                var restInput = cur
                for item in items.dropFirst(count).reversed() { restInput = .pair(Pair(item, restInput)) }
                return try match(next.cdr, restInput, m, &b)
            }
            guard case .pair(let xp) = x else { return false }
            return try match(pp.car, xp.car, m, &b) && match(pp.cdr, xp.cdr, m, &b)
        case .null:
            return x.isNull
        case .vector(let pv):
            guard case .vector(let xv) = x else { return false }
            return try match(Value.list(pv.items), Value.list(xv.items), m, &b)
        default:
            return Equality.equal(p, x)
        }
    }

    /// Expansions of `sub` for each match of its ellipsis variables, `depth` levels flattened.
    private func instantiateRepeated(_ sub: Value, _ b: [Symbol: MatchTree], _ m: Macro,
                                     _ renames: inout [ObjectIdentifier: Symbol], depth: Int, _ form: Value) throws -> [Value] {
        var vars: [Symbol] = []
        patternVariables(sub, m, into: &vars)
        let seqVars = vars.filter { if case .many = b[$0] { return true }; return false }
        guard !seqVars.isEmpty else {
            throw syntaxError("\(m.name): no pattern variables before ellipsis in template", form)
        }
        var length: Int?
        for v in seqVars {
            if case .many(let items) = b[v] {
                if let l = length, l != items.count {
                    throw syntaxError("\(m.name): incompatible ellipsis match counts for template", form)
                }
                length = items.count
            }
        }
        if depth == 1, case .symbol(let only) = sub, seqVars.count == 1, only === seqVars[0],
           case .many(let items)? = b[only] {
            // `x ...` in a template: the matched items themselves.
            var results: [Value] = []
            results.reserveCapacity(items.count)
            for item in items {
                guard case .one(let v) = item else {
                    throw syntaxError("\(m.name): pattern variable \(only.name) used with too few ellipses in the template", form)
                }
                results.append(v)
            }
            return results
        }
        var results: [Value] = []
        for k in 0..<(length ?? 0) {
            var inner = b
            for v in seqVars { if case .many(let items) = b[v] { inner[v] = items[k] } }
            if depth > 1 {
                results += try instantiateRepeated(sub, inner, m, &renames, depth: depth - 1, form)
            } else {
                results.append(try instantiate(sub, inner, m, &renames, ellipsisEnabled: true, form))
            }
        }
        return results
    }

    private func instantiate(_ t: Value, _ b: [Symbol: MatchTree], _ m: Macro, _ renames: inout [ObjectIdentifier: Symbol],
                             ellipsisEnabled: Bool, _ form: Value) throws -> Value {
        switch t {
        case .symbol(let s):
            if let bound = b[s] {
                if case .one(let v) = bound { return v }
                throw syntaxError("\(m.name): pattern variable \(s.name) used without an ellipsis in the template", form)
            }
            if let r = renames[ObjectIdentifier(s)] { return .symbol(r) }
            let alias = Symbol.uninterned(s.name)
            aliases[ObjectIdentifier(alias)] = (s, m.scope)
            renames[ObjectIdentifier(s)] = alias
            return .symbol(alias)
        case .pair(let p):
            if ellipsisEnabled, isEllipsis(p.car, m), case .pair(let q) = p.cdr {
                // (... template): ellipses inside are literal.
                return try instantiate(q.car, b, m, &renames, ellipsisEnabled: false, form)
            }
            if ellipsisEnabled, case .pair(let next) = p.cdr, isEllipsis(next.car, m) {
                // `sub ... ...` (k ellipses) splices sub's expansions flattened k levels deep.
                var depth = 1
                var after = next.cdr
                while case .pair(let q) = after, isEllipsis(q.car, m) { depth += 1; after = q.cdr }
                let results = try instantiateRepeated(p.car, b, m, &renames, depth: depth, form)
                let rest = try instantiate(after, b, m, &renames, ellipsisEnabled: true, form)
                try chargeSize(results.count, m, form)
                return Value.list(results[...], tail: rest)
            }
            try chargeSize(1, m, form)
            return .pair(Pair(try instantiate(p.car, b, m, &renames, ellipsisEnabled: ellipsisEnabled, form),
                              try instantiate(p.cdr, b, m, &renames, ellipsisEnabled: ellipsisEnabled, form)))
        case .vector(let v):
            let l = try instantiate(Value.list(v.items), b, m, &renames, ellipsisEnabled: ellipsisEnabled, form)
            return .vector(SVector(l.listToArray() ?? [], mutable: false))
        default:
            return t
        }
    }
}
