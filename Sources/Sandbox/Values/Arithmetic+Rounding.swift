import BigInt

/// `floor`, `ceiling`, `round` and `truncate` on every real.
///
/// `round` breaks ties to even, as Racket does: `(round 2.5)` is `2.0`, `(round 5/2)` is `2`.
/// Exact arguments give exact results; flonums stay flonums (infinities and NaN pass through).
extension Arithmetic {
    enum Rounding { case floor, ceiling, round, truncate }

    static func round(_ v: Value, _ mode: Rounding, who: String) throws -> Value {
        switch v {
        case .int: return v
        case .double(let d):
            switch mode {
            case .floor: return .double(d.rounded(.down))
            case .ceiling: return .double(d.rounded(.up))
            case .round: return .double(d.rounded(.toNearestOrEven))
            case .truncate: return .double(d.rounded(.towardZero))
            }
        case .object(let o):
            if o is BigNum { return v }
            if let r = o as? Ratnum { return Value.integer(round(r.numerator, r.denominator, mode)) }
        default: break
        }
        throw SchemeError.contract(who, expected: "real?", given: v)
    }

    /// Rounds the non-integral fraction n/d (d > 1) to an integer.
    private static func round(_ n: BigInt, _ d: BigInt, _ mode: Rounding) -> BigInt {
        let (t, r) = n.quotientAndRemainder(dividingBy: d)
        let floor = r.sign == .minus && !r.isZero ? t - 1 : t
        switch mode {
        case .floor: return floor
        case .ceiling: return floor + 1
        case .truncate: return t
        case .round:
            let twice = (n - floor * d) * 2
            if twice < d { return floor }
            if twice > d { return floor + 1 }
            return floor.magnitude[bitAt: 0] ? floor + 1 : floor
        }
    }

    /// `exact-round` & co.: the rounded value as an exact integer; the argument must be rational.
    static func exactRound(_ v: Value, _ mode: Rounding, who: String) throws -> Value {
        guard isRational(v) else { throw SchemeError.contract(who, expected: "rational?", given: v) }
        let r = try round(v, mode, who: who)
        if case .double(let d) = r { return exactFromFinite(d) }
        return r
    }
}
