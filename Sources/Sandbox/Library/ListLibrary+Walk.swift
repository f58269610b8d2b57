/// Walks the pairs of a list one at a time, noticing cycles.
///
/// `set-cdr!` can make circular lists; a primitive that simply followed `cdr`s would spin forever
/// inside Swift, where neither fuel nor the time limit can stop it. Brent's cycle detection costs
/// one identity compare per step (no second pointer chase, unlike Floyd's) and finds a cycle within
/// about twice its length plus its lead-in.
///
/// ```swift
/// var c = ListCursor(v)
/// while let p = c.next() { use(p.car) }
/// if !c.isProper { throw … }   // improper tail (`c.rest`) or cyclic
/// ```
struct ListCursor {
    /// The part of the list not visited yet (after the loop: the tail that is not a pair).
    private(set) var rest: Value
    /// Pairs visited so far.
    private(set) var count = 0
    /// Set when the walk came back to a pair it had seen.
    private(set) var isCyclic = false
    private var mark: Pair?
    private var power = 1
    private var lambda = 0

    init(_ list: Value) { rest = list }

    /// The next pair, or nil at the end of the list (or when a cycle was found).
    @inline(__always)
    mutating func next() -> Pair? {
        guard case .pair(let p) = rest else { return nil }
        if let m = mark, m === p {
            isCyclic = true
            return nil
        }
        lambda &+= 1
        if lambda == power {
            mark = p
            power &<<= 1
            lambda = 0
        }
        count &+= 1
        rest = p.cdr
        return p
    }

    /// True when the walk ended at `'()` (call after `next()` returned nil).
    var isProper: Bool { !isCyclic && rest.isNull }
}

/// Builds a list front to back by mutating the last cell, so no intermediate array is needed.
struct ListBuilder {
    private var head: Pair?
    private var last: Pair?

    init() {}

    @inline(__always)
    mutating func append(_ v: Value) {
        let cell = Pair(v, .null)
        if let last { last.cdr = .pair(cell) } else { head = cell }
        last = cell
    }

    /// The list built so far, ending in `tail`.
    func finish(tail: Value = .null) -> Value {
        guard let head, let last else { return tail }
        last.cdr = tail
        return .pair(head)
    }
}

/// Approximate heap cost of list and vector storage, for `Runtime.reserve(bytes:)`.
enum HeapCost {
    /// One cons cell: object header plus two `Value` payloads.
    static let pair = 48
    /// One vector or array slot.
    static let slot = 16

    /// `count * unit`, capped at 2^48 bytes for absurd counts: far above any memory limit, yet
    /// small enough that the runtime's own sums cannot overflow.
    static func bytes(_ count: Int, _ unit: Int) -> Int {
        let (r, overflow) = count.multipliedReportingOverflow(by: unit)
        return overflow || r > cap ? cap : r
    }
    static let cap = 1 << 48
}

extension Runtime {
    /// Fuel and memory for producing `count` new pairs: charged before allocating, so a huge
    /// request fails with a limit error instead of growing the process.
    func chargeAllocation(pairs count: Int) throws {
        // Clamped so that an absurd count cannot wrap the fuel counter around.
        try charge(min(count, Int.max >> 4))
        try reserve(bytes: HeapCost.bytes(count, HeapCost.pair))
    }

    /// The elements of a proper list (`list?`), charging fuel for the walk.
    /// Throws `who: contract violation expected: list?` for improper or cyclic lists.
    func properList(_ v: Value, _ who: String, expected: String = "list?") throws -> [Value] {
        var out: [Value] = []
        var c = ListCursor(v)
        while let p = c.next() { out.append(p.car) }
        try charge(c.count)
        guard c.isProper else { throw SchemeError.contract(who, expected: expected, given: v) }
        return out
    }

    /// The length of a proper list, charging fuel for the walk; nil for improper or cyclic lists.
    func properLength(_ v: Value) throws -> Int? {
        var c = ListCursor(v)
        while c.next() != nil {}
        try charge(c.count)
        return c.isProper ? c.count : nil
    }
}
