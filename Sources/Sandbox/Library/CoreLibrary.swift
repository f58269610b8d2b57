/// Control primitives the VM implements (apply, call/ec, with-handlers, parameterize, raise, finish),
/// exceptions, parameters, `values`, `case-lambda` and the helpers the expander's output calls.
func registerCoreLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.add(Primitive(name: "apply", minArgs: 2, maxArgs: nil, body: .special(.apply)))
    lib.add(Primitive(name: "call/ec", minArgs: 1, maxArgs: 1, body: .special(.callWithEscape)))
    lib.alias("call-with-escape-continuation", "call/ec")
    lib.add(Primitive(name: "%call-with-handlers", minArgs: 2, maxArgs: 2, body: .special(.callWithHandlers)))
    lib.add(Primitive(name: "%call-with-parameterization", minArgs: 3, maxArgs: 3, body: .special(.callWithParameterization)))
    lib.add(Primitive(name: "raise", minArgs: 1, maxArgs: 2, body: .special(.raise)))
    lib.add(Primitive(name: "call-with-values", minArgs: 2, maxArgs: 2, body: .special(.callWithValues)))
    lib.add(Primitive(name: "%receive-values", minArgs: 3, maxArgs: 3, body: .special(.receiveValues)))
    lib.add(Primitive(name: "finish", minArgs: 1, maxArgs: 1, body: .special(.finish)))
    lib.add(Primitive(name: "finish-error", minArgs: 1, maxArgs: 1, body: .special(.finishError)))

    lib.fn("values", 0, nil) { args in
        args.count == 1 ? args[0] : .object(MultipleValues(args.array()))
    }
    // Used by call-with-values in the prelude: the values as a list.
    lib.fn1("%values->list") { v in
        if case .object(let m as MultipleValues) = v { return Value.list(m.values) }
        return Value.list(v)
    }
    lib.fn1("%pair->values") { v in
        let p = try v.asPair("in-hash")
        return .object(MultipleValues([p.car, p.cdr]))
    }

    // MARK: Exceptions
    lib.fn("error", 1, nil) { args in
        throw SchemeError(.user, try errorMessage(args, rt), irritants: args.array(from: 1))
    }
    lib.fn("raise-user-error", 1, nil) { args in
        throw SchemeError(.userError, try errorMessage(args, rt), irritants: args.array(from: 1))
    }
    lib.fn("raise-argument-error", 3, nil) { args in
        let who = Printer.display(args[0])
        let expected = Printer.display(args[1])
        throw SchemeError.contract(who, expected: expected, given: args[2])
    }
    for kind in ["exn:fail", "exn:fail:contract", "exn:fail:user", "exn:fail:contract:divide-by-zero", "exn:fail:read", "exn:fail:syntax"] {
        let make: (Value, Value) throws -> Value = { msg, _ in
            guard case .string(let m) = msg else { throw SchemeError.contract(kind, expected: "string?", given: msg) }
            return .object(ExnObject(kind: kind, message: m.string))
        }
        lib.fn2("make-" + kind, make)
        lib.fn2(kind, make)
    }
    lib.fn1("exn-message") { v in
        guard case .object(let o as ExnObject) = v else { throw SchemeError.contract("exn-message", expected: "exn?", given: v) }
        return .str(o.message)
    }
    for kind in ["exn", "exn:fail", "exn:fail:contract", "exn:fail:contract:divide-by-zero", "exn:fail:contract:arity",
                 "exn:fail:contract:variable", "exn:fail:syntax", "exn:fail:read", "exn:fail:user", "exn:fail:resource",
                 "exn:fail:llm", "exn:fail:python", "exn:fail:filesystem"] {
        lib.fn1(kind + "?") { v in
            if case .object(let o as ExnObject) = v { return .bool(kind == "exn" || o.isA(kind)) }
            return .false
        }
    }
    lib.alias("exn:llm?", "exn:fail:llm?")

    // MARK: Parameters
    lib.fn("%make-parameter", 1, 2) { args in
        .object(Parameter(args[0], guard: args.optional(1).flatMap { $0.isFalse ? nil : $0 }))
    }
    lib.fn1("%parameter-guard") { v in
        if case .object(let p as Parameter) = v { return p.guardProc ?? .false }
        throw SchemeError.contract("parameterize", expected: "parameter?", given: v)
    }
    lib.fn1("parameter?") { v in
        if case .object(let o) = v, o is Parameter { return .true }
        return .false
    }

    // MARK: Procedures
    lib.fn("%make-case-lambda", 1, nil) { args in
        var clauses: [Closure] = []
        for i in 1..<args.count {
            guard case .closure(let c) = args[i] else { throw SchemeError.contract("case-lambda", expected: "procedure?", given: args[i]) }
            clauses.append(c)
        }
        return .object(CaseLambda(clauses: clauses, name: args[0].isFalse ? nil : Printer.display(args[0])))
    }
    lib.fn1("procedure?") { v in .bool(v.isProcedure) }
    lib.fn1("procedure-arity") { v in
        switch v {
        case .closure(let c): return arityValue(c.proto)
        case .primitive(let p):
            if let m = p.maxArgs, m == p.minArgs { return .int(m) }
            return p.maxArgs == nil ? arityAtLeast(p.minArgs) : Value.list(Array(p.minArgs...p.maxArgs!).map { .int($0) })
        case .object(let o as CaseLambda): return Value.list(o.clauses.map { arityValue($0.proto) })
        case .object(let o) where o is Parameter: return Value.list(.int(0), .int(1))
        case .object(let o) where o is EscapeContinuation: return arityAtLeast(0)
        default: throw SchemeError.contract("procedure-arity", expected: "procedure?", given: v)
        }
    }
    lib.fn2("procedure-arity-includes?") { v, n in
        let k = try n.asIndex("procedure-arity-includes?")
        switch v {
        case .closure(let c): return .bool(c.proto.accepts(k))
        case .primitive(let p): return .bool(k >= p.minArgs && (p.maxArgs.map { k <= $0 } ?? true))
        case .object(let o as CaseLambda): return .bool(o.clauses.contains { $0.proto.accepts(k) })
        case .object(let o) where o is Parameter: return .bool(k <= 1)
        case .object(let o) where o is EscapeContinuation: return .true
        default: throw SchemeError.contract("procedure-arity-includes?", expected: "procedure?", given: v)
        }
    }

    // MARK: Expander helpers
    lib.fn1("%global-definer") { names in
        // (call-with-values producer (%global-definer '(a b))): defines each global from the values.
        let syms = names.listToArray() ?? []
        return .primitive(Primitive(name: "define-values", minArgs: 0, maxArgs: nil, body: .variadic { args in
            if args.count != syms.count {
                throw SchemeError(.arity, "define-values: result arity mismatch;\n expected number of values not received\n  expected: \(syms.count)\n  received: \(args.count)")
            }
            for (i, s) in syms.enumerated() {
                guard case .symbol(let sym) = s else { continue }
                rt.cell(sym).value = args[i]
            }
            return .void
        }))
    }
    lib.fn2("%case-member") { key, data in
        var cur = data
        while case .pair(let p) = cur {
            if Equality.equal(key, p.car) { return .true }
            cur = p.cdr
        }
        return .false
    }
    lib.fn3("%range-more?") { i, end, step in
        guard let c = try Arithmetic.compare(i, end, who: "in-range") else { return .false }
        let positive = try Arithmetic.compare(step, .int(0), who: "in-range").map { $0 >= 0 } ?? true
        return .bool(positive ? c < 0 : c > 0)
    }
    lib.fn3("%range-more-inclusive?") { i, end, step in
        guard let c = try Arithmetic.compare(i, end, who: "in-inclusive-range") else { return .false }
        let positive = try Arithmetic.compare(step, .int(0), who: "in-inclusive-range").map { $0 >= 0 } ?? true
        return .bool(positive ? c <= 0 : c >= 0)
    }
    lib.fn1("%for-check-list") { v in
        if v.listToArray() == nil { throw SchemeError.contract("in-list", expected: "list?", given: v) }
        return v
    }
    lib.fn1("%for-check-vector") { v in
        if case .vector = v { return v }
        throw SchemeError.contract("in-vector", expected: "vector?", given: v)
    }
    lib.fn1("%for-check-string") { v in
        if case .string = v { return v }
        throw SchemeError.contract("in-string", expected: "string?", given: v)
    }
    lib.fn("%make-struct-type", 9, 9) { args in try makeStructType(args) }
    lib.fn1("struct->vector") { v in
        guard case .object(let o as StructInstance) = v else { return .vector(SVector([.sym("struct:" + (v.isProcedure ? "procedure" : "value"))])) }
        return .vector(SVector([.sym("struct:" + o.type.name)] + (o.type.isTransparent ? o.fields : [.sym("...")])))
    }
    lib.fn1("arity-at-least?") { v in
        if case .object(let o as StructInstance) = v { return .bool(o.type === arityAtLeastType) }
        return .false
    }
    lib.fn1("arity-at-least-value") { v in
        guard case .object(let o as StructInstance) = v, o.type === arityAtLeastType else {
            throw SchemeError.contract("arity-at-least-value", expected: "arity-at-least?", given: v)
        }
        return o.fields[0]
    }
    lib.fn0("current-continuation-marks") { .object(ContinuationMarks.shared) }
    lib.fn("raise-arguments-error", 2, nil) { args in
        guard case .symbol(let who) = args[0] else { throw SchemeError.contract("raise-arguments-error", expected: "symbol?", given: args[0]) }
        var msg = "\(who.name): \(Printer.display(args[1]))"
        var i = 2
        while i + 1 < args.count {
            msg += "\n  \(Printer.display(args[i])): \(Printer.print(args[i + 1]))"
            i += 2
        }
        throw SchemeError(.contract, msg)
    }
    lib.fn2("quotient/remainder") { a, b in
        .object(MultipleValues([try Arithmetic.divide(a, b, .quotient, who: "quotient/remainder"), try Arithmetic.divide(a, b, .remainder, who: "quotient/remainder")]))
    }
    lib.add(Primitive(name: "keyword-apply", minArgs: 4, maxArgs: nil, body: .special(.keywordApply)))
    lib.fn1("struct?") { v in
        if case .object(let o as StructInstance) = v { return .bool(o.type.isTransparent) }
        return .false
    }
}

private func arityAtLeast(_ n: Int) -> Value {
    .object(StructInstance(type: arityAtLeastType, fields: [.int(n)]))
}
private let arityAtLeastType = StructType(name: "arity-at-least", fieldNames: ["value"], transparent: true, mutable: false)

private func arityValue(_ p: Prototype) -> Value {
    if p.hasRest { return arityAtLeast(p.requiredCount) }
    if p.optionalCount == 0 { return .int(p.requiredCount) }
    return Value.list(Array(p.requiredCount...(p.requiredCount + p.optionalCount)).map { .int($0) })
}

/// Racket's `error` message: `(error 'who "fmt" v …)` → `who: fmt…`; `(error "msg" v …)` →
/// `msg v …` with the values written; `(error 'sym)` → `sym`.
private func errorMessage(_ args: Arguments, _ rt: Runtime) throws -> String {
    switch args[0] {
    case .symbol(let s):
        if args.count == 1 { return "error: " + s.name }
        guard case .string(let fmt) = args[1] else {
            return s.name + ": " + (1..<args.count).map { Printer.print(args[$0]) }.joined(separator: " ")
        }
        return s.name + ": " + (try formatText(fmt.string, args.array(from: 2), rt))
    case .string(let msg):
        var out = msg.string
        for i in 1..<args.count { out += " " + Printer.print(args[i]) }
        return out
    default:
        throw SchemeError.contract("error", expected: "(or/c symbol? string?)", given: args[0])
    }
}

/// Runs the library's `format` primitive from Swift (it is a plain Swift primitive).
func formatText(_ fmt: String, _ values: [Value], _ rt: Runtime) throws -> String {
    guard case .primitive(let p)? = rt.systemGlobal("format"), case .variadic(let f) = p.body else {
        return fmt + values.map { " " + Printer.display($0) }.joined()
    }
    let v = try Arguments.with([.str(fmt)] + values) { try f($0) }
    return Printer.display(v)
}

/// `(%make-struct-type 'name parent '(field …) transparent? '(mutable? …))` → the values
/// constructor, type, predicate, accessors…, mutators (for mutable fields).
private func makeStructType(_ args: Arguments) throws -> Value {
    guard case .symbol(let name) = args[0] else { throw SchemeError.contract("struct", expected: "symbol?", given: args[0]) }
    var parent: StructType?
    if case .object(let o as StructType) = args[1] { parent = o }
    else if !args[1].isFalse { throw SchemeError.contract("struct", expected: "struct-type?", given: args[1]) }
    let fields = (args[2].listToArray() ?? []).map { Printer.display($0) }
    let mutableFlags = (args[4].listToArray() ?? []).map { $0.isTrue }
    let autoFlags = (args[5].listToArray() ?? []).map { $0.isTrue }
    let autoValue = args[6]
    let parentCount = parent.map { countFields($0) } ?? 0
    let type = StructType(name: name.name, fieldNames: fields, transparent: args[3].isTrue,
                          mutable: mutableFlags.contains(true), parent: parent)
    type.isPrefab = args[7].isTrue
    if !args[8].isFalse { type.procedure = args[8] }
    let given = parentCount + autoFlags.filter { !$0 }.count
    var out: [Value] = []
    out.append(.primitive(Primitive(name: name.name, minArgs: given, maxArgs: given, body: .variadic { a in
        var values = a.array()
        if autoFlags.contains(true) {
            values = Array(values.prefix(parentCount))
            var k = parentCount
            for isAuto in autoFlags {
                if isAuto { values.append(autoValue) } else { values.append(a[k]); k += 1 }
            }
        }
        return .object(StructInstance(type: type, fields: values))
    })))
    out.append(.object(type))
    out.append(.primitive(Primitive(name: name.name + "?", minArgs: 1, maxArgs: 1, body: .fixed1 { v in
        if case .object(let o as StructInstance) = v { return .bool(o.type.isSubtype(of: type)) }
        return .false
    })))
    for (i, f) in fields.enumerated() {
        let who = "\(name.name)-\(f)"
        out.append(.primitive(Primitive(name: who, minArgs: 1, maxArgs: 1, body: .fixed1 { v in
            guard case .object(let o as StructInstance) = v, o.type.isSubtype(of: type) else {
                throw SchemeError.contract(who, expected: "\(name.name)?", given: v)
            }
            return o.fields[parentCount + i]
        })))
    }
    for (i, f) in fields.enumerated() where mutableFlags[i] {
        let who = "set-\(name.name)-\(f)!"
        out.append(.primitive(Primitive(name: who, minArgs: 2, maxArgs: 2, body: .fixed2 { v, x in
            guard case .object(let o as StructInstance) = v, o.type.isSubtype(of: type) else {
                throw SchemeError.contract(who, expected: "\(name.name)?", given: v)
            }
            o.fields[parentCount + i] = x
            return .void
        })))
    }
    return .object(MultipleValues(out))
}

/// What `current-continuation-marks` returns: exceptions made by Scheme code carry it, nothing reads it.
final class ContinuationMarks: SchemeObject, @unchecked Sendable {
    static let shared = ContinuationMarks()
    override var typeName: String { "continuation-mark-set" }
}

private func countFields(_ t: StructType) -> Int {
    t.fieldNames.count + (t.parent.map(countFields) ?? 0)
}
