/// Error texts of the list, vector and hash primitives, worded as Racket 8 words them (checked
/// against `racket` 8.7; reference §4.10). All are `exn:fail:contract`.
extension SchemeError {
    /// Values inside messages render as in `contract(_:expected:given:)`, so one printer change
    /// (Racket prints them in `print` style, `'(1 2)`) fixes every message.
    static func errorText(_ v: Value) -> String { Printer.print(v, limit: 200) }

    /// `list-ref: index too large for list\n  index: 5\n  in: '(1 2 3)`.
    static func indexTooLarge(_ who: String, index: Value, in list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): index too large for list\n  index: \(errorText(index))\n  in: \(errorText(list))",
                    irritants: [index, list])
    }
    /// `list-ref: index reaches a non-pair\n  index: 2\n  in: '(1 2 . 3)`.
    static func indexReachesNonPair(_ who: String, index: Value, in list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): index reaches a non-pair\n  index: \(errorText(index))\n  in: \(errorText(list))",
                    irritants: [index, list])
    }
    /// `list-ref: index 'a is not an exact nonnegative integer`.
    static func badListIndex(_ who: String, index: Value) -> SchemeError {
        SchemeError(.contract, "\(who): index \(errorText(index)) is not an exact nonnegative integer",
                    irritants: [index])
    }
    /// `second: list contains too few elements\n  list: '(1)`.
    static func tooFewElements(_ who: String, list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): list contains too few elements\n  list: \(errorText(list))", irritants: [list])
    }
    /// `take: contract violation\n  expected: a list with at least 5 elements\n  given: '(1 2 3)`
    /// (or `a (possibly improper) list with at least 5 pairs` when the list is not proper).
    static func tooShort(_ who: String, needed: Int, given list: Value, proper: Bool) -> SchemeError {
        let what = proper ? "a list with at least \(needed) elements"
                          : "a (possibly improper) list with at least \(needed) pairs"
        return contract(who, expected: what, given: list)
    }
    /// `member: not a proper list\n  in: 5`.
    static func notProperList(_ who: String, _ list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): not a proper list\n  in: \(errorText(list))", irritants: [list])
    }
    /// `assq: not a proper list: 5` (the one-line variant the assoc and find family use).
    static func notProperListInline(_ who: String, _ list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): not a proper list: \(errorText(list))", irritants: [list])
    }
    /// `assoc: non-pair found in list\n  non-pair: 2\n  list: '(2)`.
    static func nonPairInList(_ who: String, nonPair: Value, list: Value) -> SchemeError {
        SchemeError(.contract, "\(who): non-pair found in list\n  non-pair: \(errorText(nonPair))\n  list: \(errorText(list))",
                    irritants: [nonPair, list])
    }
    /// `map: all lists must have same size\n  first list length: 2\n  other list length: 1\n  procedure: #<procedure:+>`.
    static func listsDifferInSize(_ who: String, first: Int, other: Int, procedure: Value) -> SchemeError {
        SchemeError(.contract, "\(who): all lists must have same size\n  first list length: \(first)\n  other list length: \(other)\n  procedure: \(errorText(procedure))",
                    irritants: [procedure])
    }
    /// `vector-map: all vectors must have same size\n  first vector length: 2\n  other vector length: 3\n  procedure: …`
    /// (Racket 8.7's own text is a garbled one-liner; this follows the list wording).
    static func vectorsDifferInSize(_ who: String, first: Int, other: Int, procedure: Value) -> SchemeError {
        SchemeError(.contract, "\(who): all vectors must have same size\n  first vector length: \(first)\n  other vector length: \(other)\n  procedure: \(errorText(procedure))",
                    irritants: [procedure])
    }

    /// `add-between: list needed in splicing mode\n  given: 'x\n  given list...: '(1)`.
    static func addBetween(_ problem: String, given: Value, list: Value) -> SchemeError {
        SchemeError(.contract, "add-between: \(problem)\n  given: \(errorText(given))\n  given list...: \(errorText(list))",
                    irritants: [given, list])
    }

    // MARK: Vectors

    /// `vector-ref: index is out of range for empty vector\n  index: 0\n  vector: '#()`.
    static func indexIntoEmpty(_ who: String, index: Value, vector: Value) -> SchemeError {
        SchemeError(.contract, "\(who): index is out of range for empty vector\n  index: \(errorText(index))\n  vector: \(errorText(vector))",
                    irritants: [index, vector])
    }
    /// `vector-copy: starting index is out of range\n  starting index: 3\n  valid range: [0, 2]\n  vector: '#(1 2)`.
    static func startOutOfRange(_ who: String, start: Int, count: Int, of value: Value) -> SchemeError {
        SchemeError(.contract, "\(who): starting index is out of range\n  starting index: \(start)\n  valid range: [0, \(count)]\n  \(value.racketTypeLabel): \(errorText(value))",
                    irritants: [.int(start), value])
    }
    /// `vector-copy: ending index is out of range\n  ending index: 5\n  starting index: 0\n  valid range: [0, 2]\n  vector: …`.
    static func endOutOfRange(_ who: String, start: Int, end: Int, count: Int, of value: Value) -> SchemeError {
        SchemeError(.contract, "\(who): ending index is out of range\n  ending index: \(end)\n  starting index: \(start)\n  valid range: [0, \(count)]\n  \(value.racketTypeLabel): \(errorText(value))",
                    irritants: [.int(end), value])
    }
    /// `vector-copy: ending index is smaller than starting index\n  ending index: 0\n  starting index: 1\n  …`.
    static func endBeforeStart(_ who: String, start: Int, end: Int, count: Int, of value: Value) -> SchemeError {
        SchemeError(.contract, "\(who): ending index is smaller than starting index\n  ending index: \(end)\n  starting index: \(start)\n  valid range: [0, \(count)]\n  \(value.racketTypeLabel): \(errorText(value))",
                    irritants: [.int(end), value])
    }
    /// `vector-copy!: not enough room in target vector\n  target length: 2\n  needed length: 3`
    /// (we report the room left after the target start, which is what was lacking).
    static func notEnoughRoom(_ who: String, room: Int, needed: Int) -> SchemeError {
        SchemeError(.contract, "\(who): not enough room in target vector\n  target length: \(room)\n  needed length: \(needed)")
    }

    // MARK: Hash tables

    /// `hash-ref: no value found for key\n  key: 'x`; Racket words `hash-update!`'s failure on one
    /// line (`hash-update!: no value found for key: 'x`), hence `inline`.
    static func noValueForKey(_ who: String, key: Value, inline: Bool = false) -> SchemeError {
        let text = inline ? "\(who): no value found for key: \(errorText(key))"
                          : "\(who): no value found for key\n  key: \(errorText(key))"
        return SchemeError(.contract, text, irritants: [key])
    }
    /// `hash: key does not have a value (i.e., an odd number of arguments were provided)\n  key: 'a`.
    static func keyWithoutValue(_ who: String, key: Value) -> SchemeError {
        SchemeError(.contract, "\(who): key does not have a value (i.e., an odd number of arguments were provided)\n  key: \(errorText(key))",
                    irritants: [key])
    }
}
