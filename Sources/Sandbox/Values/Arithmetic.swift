import BigInt

/// The numeric tower's generic operations (fixnum, bignum, rational, flonum, complex), used by the
/// VM's slow paths and the number library.
///
/// Each operation first matches the common pairs (two fixnums, two flonums, fixnum with flonum) in
/// one `switch`, so the usual case costs a tag test and an overflow-checked machine operation; the
/// rest goes through `@inline(never)` slow paths. Racket's rules that plain IEEE arithmetic would
/// get wrong are kept: exact 0 times anything is exact 0, `(+ 0 -0.0)` is `-0.0`, and dividing by
/// an exact 0 is an error even for a flonum dividend.
enum Arithmetic {
    /// `(+ a b)`.
    static func add(_ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, overflow) = x.addingReportingOverflow(y)
            return overflow ? .object(BigNum(BigInt(x) + BigInt(y))) : .int(r)
        case let (.double(x), .double(y)): return .double(x + y)
        case let (.double(x), .int(y)): return .double(y == 0 ? x : x + Double(y))
        case let (.int(x), .double(y)): return .double(x == 0 ? y : Double(x) + y)
        default: return try addSlow(a, b)
        }
    }

    /// `(- a b)`.
    static func sub(_ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, overflow) = x.subtractingReportingOverflow(y)
            return overflow ? .object(BigNum(BigInt(x) - BigInt(y))) : .int(r)
        case let (.double(x), .double(y)): return .double(x - y)
        case let (.double(x), .int(y)): return .double(y == 0 ? x : x - Double(y))
        case let (.int(x), .double(y)): return .double(x == 0 ? -y : Double(x) - y)
        default: return try subSlow(a, b)
        }
    }

    /// `(* a b)`.
    static func mul(_ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? .object(BigNum(BigInt(x) * BigInt(y))) : .int(r)
        case let (.double(x), .double(y)): return .double(x * y)
        case let (.double(x), .int(y)): return y == 0 ? .int(0) : .double(x * Double(y))
        case let (.int(x), .double(y)): return x == 0 ? .int(0) : .double(Double(x) * y)
        default: return try mulSlow(a, b)
        }
    }

    /// `(/ a b)`: exact division stays exact (`1/3`); an exact 0 divisor is always an error.
    static func div(_ a: Value, _ b: Value) throws -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { throw SchemeError.divideByZero("/") }
            let (r, overflow) = x.remainderReportingOverflow(dividingBy: y)
            if !overflow && r == 0 { return .int(x / y) }
            return rational(BigInt(x), BigInt(y))
        case let (.double(x), .double(y)): return .double(x / y)
        case let (.double(x), .int(y)):
            if y == 0 { throw SchemeError.divideByZero("/") }
            return .double(x / Double(y))
        case let (.int(x), .double(y)): return x == 0 ? .int(0) : .double(Double(x) / y)
        default: return try divSlow(a, b)
        }
    }

    /// Numeric comparison: negative, zero or positive like `a - b`; `who` names the caller in errors.
    /// NaN compares as unordered: `compare` returns nil.
    ///
    /// A flonum and an exact number compare exactly (Racket converts the flonum to exact), so
    /// `(< 9007199254740993 9007199254740992.0)` is false.
    static func compare(_ a: Value, _ b: Value, who: String) throws -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.double(x), .double(y)): return compareDoubles(x, y)
        case let (.double(x), .int(y)) where y.magnitude <= 1 << 53: return compareDoubles(x, Double(y))
        case let (.int(x), .double(y)) where x.magnitude <= 1 << 53: return compareDoubles(Double(x), y)
        default: return try compareSlow(a, b, who: who)
        }
    }

    /// `=` on any two numbers (complex numbers compare part by part).
    static func numEqual(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        default: return try numEqualSlow(a, b)
        }
    }

    /// `zero?`: true for `0`, `0.0` and `-0.0`.
    static func isZero(_ a: Value) throws -> Bool {
        switch a {
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .object(let o):
            if o is BigNum || o is Ratnum { return false }
            if let z = o as? Complex { return try isZero(z.real) && isZero(z.imag) }
        default: break
        }
        throw SchemeError.contract("zero?", expected: "number?", given: a)
    }

    /// `number?`.
    static func isNumber(_ a: Value) -> Bool {
        switch a {
        case .int, .double: return true
        case .object(let o): return o is BigNum || o is Ratnum || o is Complex
        default: return false
        }
    }

    /// `real?`: every number but a complex one.
    static func isReal(_ a: Value) -> Bool {
        switch a {
        case .int, .double: return true
        case .object(let o): return o is BigNum || o is Ratnum
        default: return false
        }
    }

    /// `exact?` without the contract check: true for fixnums, bignums, ratnums and exact complexes.
    static func isExact(_ a: Value) -> Bool {
        switch a {
        case .int: return true
        case .double: return false
        case .object(let o):
            if let z = o as? Complex { return isExact(z.real) }
            return o is BigNum || o is Ratnum
        default: return false
        }
    }

    /// `eqv?` on numbers: same exactness and same value, flonums compared bit for bit except that
    /// every NaN is `eqv?` to every other (`(eqv? 0.0 -0.0)` is false), complex numbers part by
    /// part. nil when either value is not a number, so `Equality.eqv` can fall back to identity.
    static func eqv(_ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        default:
            guard isNumber(a), isNumber(b) else { return nil }
            switch (a, b) {
            case let (.object(x as BigNum), .object(y as BigNum)): return x.value == y.value
            case let (.object(x as Ratnum), .object(y as Ratnum)):
                return x.numerator == y.numerator && x.denominator == y.denominator
            case let (.object(x as Complex), .object(y as Complex)):
                return eqv(x.real, y.real) == true && eqv(x.imag, y.imag) == true
            default: return false
            }
        }
    }

    /// `(- a)`.
    static func negate(_ a: Value) throws -> Value { try sub(.int(0), a) }

    @inline(__always)
    static func compareDoubles(_ x: Double, _ y: Double) -> Int? {
        if x < y { return -1 }
        if x > y { return 1 }
        if x == y { return 0 }
        return nil
    }
}

// MARK: - Slow paths

extension Arithmetic {
    /// Where a value sits in the tower; `who`/`expected` name the caller for the contract error.
    enum Rank: Int, Comparable {
        case fixnum, bignum, ratnum, flonum, complex
        static func < (a: Rank, b: Rank) -> Bool { a.rawValue < b.rawValue }
    }

    static func rank(_ v: Value, _ who: String, expected: String = "number?") throws -> Rank {
        switch v {
        case .int: return .fixnum
        case .double: return .flonum
        case .object(let o):
            if o is BigNum { return .bignum }
            if o is Ratnum { return .ratnum }
            if o is Complex { return .complex }
        default: break
        }
        throw SchemeError.contract(who, expected: expected, given: v)
    }

    @inline(never)
    static func addSlow(_ a: Value, _ b: Value) throws -> Value {
        let top = max(try rank(a, "+"), try rank(b, "+"))
        switch top {
        case .complex: return try Complex.add(a, b)
        case .flonum: return .double(toDouble(a) + toDouble(b))
        case .bignum, .fixnum: return Value.integer(bigInteger(a) + bigInteger(b))
        case .ratnum:
            let (an, ad) = ratParts(a), (bn, bd) = ratParts(b)
            return try BigWork.perform(.divide, cost: ratnumCost(an, ad, bn, bd)) { rational(an * bd + bn * ad, ad * bd) }
        }
    }

    @inline(never)
    static func subSlow(_ a: Value, _ b: Value) throws -> Value {
        let top = max(try rank(a, "-"), try rank(b, "-"))
        switch top {
        case .complex: return try Complex.sub(a, b)
        case .flonum: return .double(toDouble(a) - toDouble(b))
        case .bignum, .fixnum: return Value.integer(bigInteger(a) - bigInteger(b))
        case .ratnum:
            let (an, ad) = ratParts(a), (bn, bd) = ratParts(b)
            return try BigWork.perform(.divide, cost: ratnumCost(an, ad, bn, bd)) { rational(an * bd - bn * ad, ad * bd) }
        }
    }

    @inline(never)
    static func mulSlow(_ a: Value, _ b: Value) throws -> Value {
        let ra = try rank(a, "*"), rb = try rank(b, "*")
        if case .int(0) = a { return .int(0) }
        if case .int(0) = b { return .int(0) }
        switch max(ra, rb) {
        case .complex: return try Complex.mul(a, b)
        case .flonum: return .double(toDouble(a) * toDouble(b))
        case .bignum, .fixnum:
            let x = bigInteger(a), y = bigInteger(b)
            return try BigWork.perform(.multiply, cost: BigWork.multiplyCost(x, y)) { Value.integer(x * y) }
        case .ratnum:
            let (an, ad) = ratParts(a), (bn, bd) = ratParts(b)
            return try BigWork.perform(.divide, cost: ratnumCost(an, ad, bn, bd)) { rational(an * bn, ad * bd) }
        }
    }

    @inline(never)
    static func divSlow(_ a: Value, _ b: Value) throws -> Value {
        let ra = try rank(a, "/"), rb = try rank(b, "/")
        if case .int(0) = b { throw SchemeError.divideByZero("/") }
        if case .int(0) = a { return .int(0) }
        switch max(ra, rb) {
        case .complex: return try Complex.div(a, b)
        case .flonum: return .double(toDouble(a) / toDouble(b))
        case .bignum, .fixnum, .ratnum:
            let (an, ad) = ratParts(a), (bn, bd) = ratParts(b)
            return try BigWork.perform(.divide, cost: ratnumCost(an, ad, bn, bd)) { rational(an * bd, ad * bn) }
        }
    }

    /// Word operations of combining two exact rationals: the cross products and the gcd that
    /// brings the result to lowest terms (quadratic in BigInt).
    static func ratnumCost(_ an: BigInt, _ ad: BigInt, _ bn: BigInt, _ bd: BigInt) -> Double {
        let n = BigWork.words(an) + BigWork.words(bd) + BigWork.words(bn) + BigWork.words(ad)
        return n * n
    }

    @inline(never)
    static func compareSlow(_ a: Value, _ b: Value, who: String) throws -> Int? {
        let ra = try rank(a, who, expected: "real?"), rb = try rank(b, who, expected: "real?")
        if ra == .complex { throw SchemeError.contract(who, expected: "real?", given: a) }
        if rb == .complex { throw SchemeError.contract(who, expected: "real?", given: b) }
        if ra == .flonum && rb == .flonum { return compareDoubles(toDouble(a), toDouble(b)) }
        if ra == .flonum { return compareFlonum(toDouble(a), exact: b) }
        if rb == .flonum { return compareFlonum(toDouble(b), exact: a).map { -$0 } }
        return compareExact(a, b)
    }

    /// Compares a flonum with an exact number exactly (infinities and NaN first).
    static func compareFlonum(_ x: Double, exact b: Value) -> Int? {
        if x.isNaN { return nil }
        if x.isInfinite { return x > 0 ? 1 : -1 }
        return compareExact(exactFromFinite(x), b)
    }

    /// Compares two exact numbers by sign, then by cross-multiplication.
    static func compareExact(_ a: Value, _ b: Value) -> Int {
        if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : (x == y ? 0 : 1) }
        let (an, ad) = ratParts(a), (bn, bd) = ratParts(b)
        let lhs = an * bd, rhs = bn * ad
        return lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)
    }

    @inline(never)
    static func numEqualSlow(_ a: Value, _ b: Value) throws -> Bool {
        let ra = try rank(a, "="), rb = try rank(b, "=")
        if ra == .complex || rb == .complex {
            let (ar, ai) = Complex.parts(a), (br, bi) = Complex.parts(b)
            return try numEqual(ar, br) && numEqual(ai, bi)
        }
        return try compare(a, b, who: "=") == 0
    }
}
