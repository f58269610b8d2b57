/// Error factories for the numeric tower, in Racket's wording (reference §4.10 style).
extension SchemeError {
    /// `expt: undefined for values 0 and -1`, `quotient: undefined for 0.0`
    /// (Racket raises these as division-by-zero errors).
    static func undefinedFor(_ who: String, _ values: Value...) -> SchemeError {
        let rendered = values.map { NumberFormat.render($0) }.joined(separator: " and ")
        let noun = values.count > 1 ? "values " : ""
        return SchemeError(.divideByZero, "\(who): undefined for \(noun)\(rendered)")
    }

    /// `exact: no exact representation for +inf.0`.
    static func noExactRepresentation(_ v: Value) -> SchemeError {
        SchemeError(.contract, "exact: no exact representation for \(NumberFormat.render(v))", irritants: [v])
    }

    /// `number->string: inexact numbers can only be printed in base 10`.
    static func inexactRadix(_ who: String, _ v: Value, radix: Int) -> SchemeError {
        SchemeError(.contract, "\(who): inexact numbers can only be printed in base 10\n  number: \(NumberFormat.render(v))\n  requested base: \(radix)",
                    irritants: [v])
    }

    /// An exact result too large to build (`(expt 2 (expt 10 30))`).
    static func numberTooLarge(_ who: String) -> SchemeError {
        SchemeError(.memoryLimit, "\(who): out of memory (the exact result is too large)")
    }
}
