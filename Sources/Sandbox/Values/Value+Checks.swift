import BigInt

/// Argument checks that raise Racket-style contract errors (`who: contract violation …`).
extension Value {
    @inline(__always)
    func asPair(_ who: String) throws -> Pair {
        if case .pair(let p) = self { return p }
        throw SchemeError.contract(who, expected: "pair?", given: self)
    }
    func asString(_ who: String) throws -> MString {
        if case .string(let s) = self { return s }
        throw SchemeError.contract(who, expected: "string?", given: self)
    }
    func asSymbol(_ who: String) throws -> Symbol {
        if case .symbol(let s) = self { return s }
        throw SchemeError.contract(who, expected: "symbol?", given: self)
    }
    func asChar(_ who: String) throws -> Unicode.Scalar {
        if case .char(let c) = self { return c }
        throw SchemeError.contract(who, expected: "char?", given: self)
    }
    func asVector(_ who: String) throws -> SVector {
        if case .vector(let v) = self { return v }
        throw SchemeError.contract(who, expected: "vector?", given: self)
    }
    func asHash(_ who: String) throws -> HashTable {
        if case .hash(let h) = self { return h }
        throw SchemeError.contract(who, expected: "hash?", given: self)
    }
    /// A fixnum (exact integer that fits in Int).
    func asInt(_ who: String, expected: String = "exact-integer?") throws -> Int {
        if case .int(let i) = self { return i }
        throw SchemeError.contract(who, expected: expected, given: self)
    }
    /// A non-negative fixnum, as used for indices and counts.
    func asIndex(_ who: String) throws -> Int {
        if case .int(let i) = self, i >= 0 { return i }
        throw SchemeError.contract(who, expected: "exact-nonnegative-integer?", given: self)
    }
    /// A proper list as an array.
    func asList(_ who: String) throws -> [Value] {
        if let a = listToArray() { return a }
        throw SchemeError.contract(who, expected: "list?", given: self)
    }
    func asProcedure(_ who: String) throws -> Value {
        if isProcedure { return self }
        throw SchemeError.contract(who, expected: "procedure?", given: self)
    }
    /// Any real number as a Double (exact values converted).
    func asDouble(_ who: String) throws -> Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .object(let b as BigNum): return Double(b.value)
        case .object(let r as Ratnum): return Double(r.numerator) / Double(r.denominator)
        default: throw SchemeError.contract(who, expected: "real?", given: self)
        }
    }
}
