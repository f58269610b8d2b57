/// Expands Scheme data into the core `Node` language: resolves every identifier (locals, captured
/// variables, globals), expands macros and derived forms, and checks syntax.
///
/// Recursion here follows the nesting of the *code* (not of data or of run-time calls) and is
/// capped by `maxDepth`, so hostile deeply nested code gets a clear error instead of a crash.
final class Expander {
    let runtime: Runtime
    var sourceMap: SourceMap
    /// Macro-introduced identifiers: alias symbol → the original symbol and the macro's scope.
    var aliases: [ObjectIdentifier: (original: Symbol, scope: Scope?)] = [:]
    let maxDepth: Int
    var depth = 0
    private var gensymCounter = 0
    /// Macro uses expanded and pairs their templates made, against `Limits.expansionSteps`/`expansionSize`.
    var expansionSteps = 0
    var expansionSize = 0

    /// Compiles against the system namespace (library code) rather than the user's.
    let sealed: Bool

    init(runtime: Runtime, sourceMap: SourceMap, maxDepth: Int, sealed: Bool = false) {
        self.runtime = runtime
        self.sourceMap = sourceMap
        self.maxDepth = maxDepth
        self.sealed = sealed
    }

    /// The top-level cell `name` refers to in this expander's namespace.
    func globalCell(_ name: Symbol) -> GlobalCell {
        sealed ? runtime.systemCell(name) : runtime.cell(name)
    }

    /// The existing top-level cell for `name` in this expander's namespace, nil when there is none.
    func existingGlobalCell(_ name: Symbol) -> GlobalCell? {
        sealed && runtime.system.isSealed ? runtime.system.cells[name] : runtime.globals[name]
    }

    // MARK: Identifiers

    func gensym(_ base: String) -> Symbol {
        gensymCounter += 1
        return Symbol.uninterned("\(base)\(gensymCounter)")
    }

    func resolve(_ s: Symbol, _ scope: Scope?) -> Resolution {
        var sc = scope
        if let names = scope?.table.names, !names.names.contains(ObjectIdentifier(s)) { sc = nil }
        while let c = sc {
            if let e = c.table[s] {
                switch e {
                case .variable(let v): return .local(v)
                case .macro(let m): return .macro(m)
                }
            }
            sc = c.parent
        }
        if !s.isInterned, let a = aliases[ObjectIdentifier(s)] { return resolve(a.original, a.scope) }
        switch sealed && runtime.system.isSealed ? runtime.system.syntaxBindings[s] : runtime.syntaxBindings[s] {
        case .special(let f): return .special(f)
        case .macro(let m): return .macro(m)
        case nil: return .global(s)
        }
    }

    /// The symbol a (possibly macro-renamed) identifier stands for at top level.
    func baseSymbol(_ s: Symbol) -> Symbol {
        var cur = s
        while !cur.isInterned, let a = aliases[ObjectIdentifier(cur)] { cur = a.original }
        return cur
    }

    /// Replaces alias symbols by their originals throughout a datum (for `quote`).
    func strip(_ v: Value) -> Value {
        if aliases.isEmpty { return v }
        switch v {
        case .symbol(let s): return s.isInterned ? v : .symbol(baseSymbol(s))
        case .pair(let p):
            var items: [Value] = []
            var cur: Value = .pair(p)
            while case .pair(let q) = cur { items.append(strip(q.car)); cur = q.cdr }
            return Value.list(items[...], tail: strip(cur))
        case .vector(let vec): return .vector(SVector(vec.items.map(strip), mutable: false))
        default: return v
        }
    }

    /// Is `v` the identifier `name` (after undoing macro renaming)?
    func isIdentifier(_ v: Value, _ name: String) -> Bool {
        if case .symbol(let s) = v { return baseSymbol(s).name == name }
        return false
    }

    func position(_ v: Value) -> SourcePosition? {
        if case .pair(let p) = v { return sourceMap.position(of: p) }
        return nil
    }

    func syntaxError(_ message: String, _ form: Value) -> SchemeError {
        let shown = Printer.write(strip(form), limit: 120)
        return SchemeError.syntax("\(message)\n  in: \(shown)", at: position(form))
    }

    /// A proper list's elements, or a syntax error naming the form.
    func elements(_ v: Value, _ form: Value, _ who: String) throws -> [Value] {
        guard let items = v.listToArray() else { throw syntaxError("\(who): bad syntax (not a proper list)", form) }
        return items
    }

    // MARK: Expressions

    func expand(_ x: Value, _ scope: Scope, name: String? = nil) throws -> Node {
        switch x {
        case .symbol(let s):
            return try expandIdentifier(s, scope, x)
        case .pair(let p):
            depth += 1
            defer { depth -= 1 }
            try runtime.burn(1)
            if depth > maxDepth {
                throw SchemeError(.depthLimit, "code nested deeper than \(maxDepth) levels (limit print-depth)", position: position(x))
            }
            if case .symbol(let head) = p.car {
                switch resolve(head, scope) {
                case .special(let form): return try expandSpecial(form, x, scope, name: name)
                case .macro(let m): return try expand(try expandMacro(m, x, scope), scope, name: name)
                case .local, .global: break
                }
            }
            return try expandApplication(x, scope)
        case .null:
            throw syntaxError("#%app: missing procedure expression; probably originally (), which is an illegal empty application", x)
        case .keyword:
            throw syntaxError("#%datum: keyword misused as an expression", x)
        case .missing:
            throw syntaxError("internal: missing value in code", x)
        default:
            return .constant(x)
        }
    }

    func expandIdentifier(_ s: Symbol, _ scope: Scope, _ form: Value) throws -> Node {
        switch resolve(s, scope) {
        case .local(let v):
            if v === scope.function.selfVar { return .selfRef }
            noteReference(v, from: scope.function)
            return .localRef(v)
        case .global(let g):
            return .globalRef(globalCell(g))
        case .special, .macro:
            throw syntaxError("\(baseSymbol(s).name): bad syntax (a syntactic form used as a value)", form)
        }
    }

    /// Records that `v` is used inside `function`; when that is a nested function, `v` is captured
    /// by every closure between the two.
    func noteReference(_ v: LocalVar, from function: FunctionState) {
        guard v.owner !== function else { return }
        v.isCaptured = true
        var f: FunctionState? = function
        while let cur = f, cur !== v.owner {
            _ = cur.freeSlot(of: v)
            f = cur.parent
        }
    }

    func expandApplication(_ x: Value, _ scope: Scope) throws -> Node {
        let items = try elements(x, x, "#%app")
        let pos = position(x)
        var args: [Node] = []
        var keywords: [(Symbol, Node)] = []
        var i = 1
        while i < items.count {
            if case .keyword(let k) = items[i] {
                guard i + 1 < items.count else {
                    throw syntaxError("#%app: missing argument expression after keyword #:\(k.name)", x)
                }
                if keywords.contains(where: { $0.0 === k }) {
                    throw syntaxError("#%app: duplicate keyword #:\(k.name) in application", x)
                }
                keywords.append((k, try expand(items[i + 1], scope)))
                i += 2
            } else {
                args.append(try expand(items[i], scope))
                i += 1
            }
        }
        // A global still bound to a built-in with an instruction form compiles to that instruction.
        if keywords.isEmpty, case .symbol(let s) = items[0], case .global(let g) = resolve(s, scope),
           let cell = existingGlobalCell(g), case .primitive(let prim) = cell.value, let op = prim.inlineOp,
           op.arity == args.count {
            return .inline(op, args, position: pos)
        }
        let callee = try expand(items[0], scope)
        return .call(callee, args, keywords: keywords, position: pos)
    }

    // MARK: Bodies

    enum BodyItem {
        case define(LocalVar, Value, String?)
        case defineValues([LocalVar], Value)
        case expression(Value)
    }

    /// Expands a body (lambda, let, …): internal definitions mixed with expressions, letrec* semantics.
    func expandBody(_ forms: [Value], _ outer: Scope, _ form: Value) throws -> Node {
        let scope = Scope(parent: outer, function: outer.function)
        var queue = forms[...]
        var items: [BodyItem] = []
        var vars: [LocalVar] = []
        func declare(_ id: Value) throws -> LocalVar {
            guard case .symbol(let s) = id else { throw syntaxError("define: expected an identifier", form) }
            if case .variable(let existing)? = scope.table[s], vars.contains(where: { $0 === existing }) {
                throw syntaxError("define: duplicate definition for identifier \(baseSymbol(s).name)", form)
            }
            let v = scope.function.newLocal(s)
            v.isAssigned = true
            v.needsInitCheck = true
            scope.table[s] = .variable(v)
            vars.append(v)
            return v
        }
        while let first = queue.popFirst() {
            let f = try expandHeadMacros(first, scope)
            guard case .pair(let p) = f, case .symbol(let head) = p.car, case .special(let sf) = resolve(head, scope) else {
                items.append(.expression(f)); continue
            }
            switch sf {
            case .begin:
                let sub = try elements(p.cdr, f, "begin")
                queue = sub[...] + queue
            case .define:
                let (id, expr) = try parseDefine(f)
                let v = try declare(id)
                items.append(.define(v, expr, id.symbolValue.map { baseSymbol($0).name }))
            case .defineValues:
                let parts = try elements(p.cdr, f, "define-values")
                guard parts.count == 2 else { throw syntaxError("define-values: bad syntax", f) }
                let ids = try elements(parts[0], f, "define-values")
                items.append(.defineValues(try ids.map(declare), parts[1]))
            case .defineSyntax, .defineSyntaxRule:
                let (name, macro) = try parseMacroDefinition(f, sf, scope)
                scope.table[name] = .macro(macro)
            case .struct, .defineStruct:
                queue = [try expandStruct(f, sf)] + queue
            default:
                items.append(.expression(f))
            }
        }
        guard !items.isEmpty else { throw syntaxError("begin (possibly implicit): no expression after a sequence of internal definitions", form) }
        if case .expression = items.last! {} else {
            throw syntaxError("begin (possibly implicit): the last form is not an expression", form)
        }
        var nodes: [Node] = []
        for item in items {
            switch item {
            case .define(let v, let expr, let name):
                nodes.append(.setLocal(v, try expand(expr, scope, name: name)))
            case .defineValues(let vs, let expr):
                nodes.append(try expandDefineValuesLocal(vs, expr, scope))
            case .expression(let e):
                nodes.append(try expand(e, scope))
            }
        }
        let body: Node = nodes.count == 1 ? nodes[0] : .sequence(nodes)
        return vars.isEmpty ? body : .letrec(vars, [], body)
    }

    /// Expands macro uses at the head of `form` until its head is not a macro.
    func expandHeadMacros(_ form: Value, _ scope: Scope) throws -> Value {
        var f = form
        var rounds = 0
        while case .pair(let p) = f, case .symbol(let head) = p.car, case .macro(let m) = resolve(head, scope) {
            f = try expandMacro(m, f, scope)
            rounds += 1
            if rounds > 10_000 { throw syntaxError("macro expansion does not terminate", form) }
        }
        return f
    }

    /// `(define id expr)`, `(define (f . formals) body …)`, curried `(define ((f a) b) …)`.
    func parseDefine(_ form: Value) throws -> (Value, Value) {
        let parts = try elements(form, form, "define")
        guard parts.count >= 2 else { throw syntaxError("define: bad syntax", form) }
        var target = parts[1]
        var body = Array(parts[2...])
        while case .pair(let p) = target {
            // (define (name . formals) body…) ≡ (define name (lambda formals body…))
            body = [Value.list([Datum.sym("lambda"), p.cdr] + body)]
            target = p.car
        }
        guard case .symbol = target else { throw syntaxError("define: expected an identifier for the name", form) }
        if parts[1].symbolValue != nil {
            guard body.count == 1 else {
                throw syntaxError(body.isEmpty ? "define: missing expression after identifier" : "define: multiple expressions after identifier", form)
            }
        }
        guard body.count == 1 else { throw syntaxError("define: bad syntax", form) }
        return (target, body[0])
    }

    func expandDefineValuesLocal(_ vars: [LocalVar], _ expr: Value, _ scope: Scope) throws -> Node {
        // (call-with-values (lambda () expr) (lambda (t …) (set! v t) …))
        let producer = try makeThunk(expr, scope)
        let fn = FunctionState(parent: scope.function)
        let inner = Scope(parent: scope, function: fn)
        let info = LambdaInfo(function: fn, name: nil)
        var sets: [Node] = []
        for v in vars {
            let t = fn.newLocal(gensym("t"))
            info.required.append(t)
            noteReference(v, from: fn)
            sets.append(.setLocal(v, .localRef(t)))
        }
        _ = inner
        sets.append(.constant(.void))
        info.body = .sequence(sets)
        return .call(.globalRef(globalCell(Symbol.intern("%receive-values"))), [.constant(.int(vars.count)), producer, .lambda(info)],
                     keywords: [], position: nil)
    }

    /// `(lambda () expr)` as a node.
    func makeThunk(_ expr: Value, _ scope: Scope) throws -> Node {
        let fn = FunctionState(parent: scope.function)
        let inner = Scope(parent: scope, function: fn)
        let info = LambdaInfo(function: fn, name: nil)
        info.body = try expand(expr, inner)
        return .lambda(info)
    }
}

extension InlineOp {
    /// The argument count the instruction form takes.
    var arity: Int {
        switch self {
        case .add, .sub, .mul, .numEq, .lt, .gt, .le, .ge, .cons, .eq: return 2
        case .car, .cdr, .isNull, .isPair, .not, .isZero, .add1, .sub1: return 1
        }
    }
}
