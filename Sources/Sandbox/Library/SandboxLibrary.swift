/// The sandbox's own bindings (reference §2.2–§2.4, §2.9, §11): opaque syntax objects and the
/// logged escape hatches, context, and the names that end an evaluation.
func registerSandboxLibrary(_ lib: LibraryBuilder) {
    let rt = lib.runtime

    // MARK: Scope hygiene (§2.2)
    lib.fn1("syntax-e") { v in
        let unwrapped: Value
        if case .object(let s as SyntaxObject) = v { unwrapped = s.datum } else { unwrapped = v }
        rt.log("syntax-e", Printer.display(unwrapped, maxDepth: 50))
        return unwrapped
    }
    lib.fn("datum->syntax", 2, nil) { args in
        rt.log("datum->syntax", Printer.display(args[1], maxDepth: 50))
        return .object(SyntaxObject(args[1]))
    }
    lib.fn1("racket-syntax-e") { v in
        if case .object(let s as SyntaxObject) = v { return s.datum }
        throw SchemeError.contract("syntax-e", expected: "syntax?", given: v)
    }
    lib.fn("racket-datum->syntax", 2, nil) { args in .object(SyntaxObject(args[1])) }
    lib.fn1("syntax?") { v in
        if case .object(let o) = v, o is SyntaxObject { return .true }
        return .false
    }
    lib.fn1("syntax->datum") { v in
        if case .object(let s as SyntaxObject) = v { return s.datum }
        throw SchemeError.contract("syntax->datum", expected: "syntax?", given: v)
    }

    // MARK: Escape hatches (§2.9), all logged
    lib.fn1("unsafe-interpolate") { v in
        let unwrapped: Value
        if case .object(let s as SyntaxObject) = v { unwrapped = s.datum } else { unwrapped = v }
        rt.log("unsafe-interpolate", Printer.display(unwrapped, maxDepth: 50))
        return unwrapped
    }
    lib.fn2("unsafe-overwrite") { name, value in
        let sym = try name.asSymbol("unsafe-overwrite")
        rt.log("unsafe-overwrite", "\(sym.name) = \(Printer.display(value, maxDepth: 50))")
        guard let cell = rt.globals[sym], !cell.value.isMissing else {
            throw SchemeError(.unbound, "set!: assignment disallowed;\n cannot set variable before its definition\n  variable: \(sym.name)\n  in module: 'program")
        }
        cell.value = value
        return .void
    }
    lib.fn1("%compile-sub-output") { v in
        let text: Value
        if case .object(let s as SyntaxObject) = v { text = s.datum } else { text = v }
        guard case .string(let s) = text else { throw SchemeError.contract("unsafe-exec-sub-output", expected: "string?", given: text) }
        rt.log("unsafe-exec-sub-output", s.string)
        var reader = Reader(s.string, sourceName: "sub-output")
        guard let datum = try reader.read() else {
            throw SchemeError(.read, "unsafe-exec-sub-output: no code in the text")
        }
        guard let host = rt.host else { throw SchemeError(.internal, "compiler unavailable") }
        return try host.compileTopLevel(datum)
    }
    lib.fn1("%compile") { datum in
        guard let host = rt.host else { throw SchemeError(.internal, "compiler unavailable") }
        return try host.compileTopLevel(datum)
    }

    // MARK: Globals by name
    lib.fn1("%global-ref") { v in
        let name: Symbol
        switch v {
        case .string(let s): name = Symbol.intern(s.string)
        case .symbol(let s): name = s
        default: throw SchemeError.contract("finish-var", expected: "string?", given: v)
        }
        guard let value = rt.global(name.name) else { throw SchemeError.unbound(name.name) }
        return value
    }

    // MARK: Context (§2.4, §11)
    lib.define("context", .str(""))
    lib.define("context-store", .hash(rt.contextStore))
    lib.fn1("get-context") { name in
        rt.contextStore.get(.string(try name.asString("get-context"))) ?? .false
    }
    lib.fn("load-context", 1, 2) { args in
        for i in 0..<args.count {
            guard case .string = args[i] else { throw SchemeError(.contract, "load-context: expected string arguments") }
        }
        if args.count == 2 {
            return .str(rt.loadContext(Printer.display(args[1]), name: Printer.display(args[0])))
        }
        return .str(rt.loadContext(Printer.display(args[0]), name: nil))
    }
}

extension Runtime {
    /// Sets `context` (and `context-store[name]`), returning the confirmation the host command returns.
    func loadContext(_ data: String, name: String?) -> String {
        cell(Symbol.intern("context")).value = .str(data)
        forwardContextToPython(data, name: name)
        if let name {
            contextStore.set(.str(name), .str(data))
            return "context loaded as '\(name)'"
        }
        return "context loaded"
    }
}
