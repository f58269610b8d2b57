/// `(%sort list less? keyed? wrapped-less?)`, the native body of `sort` (PreludeLists+Sort.swift).
///
/// A built-in comparator (`<`, `>`, `string<?`, `string>?`, any other plain primitive) is called
/// from Swift in one loop: no VM round trip per comparison (200,000 integers: 3.1 s in the Scheme
/// merge sort before, see docs/performance.md "Issue 13"). Any other comparator runs in the VM
/// between the steps of a `StableMergeSort`: each comparison is an ordinary call whose return
/// frame carries a `FrameMarker.sort` marker, and the sort's state sits in the stack slot of the
/// `%sort` call itself. So a comparator may wait on a model call, raise to a handler outside the
/// sort or escape from it exactly as from any other call, and no Swift stack is held meanwhile.
///
/// `keyed?` true: every element is a `(key . item)` pair; keys are compared, items returned.
/// `wrapped-less?` is `(lambda (a b) (less? a b))`, used when `less?` is a procedure the VM can
/// only enter through its general call path (case-lambda, applicable struct, …).
extension Interpreter {
    /// Starts a sort for the `%sort` call at `calleeIndex`. Returns an outcome only if the run ends.
    func startSort(argc: Int, tail: Bool, _ fiber: Fiber) throws -> RunOutcome? {
        let calleeIndex = fiber.sp - argc - 1
        let args = fiber.stack + calleeIndex + 1
        try Interpreter.checkComparatorArity(args[1])
        let items = try runtime.properList(args[0], "sort")
        var keys = items
        var results = items
        if args[2].isTrue {
            for (i, element) in items.enumerated() {
                guard case .pair(let p) = element else { throw SchemeError.contract("sort", expected: "pair?", given: element) }
                keys[i] = p.car
                results[i] = p.cdr
            }
        }
        let run = SortRun(keys: keys, results: results, original: args[2].isTrue ? nil : args[0])
        switch args[1] {
        case .primitive(let p):
            if case .special = p.body { break }
            try run.sortNow(with: SortComparator(p), runtime)
            return complete(try run.result(runtime), calleeIndex: calleeIndex, tail: tail, fiber)
        default:
            break
        }
        let comparator: Closure
        if case .closure(let c) = args[1] {
            comparator = c
        } else if case .closure(let c) = args[3] {
            comparator = c
        } else {
            throw SchemeError.contract("sort", expected: "procedure?", given: args[3])
        }
        run.comparator = comparator
        guard let question = run.sorter.start() else {
            return complete(try run.result(runtime), calleeIndex: calleeIndex, tail: tail, fiber)
        }
        // The run lives in the `%sort` call's own slot until the sort returns into that slot.
        fiber.truncateStack(to: calleeIndex)
        fiber.stack[calleeIndex] = .object(run)
        fiber.sp = calleeIndex + 1
        if tail {
            // The marker frames return through a `ret`, so the sorted list returns from the frame.
            fiber.code = returnTrampoline
            fiber.ip = 0
        }
        try callComparator(run, question, slot: calleeIndex, fiber)
        return nil
    }

    /// A comparison returned through a `FrameMarker.sort` frame: records the answer, then asks
    /// the next question or puts the sorted list in the `%sort` call's slot.
    func continueSort(slot: Int, _ fiber: Fiber) throws {
        fiber.sp -= 1
        let answer = fiber.stack[fiber.sp].isTrue
        fiber.stack[fiber.sp] = .null
        guard case .object(let o) = fiber.stack[slot], let run = o as? SortRun else {
            preconditionFailure("sort marker without its sort state")
        }
        if let question = run.sorter.answer(answer) {
            // A comparator without calls or jumps charges no fuel itself: charge each comparison,
            // so the time and fuel limits still stop a huge sort.
            try runtime.charge(1)
            try callComparator(run, question, slot: slot, fiber)
            return
        }
        let result = try run.result(runtime)
        fiber.truncateStack(to: slot)
        fiber.stack[slot] = result
        fiber.sp = slot + 1
    }

    /// Racket checks up front that the comparator accepts two arguments.
    private static func checkComparatorArity(_ less: Value) throws {
        let accepts: Bool
        switch less {
        case .primitive(let p): accepts = p.minArgs <= 2 && (p.maxArgs.map { $0 >= 2 } ?? true)
        case .closure(let c): accepts = c.proto.accepts(2) && !c.proto.keywords.contains { $0.required }
        default: accepts = true
        }
        if !accepts { throw SchemeError.contract("sort", expected: "(any/c any/c . -> . any/c)", given: less) }
    }

    /// Calls the comparator with the two keys of `question`, its return frame marked to continue the sort.
    private func callComparator(_ run: SortRun, _ question: (Int, Int), slot: Int, _ fiber: Fiber) throws {
        guard let comparator = run.comparator else { preconditionFailure("sort in the VM without a comparator") }
        if fiber.sp + 3 + 8 > fiber.stackCapacity { fiber.growStack(to: fiber.sp + 3 + 8) }
        let base = fiber.sp
        fiber.stack[base] = .closure(comparator)
        fiber.stack[base + 1] = run.keys[question.0]
        fiber.stack[base + 2] = run.keys[question.1]
        fiber.sp = base + 3
        try enterClosure(comparator, positional: 2, keywords: [], tail: false,
                         marker: FrameMarker.make(FrameMarker.sort, slot), fiber)
    }
}

/// The state of one `sort` call: what is sorted, and how far the merge sort got.
final class SortRun: SchemeObject, @unchecked Sendable {
    let keys: [Value]
    let results: [Value]
    /// The list sorted, returned as it is when already in order (nil when keyed: a new list).
    let original: Value?
    var sorter: StableMergeSort
    var comparator: Closure?

    init(keys: [Value], results: [Value], original: Value?) {
        self.keys = keys
        self.results = results
        self.original = original
        sorter = StableMergeSort(count: keys.count)
    }

    override var typeName: String { "sort-state" }

    /// Sorts with a built-in comparator, entirely in Swift.
    func sortNow(with comparator: SortComparator, _ runtime: Runtime) throws {
        var question = sorter.start()
        var sinceCharge = 0
        try keys.withUnsafeBufferPointer { keys in
            while let (a, b) = question {
                question = sorter.answer(try comparator.isLess(keys[a], keys[b]))
                sinceCharge &+= 1
                if sinceCharge == 4096 { try runtime.charge(sinceCharge); sinceCharge = 0 }
            }
        }
        try runtime.charge(sinceCharge)
    }

    /// The sorted list.
    func result(_ runtime: Runtime) throws -> Value {
        guard let order = sorter.order else {
            return original ?? Value.list(results)
        }
        try runtime.chargeAllocation(pairs: order.count)
        var list = Value.null
        for i in order.reversed() { list = .pair(Pair(results[i], list)) }
        return list
    }
}

/// A built-in comparator called from Swift: direct comparisons for the common orders on the
/// common kinds, the primitive itself otherwise (which also raises its own errors).
struct SortComparator {
    private enum Kind { case less, greater, stringLess, stringGreater, other }
    private let kind: Kind
    private let primitive: Primitive

    init(_ p: Primitive) {
        primitive = p
        switch (p.name, p.inlineOp) {
        case ("<", .lt?): kind = .less
        case (">", .gt?): kind = .greater
        case ("string<?", _): kind = .stringLess
        case ("string>?", _): kind = .stringGreater
        default: kind = .other
        }
    }

    @inline(__always)
    func isLess(_ a: Value, _ b: Value) throws -> Bool {
        switch kind {
        case .less:
            if case .int(let x) = a, case .int(let y) = b { return x < y }
        case .greater:
            if case .int(let x) = a, case .int(let y) = b { return x > y }
        case .stringLess:
            if case .string(let x) = a, case .string(let y) = b { return SortComparator.compare(x, y) < 0 }
        case .stringGreater:
            if case .string(let x) = a, case .string(let y) = b { return SortComparator.compare(x, y) > 0 }
        case .other:
            break
        }
        return try call(a, b)
    }

    private static func compare(_ x: MString, _ y: MString) -> Int {
        x.scalars.withUnsafeBufferPointer { a in y.scalars.withUnsafeBufferPointer { b in compareScalars(a, b) } }
    }

    @inline(never)
    private func call(_ a: Value, _ b: Value) throws -> Bool {
        switch primitive.body {
        case .fixed2(let f): return try f(a, b).isTrue
        case .variadic(let f):
            if primitive.minArgs > 2 || (primitive.maxArgs.map { $0 < 2 } ?? false) {
                throw SchemeError.arity(primitive.name, expected: primitive.arityDescription, given: 2)
            }
            return try withUnsafeTemporaryAllocation(of: Value.self, capacity: 2) { buffer in
                let base = buffer.baseAddress.unsafelyUnwrapped
                base.initialize(to: a)
                (base + 1).initialize(to: b)
                defer { base.deinitialize(count: 2) }
                return try f(Arguments(base: base, count: 2)).isTrue
            }
        case .keywords(let f):
            return try Arguments.with([a, b]) { try f($0, [:]) }.isTrue
        default:
            throw SchemeError.arity(primitive.name, expected: primitive.arityDescription, given: 2)
        }
    }
}
