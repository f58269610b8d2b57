/// Racket's `print` style (`print`, `~v`, `~e` and the REPL): write mode with a quote in front of
/// data that is not self-quoting (`'(1 "a")`, `'a`, `'#(1)`), quote forms abbreviated inside
/// (`''a`, `'(1 'x)`), and constructor syntax for data that holds transparent structs
/// (`(list 1 (point 1 2))`), which a quote could not read back.
extension Printer {
    /// Nesting up to which constructor syntax is used; deeper data falls back to quoted form.
    private static let constructorDepthLimit = 100

    static func renderPrintMode(_ v: Value, maxDepth: Int, capBytes: Int) -> Rendering {
        guard containsTransparentStruct(v) else {
            return renderGraph(v, write: true, maxDepth: maxDepth, capBytes: capBytes,
                               prefix: isQuotedInPrint(v) ? "'" : "", abbreviateQuotes: true)
        }
        var out = ""
        var exceeded = false
        appendConstructor(v, depth: 0, maxDepth: maxDepth, capBytes: capBytes, to: &out, exceeded: &exceeded)
        return Rendering(text: out, depthExceeded: exceeded, truncated: out.utf8.count > capBytes)
    }

    /// Values that print with a leading quote.
    static func isQuotedInPrint(_ v: Value) -> Bool {
        switch v {
        case .symbol, .keyword, .null, .pair, .vector, .hash: return true
        case .object(let o): return o is Box
        default: return false
        }
    }

    /// Looks (at most 10,000 nodes deep into `v`) for an instance of a transparent struct.
    static func containsTransparentStruct(_ v: Value) -> Bool {
        var work: [Value] = [v]
        var budget = 10_000
        while let x = work.popLast(), budget > 0 {
            budget -= 1
            switch x {
            case .pair(let p):
                work.append(p.cdr)
                work.append(p.car)
            case .vector(let vec):
                work.append(contentsOf: vec.items.prefix(budget))
            case .hash(let t):
                for (k, value) in t.storage.prefix(budget) {
                    work.append(k.value)
                    work.append(value)
                }
            case .object(let b as Box):
                work.append(b.value)
            case .object(let s as StructInstance):
                if let layout = structLayout(s), !layout.contains(where: { if case .hidden = $0 { return true } else { return false } }) {
                    return true
                }
            default:
                break
            }
        }
        return false
    }

    private static func appendConstructor(_ v: Value, depth: Int, maxDepth: Int, capBytes: Int,
                                          to out: inout String, exceeded: inout Bool) {
        func element(_ x: Value) {
            out += " "
            appendConstructor(x, depth: depth + 1, maxDepth: maxDepth, capBytes: capBytes, to: &out, exceeded: &exceeded)
        }
        guard depth < constructorDepthLimit, depth < maxDepth, out.utf8.count <= capBytes,
              containsTransparentStruct(v) else {
            let r = renderGraph(v, write: true, maxDepth: max(maxDepth - depth, 0), capBytes: capBytes,
                                prefix: isQuotedInPrint(v) ? "'" : "", abbreviateQuotes: true)
            out += r.text
            exceeded = exceeded || r.depthExceeded
            return
        }
        switch v {
        case .pair:
            let walk = ListWalk.walk(v)
            if walk.cyclic {
                out += renderGraph(v, write: true, maxDepth: maxDepth - depth, capBytes: capBytes, prefix: "'",
                                   abbreviateQuotes: true).text
                return
            }
            if walk.tail.isNull {
                out += "(list"
            } else {
                out += walk.items.count == 1 ? "(cons" : "(list*"
            }
            for x in walk.items { element(x) }
            if !walk.tail.isNull { element(walk.tail) }
            out += ")"
        case .vector(let vec):
            out += "(vector"
            for x in vec.items { element(x) }
            out += ")"
        case .hash(let t):
            switch t.kind {
            case .equal: out += "(hash"
            case .eqv: out += "(hasheqv"
            case .eq: out += "(hasheq"
            }
            for entry in orderedEntries(t) {
                element(entry.key)
                element(entry.value)
            }
            out += ")"
        case .object(let b as Box):
            out += "(box"
            element(b.value)
            out += ")"
        case .object(let s as StructInstance):
            out += "(" + s.type.name
            for x in s.fields { element(x) }
            out += ")"
        default:
            out += renderGraph(v, write: true, maxDepth: maxDepth - depth, capBytes: capBytes).text
        }
    }
}
