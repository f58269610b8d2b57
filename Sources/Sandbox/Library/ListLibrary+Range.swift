/// `(range end)`, `(range start end [step])` from `racket/list`, exact or inexact.
///
/// Like Racket's `in-range`, elements are `start`, `start + step`, `start + step + step`, … (repeated
/// addition, so `(range 0 1 0.25)` starts with the exact `0`), while they are below `end` (above it
/// for a negative step). A zero step that would loop forever in Racket is a contract error here.
func registerListRange(_ lib: LibraryBuilder) {
    let rt = lib.runtime
    lib.fn("range", 1, 3) { [unowned rt] args in
        let all = args.array()
        for (i, v) in all.enumerated() where !isReal(v) {
            throw SchemeError.contract("range", expected: "real?", given: v, argument: i, of: all)
        }
        let start = all.count == 1 ? Value.int(0) : all[0]
        let end = all.count == 1 ? all[0] : all[1]
        let step = all.count == 3 ? all[2] : Value.int(1)
        if case .int(let s) = start, case .int(let e) = end, case .int(let d) = step {
            return try fixnumRange(s, e, d, all, rt)
        }
        return try genericRange(start, end, step, all, rt)
    }
}

private func isReal(_ v: Value) -> Bool {
    switch v {
    case .int, .double: return true
    case .object(let o): return o is BigNum || o is Ratnum
    default: return false
    }
}

private func zeroStep(_ step: Value, _ all: [Value]) -> SchemeError {
    SchemeError.contract("range", expected: "(not/c zero?)", given: step, argument: 2, of: all)
}

/// All-fixnum ranges: the count is known up front, and the list is built back to front.
private func fixnumRange(_ s: Int, _ e: Int, _ d: Int, _ all: [Value], _ rt: Runtime) throws -> Value {
    if d == 0 {
        if s < e { throw zeroStep(.int(d), all) }
        return .null
    }
    let (span, overflow) = d > 0 ? e.subtractingReportingOverflow(s) : s.subtractingReportingOverflow(e)
    if span <= 0 && !overflow { return .null }
    let stride = d.magnitude
    let count: Int = overflow ? .max : Int((span.magnitude + stride - 1) / stride)
    try rt.chargeAllocation(pairs: count)
    var out = Value.null
    var i = count - 1
    while i >= 0 {
        out = .pair(Pair(.int(s &+ i &* d), out))
        i -= 1
    }
    return out
}

/// Ranges with a flonum, bignum or rational bound or step: repeated generic addition.
private func genericRange(_ start: Value, _ end: Value, _ step: Value, _ all: [Value], _ rt: Runtime) throws -> Value {
    let up: Bool
    if let c = try rangeCompare(step, .int(0)) {
        if c == 0 {
            if try rangeCompare(start, end) ?? 0 < 0 { throw zeroStep(step, all) }
            return .null
        }
        up = c > 0
    } else {
        return .null  // a NaN step: Racket's loop test fails at once
    }
    // Reserve for the expected count; the loop below also charges as it goes, in case rounding
    // makes the estimate short.
    if let s = try? start.asDouble("range"), let e = try? end.asDouble("range"), let d = try? step.asDouble("range") {
        let estimate = ((e - s) / d).rounded(.up)
        if estimate.isFinite, estimate > 0 {
            try rt.chargeAllocation(pairs: estimate < Double(Int.max >> 8) ? Int(estimate) : Int.max >> 8)
        }
    }
    var b = ListBuilder()
    var cur = start
    var produced = 0
    while let c = try rangeCompare(cur, end), up ? c < 0 : c > 0 {
        b.append(cur)
        produced += 1
        if produced & 0xFFFF == 0 { try rt.chargeAllocation(pairs: 0x10000) }
        cur = try rangeAdd(cur, step)
    }
    return b.finish()
}

/// `a + b` with the common flonum/fixnum cases done here; the rest goes to the numeric tower.
private func rangeAdd(_ a: Value, _ b: Value) throws -> Value {
    switch (a, b) {
    case let (.double(x), .double(y)): return .double(x + y)
    case let (.int(x), .double(y)): return .double(Double(x) + y)
    case let (.double(x), .int(y)): return .double(x + Double(y))
    case let (.int(x), .int(y)):
        let (r, overflow) = x.addingReportingOverflow(y)
        if !overflow { return .int(r) }
        return try Arithmetic.add(a, b)
    default: return try Arithmetic.add(a, b)
    }
}

/// `a` compared with `b` (negative, zero, positive; nil if either is NaN), fixnum and flonum
/// cases here, the rest through the numeric tower.
private func rangeCompare(_ a: Value, _ b: Value) throws -> Int? {
    func order(_ x: Double, _ y: Double) -> Int? {
        if x.isNaN || y.isNaN { return nil }
        return x < y ? -1 : (x > y ? 1 : 0)
    }
    switch (a, b) {
    case let (.int(x), .int(y)): return x < y ? -1 : (x > y ? 1 : 0)
    case let (.double(x), .double(y)): return order(x, y)
    case let (.int(x), .double(y)): return order(Double(x), y)
    case let (.double(x), .int(y)): return order(x, Double(y))
    default: return try Arithmetic.compare(a, b, who: "range")
    }
}
