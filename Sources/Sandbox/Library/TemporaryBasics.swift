// TEMPORARY until the library branches merge.
func registerTemporaryBasics(_ real: LibraryBuilder) {
    let lib = TemporaryBuilder(inner: real)
    lib.fn2("cons") { a, b in .pair(Pair(a, b)) }
    lib.fn1("car") { v in try v.asPair("car").car }
    lib.fn1("cdr") { v in try v.asPair("cdr").cdr }
    lib.fn("list", 0, nil) { a in Value.list(a.array()) }
    lib.fn1("null?") { v in .bool(v.isNull) }
    lib.fn1("pair?") { v in if case .pair = v { return .true }; return .false }
    lib.fn1("not") { v in .bool(v.isFalse) }
    lib.fn2("eq?") { a, b in .bool(Equality.eq(a, b)) }
    lib.fn("+", 0, nil) { a in .int((0..<a.count).reduce(0) { $0 + (try! a[$1].asInt("+")) }) }
    lib.fn("-", 1, nil) { a in a.count == 1 ? .int(-(try a[0].asInt("-"))) : .int((1..<a.count).reduce(try a[0].asInt("-")) { $0 - (try! a[$1].asInt("-")) }) }
    lib.fn("*", 0, nil) { a in .int((0..<a.count).reduce(1) { $0 * (try! a[$1].asInt("*")) }) }
    lib.fn2("<") { a, b in .bool(try a.asInt("<") < b.asInt("<")) }
    lib.fn2(">") { a, b in .bool(try a.asInt(">") > b.asInt(">")) }
    lib.fn2("=") { a, b in .bool(try a.asInt("=") == b.asInt("=")) }
    lib.fn1("display") { v in try lib.runtime.currentOutputPort().write(Printer.display(v)); return .void }
    lib.fn1("reverse") { v in Value.list(Array((v.listToArray() ?? []).reversed())) }
    lib.fn("void", 0, nil) { _ in .void }
    lib.fn0("open-output-string") { .object(OutputPort()) }
    lib.fn1("get-output-string") { v in if case .object(let p as OutputPort) = v { return .str(p.text) }; return .str("") }
    lib.define("current-output-port", .object(lib.runtime.outputParameter))
}

struct TemporaryBuilder {
    let inner: LibraryBuilder
    var runtime: Runtime { inner.runtime }
    func missing(_ n: String) -> Bool { inner.runtime.global(n) == nil }
    func fn1(_ n: String, _ f: @escaping (Value) throws -> Value) { if missing(n) { inner.fn1(n, f) } }
    func fn2(_ n: String, _ f: @escaping (Value, Value) throws -> Value) { if missing(n) { inner.fn2(n, f) } }
    func fn0(_ n: String, _ f: @escaping () throws -> Value) { if missing(n) { inner.fn0(n, f) } }
    func fn(_ n: String, _ a: Int, _ b: Int?, _ f: @escaping (Arguments) throws -> Value) { if missing(n) { inner.fn(n, a, b, f) } }
    func define(_ n: String, _ v: Value) { if missing(n) { inner.define(n, v) } }
}
