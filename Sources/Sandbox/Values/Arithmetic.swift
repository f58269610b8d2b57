/// The numeric tower's generic operations (fixnum, bignum, rational, flonum), used by the VM's
/// slow paths and the number library. Owned by the numbers library.
enum Arithmetic {
    static func add(_ a: Value, _ b: Value) throws -> Value { throw SchemeError.contract("+", expected: "number?", given: a) }
    static func sub(_ a: Value, _ b: Value) throws -> Value { throw SchemeError.contract("-", expected: "number?", given: a) }
    static func mul(_ a: Value, _ b: Value) throws -> Value { throw SchemeError.contract("*", expected: "number?", given: a) }
    static func div(_ a: Value, _ b: Value) throws -> Value { throw SchemeError.contract("/", expected: "number?", given: a) }
    /// Numeric comparison: negative, zero or positive like `a - b`; `who` names the caller in errors.
    /// NaN compares as unordered: `compare` returns nil.
    static func compare(_ a: Value, _ b: Value, who: String) throws -> Int? { throw SchemeError.contract(who, expected: "real?", given: a) }
    /// `=` on any two numbers.
    static func numEqual(_ a: Value, _ b: Value) throws -> Bool { throw SchemeError.contract("=", expected: "number?", given: a) }
    static func isZero(_ a: Value) throws -> Bool { throw SchemeError.contract("zero?", expected: "number?", given: a) }
    static func isNumber(_ a: Value) -> Bool {
        switch a {
        case .int, .double: return true
        case .object(let o): return o is BigNum || o is Ratnum
        default: return false
        }
    }
}
