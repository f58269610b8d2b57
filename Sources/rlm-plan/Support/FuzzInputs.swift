import Sandbox

/// Seeded hostile inputs for `rlm-plan fuzz`: reader noise, random programs from a grammar of the
/// sandbox's forms (macros, deep nesting, huge numbers, printing), mutations of small programs,
/// and protocol lines. The same seed gives the same inputs on every machine (SplitMix64).
struct FuzzInputs {
    enum Kind: String, CaseIterable {
        case readerNoise = "reader", program, mutation, protocolLine = "protocol"
    }

    private var random: RandomState

    init(seed: UInt64) { random = RandomState(seed: seed) }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    // MARK: Reader noise

    private static let readerPieces = [
        "(", ")", "[", "]", "{", "}", "\"", "\\", "'", "`", ",", ",@", "#", "#\\", "#\\space", "#(", "#hash(", "#&", "#;",
        "#|", "|#", "|", ";", ".", " . ", "#t", "#f", "#:kw", "1/0", "1e999999", "-0.0", "+nan.0", "#e1.5", "#x-ff",
        "12345678901234567890123", "λ", "é", "\u{0}", "\n", " ", "\t", "a", "define", "finish", "\"\\u00", "#<", "#!",
    ]

    mutating func readerNoise() -> String {
        var out = ""
        for _ in 0..<(1 + below(60)) { out += pick(Self.readerPieces) }
        return out
    }

    // MARK: Programs

    private static let atoms = ["0", "1", "-7", "2.5", "1/3", "+inf.0", "#t", "#f", "\"s\"", "'x", "'()", "#\\a", "x", "y", "n",
                                "(expt 10 400)", "(make-string 3 #\\z)", "(list 1 2)", "(vector 1 2)", "(hash 'a 1)"]
    private static let unary = ["car", "cdr", "length", "reverse", "string-length", "number->string", "display", "write",
                                "vector->list", "list->string", "string->symbol", "add1", "sqrt", "exact->inexact",
                                "abs", "not", "null?", "finish", "string->number", "symbol->string", "integer-length"]
    private static let binary = ["+", "-", "*", "/", "quotient", "expt", "cons", "list", "append", "string-append",
                                 "equal?", "eq?", "<", "max", "hash-ref", "list-ref", "string-ref", "vector-ref", "format"]

    mutating func expression(_ depth: Int) -> String {
        if depth <= 0 || chance(25) { return pick(Self.atoms) }
        let d = depth - 1
        switch below(16) {
        case 0: return "(\(pick(Self.unary)) \(expression(d)))"
        case 1, 2: return "(\(pick(Self.binary)) \(expression(d)) \(expression(d)))"
        case 3: return "(if \(expression(d)) \(expression(d)) \(expression(d)))"
        case 4: return "(let ([x \(expression(d))] [y \(expression(d))]) \(expression(d)))"
        case 5: return "(lambda (x . y) \(expression(d)))"
        case 6: return "((lambda (x) \(expression(d))) \(expression(d)))"
        case 7: return "(cond [\(expression(d)) \(expression(d))] [else \(expression(d))])"
        case 8: return "(with-handlers ([(lambda (e) #t) (lambda (e) \(expression(d)))]) \(expression(d)))"
        case 9: return "(let loop ([n \(below(50))]) (if (<= n 0) \(expression(d)) (loop (- n 1))))"
        case 10: return "`(1 ,\(expression(d)) ,@(list \(expression(d))))"
        case 11: return "(for/list ([i (in-range \(below(20)))]) \(expression(d)))"
        case 12: return "(call/ec (lambda (k) (k \(expression(d)))))"
        case 13: return "(begin \(expression(d)) \(expression(d)))"
        case 14: return "(string-append* (make-list \(below(100)) \"ab\"))"
        default: return "(~a \(expression(d)) #:width \(below(40)))"
        }
    }

    /// Forms that stress one phase: deep nesting, macros, huge numbers, printing, recursion.
    mutating func stressForm() -> String {
        let n = 1 + below(3000)
        switch below(12) {
        case 0: return String(repeating: "(let ([x 1]) ", count: n) + "x" + String(repeating: ")", count: n)
        case 1: return String(repeating: "(", count: n) + String(repeating: ")", count: below(n + 1))
        case 2: return "(define-syntax m\(n) (syntax-rules () [(_ x ...) (m\(n) x ... x ...)])) (m\(n) 1)"
        case 3: return "(define-syntax k\(n) (syntax-rules () [(_ x ...) (k\(n) x ... 1)])) (k\(n))"
        case 4: return "(finish (expt \(2 + below(20)) \(below(400_000))))"
        case 5: return "(finish (make-list \(below(200_000)) \"abcdefghi\"))"
        case 6: return "(let loop ([s \"a\"]) (loop (string-append s s)))"
        case 7: return "(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1))))) (deep \(below(5_000_000)))"
        case 8: return "(finish (~r 3.14159 #:precision \(below(200_000))))"
        case 9: return "(string->number (make-string \(below(300_000)) #\\9))"
        case 10: return "(define v (make-vector \(below(10_000_000)) 0)) (finish (vector-length v))"
        default: return "(let loop () (loop))"
        }
    }

    mutating func program() -> String {
        var forms: [String] = []
        for _ in 0..<(1 + below(4)) {
            switch below(5) {
            case 0: forms.append("(define x \(expression(4)))")
            case 1: forms.append("(define (f x) \(expression(5)))")
            case 2: forms.append(stressForm())
            default: forms.append(expression(6))
            }
        }
        return forms.joined(separator: "\n")
    }

    // MARK: Mutations

    mutating func mutation() -> String {
        var text = Array(program().unicodeScalars)
        for _ in 0..<(1 + below(6)) where !text.isEmpty {
            let i = below(text.count)
            switch below(4) {
            case 0: text.remove(at: i)
            case 1: text.insert(pick(Array("()[]\"'#\\ ;|.".unicodeScalars)), at: i)
            case 2: text.insert(contentsOf: text[i..<min(text.count, i + below(40))], at: i)
            default: text.swapAt(i, below(text.count))
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        return String(view)
    }

    // MARK: Protocol lines

    mutating func protocolLine() -> String {
        let code = jsonString(chance(50) ? program() : readerNoise())
        switch below(12) {
        case 0: return #"{"op":"eval","code":\#(code)}"#
        case 1: return #"{"op":"load-context","data":\#(code),"name":\#(chance(50) ? "null" : "7")}"#
        case 2: return #"{"op":\#(pick(["1e999999", "-0", "[]", "{}", "true", "null", "\"EVAL\"", "\"reset\""]))}"#
        case 3: return #"{"op":"eval","code":\#(pick(["1", "null", "[\"(finish 1)\"]", "{\"a\":1}", "1e400"]))}"#
        case 4: return pick(["", "{", "[1,2", "\"just a string\"", "{\"op\":\"eval\",\"code\":\"\\ud800\"}", "nul", "{}{}"])
        case 5: return #"{"op":"get-variables"}"#
        case 6: return #"{"op":"inspect-state","extra":\#(code)}"#
        case 7: return #"{"op":"get-scope-log"}"#
        case 8: return String(repeating: "[", count: below(100_000)) + String(repeating: "]", count: below(100_000))
        default: return #"{"op":"eval","code":\#(code)}"#
        }
    }

    /// `text` as a JSON string literal.
    func jsonString(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if c.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16) }
                else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}
