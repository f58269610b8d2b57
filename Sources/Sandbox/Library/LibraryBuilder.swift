/// Registers primitives into a runtime's global environment.
///
/// Each `Library/*Library.swift` file has one `register…(into:)` function that uses this builder;
/// `StandardLibrary.install` calls them all.
struct LibraryBuilder {
    let runtime: Runtime

    /// Binds `name` to a value.
    func define(_ name: String, _ value: Value) {
        runtime.defineBuiltin(name, value)
    }

    @discardableResult
    func add(_ p: Primitive) -> Primitive {
        runtime.defineBuiltin(p.name, .primitive(p))
        return p
    }

    @discardableResult
    func fn0(_ name: String, _ f: @escaping () throws -> Value) -> Primitive {
        add(Primitive(name: name, minArgs: 0, maxArgs: 0, body: .fixed0(f)))
    }
    @discardableResult
    func fn1(_ name: String, _ f: @escaping (Value) throws -> Value) -> Primitive {
        add(Primitive(name: name, minArgs: 1, maxArgs: 1, body: .fixed1(f)))
    }
    @discardableResult
    func fn2(_ name: String, _ f: @escaping (Value, Value) throws -> Value) -> Primitive {
        add(Primitive(name: name, minArgs: 2, maxArgs: 2, body: .fixed2(f)))
    }
    @discardableResult
    func fn3(_ name: String, _ f: @escaping (Value, Value, Value) throws -> Value) -> Primitive {
        add(Primitive(name: name, minArgs: 3, maxArgs: 3, body: .fixed3(f)))
    }
    /// A primitive taking between `min` and `max` arguments (`max` nil = any number).
    @discardableResult
    func fn(_ name: String, _ min: Int, _ max: Int?, _ f: @escaping (Arguments) throws -> Value) -> Primitive {
        add(Primitive(name: name, minArgs: min, maxArgs: max, body: .variadic(f)))
    }
    /// A primitive accepting the keywords `keywords` (names without `#:`).
    @discardableResult
    func fnKw(_ name: String, _ min: Int, _ max: Int?, keywords: [String], required: [String] = [],
              _ f: @escaping (Arguments, KeywordArguments) throws -> Value) -> Primitive {
        add(Primitive(name: name, minArgs: min, maxArgs: max, body: .keywords(f),
                      keywords: Set(keywords.map(Symbol.intern)),
                      requiredKeywords: Set(required.map(Symbol.intern))))
    }
    /// Makes `name` another name for the existing global `existing`.
    func alias(_ name: String, _ existing: String) {
        if let v = runtime.global(existing) { runtime.defineBuiltin(name, v) }
    }
}
