/// Opaque objects and structs: the `#<…>` forms and `#(struct:…)` layouts Racket prints.
extension Printer {
    /// One printed slot of a struct: a visible field, or `...` for fields of an opaque ancestor.
    enum StructSlot {
        case field(Value)
        case hidden
    }

    /// The slots of a struct as Racket shows them, or nil when no level of the type is transparent
    /// (then it prints `#<name>`).
    ///
    /// Fields are stored root type first. Each transparent level shows its own fields; each
    /// opaque level shows one `...`: `#(struct:child 1 2 ...)` for an opaque child of a
    /// transparent parent (checked against Racket 8.7).
    static func structLayout(_ s: StructInstance) -> [StructSlot]? {
        var chain: [StructType] = []
        var t: StructType? = s.type
        while let c = t {
            chain.append(c)
            t = c.parent
        }
        chain.reverse()
        guard chain.contains(where: { $0.isTransparent }) else { return nil }
        let declared = chain.reduce(0) { $0 + $1.fieldNames.count }
        guard declared == s.fields.count else {
            // Field bookkeeping we do not understand: show what is there.
            return s.type.isTransparent ? s.fields.map { .field($0) } : nil
        }
        var slots: [StructSlot] = []
        var offset = 0
        for level in chain {
            let n = level.fieldNames.count
            if level.isTransparent {
                slots.append(contentsOf: s.fields[offset..<offset + n].map { .field($0) })
            } else {
                slots.append(.hidden)
            }
            offset += n
        }
        return slots
    }

    /// Everything without structure of its own: eof, procedures, ports, exceptions, struct types.
    static func appendOpaque(_ o: SchemeObject, write: Bool, to out: inout String) {
        switch o {
        case is EofObject:
            out += "#<eof>"
        case let p as Parameter:
            // A parameter made by `make-parameter` has no name (reference §4.7: the token budget
            // shows `#<procedure:parameter-procedure>`); built-in ones show theirs.
            out += "#<procedure:" + (p.name ?? "parameter-procedure") + ">"
        case is EscapeContinuation:
            out += "#<procedure>"
        case let p as ProcedureObject:
            appendProcedureName(p.procedureName, to: &out)
        case let port as OutputPort:
            out += "#<output-port:" + port.name + ">"
        case let port as InputPort:
            out += "#<input-port:" + port.name + ">"
        case let e as ExnObject:
            out += "#(struct:" + e.kind + " "
            appendString(Array(e.message.unicodeScalars), write: write, to: &out)
            out += " #<continuation-mark-set>)"
        case let t as StructType:
            out += "#<struct-type:" + t.name + ">"
        default:
            out += "#<" + o.typeName + ">"
        }
    }
}
