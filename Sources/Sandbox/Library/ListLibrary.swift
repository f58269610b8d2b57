/// The first-order list primitives of `racket/base` and `racket/list` (reference §2.10).
///
/// Only procedures that never call a Scheme procedure live here: a Swift primitive cannot
/// suspend its fiber, so `map`, `filter`, `sort` & co. are Scheme code in `PreludeLists`.
/// Primitives that walk a list charge one step of fuel per element, and those that allocate
/// reserve memory first (`Runtime.chargeAllocation(pairs:)`).
func registerListLibrary(_ lib: LibraryBuilder) {
    registerPairPrimitives(lib)
    registerListAccess(lib)
    registerListConstruction(lib)
    registerListRange(lib)
    registerListSearch(lib)
    registerListRemoval(lib)
    registerEqualityAndBoxes(lib)
    registerListPreludeSupport(lib)
}

/// cons, car, cdr, the `c[ad]{2,3}r` family, `list`, `list*`, the pair predicates and mutators.
private func registerPairPrimitives(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn2("cons") { a, d in .pair(Pair(a, d)) }.inlineOp = .cons
    lib.fn1("car") { v in try v.asPair("car").car }.inlineOp = .car
    lib.fn1("cdr") { v in try v.asPair("cdr").cdr }.inlineOp = .cdr
    for ops in CxrPath.all { lib.fn1(ops.name) { v in try ops.apply(v) } }

    lib.fn("list", 0, nil) { args in
        var b = ListBuilder()
        for i in 0..<args.count { b.append(args[i]) }
        return b.finish()
    }
    lib.fn("list*", 1, nil) { args in
        var b = ListBuilder()
        for i in 0..<(args.count - 1) { b.append(args[i]) }
        return b.finish(tail: args[args.count - 1])
    }
    lib.define("empty", .null)
    lib.fn1("null?") { v in .bool(v.isNull) }.inlineOp = .isNull
    lib.fn1("empty?") { v in .bool(v.isNull) }
    lib.fn1("pair?") { v in
        if case .pair = v { return .true }
        return .false
    }.inlineOp = .isPair
    lib.fn1("cons?") { v in
        if case .pair = v { return .true }
        return .false
    }
    lib.fn1("list?") { [unowned rt] v in .bool(try rt.properLength(v) != nil) }
    lib.fn2("set-car!") { p, v in
        try p.asPair("set-car!").car = v
        return .void
    }
    lib.fn2("set-cdr!") { p, v in
        try p.asPair("set-cdr!").cdr = v
        return .void
    }
}

/// One of `caar` … `cdddr`: the accessors to apply, innermost first.
struct CxrPath {
    let name: String
    /// `true` for car, `false` for cdr, in application order (`cadr` = cdr, then car).
    let steps: [Bool]
    /// Racket's contract for the argument, e.g. `(cons/c any/c pair?)` for `cadr`.
    let contract: String

    init(letters: String) {
        name = "c\(letters)r"
        steps = letters.reversed().map { $0 == "a" }
        contract = CxrPath.contract(for: steps[...])
    }

    /// Every two- and three-letter combination (`caar` … `cdddr`).
    static let all: [CxrPath] = {
        var out: [CxrPath] = []
        for length in 2...3 {
            for bits in 0..<(1 << length) {
                let letters = (0..<length).map { (bits >> (length - 1 - $0)) & 1 == 0 ? "a" : "d" }.joined()
                out.append(CxrPath(letters: letters))
            }
        }
        return out
    }()

    private static func contract(for steps: ArraySlice<Bool>) -> String {
        guard let first = steps.first, steps.count > 1 else { return "pair?" }
        let inner = contract(for: steps.dropFirst())
        return first ? "(cons/c \(inner) any/c)" : "(cons/c any/c \(inner))"
    }

    func apply(_ v: Value) throws -> Value {
        var cur = v
        for isCar in steps {
            guard case .pair(let p) = cur else {
                throw SchemeError.contract(name, expected: contract, given: v)
            }
            cur = isCar ? p.car : p.cdr
        }
        return cur
    }
}
