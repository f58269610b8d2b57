/// Walks Scheme lists without trusting them: cyclic lists (built with `set-cdr!`) are reported
/// instead of looping forever, as Racket's `list?` does.
enum ListWalk {
    /// The elements of a list, its final tail (`.null` for a proper list) and whether the cdr
    /// chain loops. Floyd's check: a second cursor moves at half speed and meets the first on a loop.
    static func walk(_ v: Value) -> (items: [Value], tail: Value, cyclic: Bool) {
        var items: [Value] = []
        var fast = v
        var slow = v
        var steps = 0
        while case .pair(let p) = fast {
            items.append(p.car)
            fast = p.cdr
            steps &+= 1
            if steps & 1 == 0, case .pair(let s) = slow { slow = s.cdr }
            if case .pair(let f) = fast, case .pair(let s) = slow, f === s {
                return (items, fast, true)
            }
        }
        return (items, fast, false)
    }

    /// The elements of a proper, finite list; nil for anything else.
    static func properList(_ v: Value) -> [Value]? {
        let w = walk(v)
        return !w.cyclic && w.tail.isNull ? w.items : nil
    }

    /// The elements of a proper list, or Racket's `list?` contract error.
    static func list(_ v: Value, who: String, expected: String = "list?") throws -> [Value] {
        if let items = properList(v) { return items }
        throw SchemeError.contract(who, expected: expected, given: v)
    }
}
