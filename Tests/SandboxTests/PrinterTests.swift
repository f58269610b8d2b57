import BigInt
import Testing
@testable import Sandbox

/// Expected strings were produced by Racket 8.7 (`racket -e '(write …)'`).
@Suite("Printer")
struct PrinterTests {
    private func hash(_ kind: HashKind, _ pairs: [(Value, Value)], mutable: Bool = false) -> Value {
        let t = HashTable(kind: kind, mutable: mutable)
        for (k, v) in pairs { t.set(k, v) }
        return .hash(t)
    }

    @Test("atoms render as in Racket in both modes")
    func atoms() {
        #expect(Printer.display(.str("hello")) == "hello")
        #expect(Printer.write(.str("hello")) == "\"hello\"")
        #expect(Printer.display(.str("")) == "")
        #expect(Printer.display(.char("a")) == "a")
        #expect(Printer.display(.sym("null")) == "null")
        #expect(Printer.write(.bool(true)) == "#t" && Printer.write(.bool(false)) == "#f")
        #expect(Printer.write(.keyword(Symbol.intern("kw"))) == "#:kw")
        #expect(Printer.write(.null) == "()")
        #expect(Printer.write(.void) == "#<void>")
        #expect(Printer.write(.object(EofObject.shared)) == "#<eof>")
        #expect(Printer.write(.missing) == "#<undefined>")
        #expect(Printer.write(.int(-42)) == "-42")
        #expect(Printer.write(.integer(BigInt(2).power(100))) == "1267650600228229401496703205376")
    }

    @Test("write escapes strings like Racket")
    func stringEscapes() {
        let input = "a\"b\\c\nd\te\r\u{7}\u{8}\u{B}\u{C}\u{0}\u{1F}\u{7F}\u{80}\u{A0}é🎉\u{200B}\u{1B}\u{10FFFF}\u{E0001}\u{3000}\u{2028}"
        let expected = "\"a\\\"b\\\\c\\nd\\te\\r\\a\\b\\v\\f\\u0000\\u001F\\u007F\\u0080\u{A0}é🎉\\u200B\\e\\U0010FFFF\\U000E0001\u{3000}\\u2028\""
        #expect(Printer.write(.str(input)) == expected)
        #expect(Printer.display(.str(input)) == input)
        #expect(Printer.write(.str("\u{300}a")) == "\"\u{300}a\"")
    }

    @Test("write names and escapes characters like Racket")
    func characters() {
        let cases: [(Unicode.Scalar, String)] = [
            ("a", "#\\a"), (" ", "#\\space"), ("\n", "#\\newline"), ("\u{0}", "#\\nul"), ("\t", "#\\tab"),
            ("\r", "#\\return"), ("\u{8}", "#\\backspace"), ("\u{7F}", "#\\rubout"), ("\u{7}", "#\\u0007"),
            ("\u{1F}", "#\\u001F"), ("\u{80}", "#\\u0080"), ("\u{A0}", "#\\u00A0"), ("é", "#\\é"), ("🎉", "#\\🎉"),
            ("\u{200B}", "#\\u200B"), ("\u{B}", "#\\vtab"), ("\u{C}", "#\\page"), ("(", "#\\("), ("\\", "#\\\\"),
            ("\u{FEFF}", "#\\uFEFF"), ("\u{10FFFF}", "#\\U0010FFFF"), ("\u{3000}", "#\\u3000"), ("\u{1B}", "#\\u001B"),
        ]
        for (c, text) in cases {
            #expect(Printer.write(.char(c)) == text)
        }
    }

    @Test("write quotes symbols that would not read back")
    func symbols() {
        let cases: [(String, String)] = [
            ("a b", "|a b|"), ("", "||"), ("1", "|1|"), ("1.5", "|1.5|"), ("a|b", "a\\|b"), ("#foo", "|#foo|"),
            ("a#", "a#"), (".", "|.|"), ("..", ".."), ("...", "..."), ("A", "A"), ("(x", "|(x|"), ("x'", "|x'|"),
            ("a;b", "|a;b|"), ("+", "+"), ("-", "-"), ("+1", "|+1|"), ("1/2", "|1/2|"), ("#%app", "#%app"),
            ("a\nb", "|a\nb|"), ("é", "é"), ("a\\b", "|a\\b|"), ("{", "|{|"), ("a,b", "|a,b|"), ("`a", "|`a|"),
            ("\"", "|\"|"), ("#t", "|#t|"), ("#:k", "|#:k|"), ("1e5", "|1e5|"), ("+inf.0", "|+inf.0|"),
            ("-a", "-a"), ("1a", "1a"), ("nan", "nan"), ("+nan.0", "|+nan.0|"), ("λ", "λ"),
            ("a|b c", "a\\|b\\ c"), ("a\\|b", "a\\\\\\|b"), ("a b|", "a\\ b\\|"), ("a\tb", "|a\tb|"), ("#", "|#|"),
            ("#a", "|#a|"), ("#%", "#%"), ("1#", "|1#|"), ("#!", "|#!|"), ("1+", "1+"), ("+i", "|+i|"),
            ("1/0", "|1/0|"), ("-nan.0", "|-nan.0|"), ("1.2.3", "1.2.3"), ("1e", "1e"), ("inf", "inf"),
            ("+inf.f", "|+inf.f|"), ("1d2", "|1d2|"), ("#x10", "|#x10|"), ("1_000", "1_000"), ("10.", "|10.|"),
            (".5", "|.5|"), ("1i", "1i"), ("a.b", "a.b"), ("#a|b", "\\#a\\|b"), ("1|", "1\\|"), ("(|", "\\(\\|"),
            ("1+2i", "|1+2i|"),
        ]
        for (name, text) in cases {
            #expect(Printer.write(.sym(name)) == text, "symbol \(name)")
            #expect(Printer.display(.sym(name)) == name)
        }
        #expect(Printer.write(.keyword(Symbol.intern("a b"))) == "#:|a b|")
        #expect(Printer.write(.keyword(Symbol.intern("1"))) == "#:1")
        #expect(Printer.write(.keyword(Symbol.intern("#a"))) == "#:|#a|")
        #expect(Printer.write(.keyword(Symbol.intern(""))) == "#:")
        #expect(Printer.write(.symbol(Symbol.uninterned("g12"))) == "g12")
    }

    @Test("lists print with improper tails and without quote abbreviation")
    func lists() {
        #expect(Printer.write(.list(.int(1), .sym("a"), .list(.sym("b"), .true), .false)) == "(1 a (b #t) #f)")
        #expect(Printer.write(.pair(Pair(.int(1), .int(2)))) == "(1 . 2)")
        #expect(Printer.write(.list([.int(1), .int(2)][...], tail: .int(3))) == "(1 2 . 3)")
        #expect(Printer.write(.list(.sym("quote"), .sym("a"))) == "(quote a)")
        #expect(Printer.write(.list(.sym("quasiquote"), .list(.sym("unquote"), .sym("a")))) == "(quasiquote (unquote a))")
        #expect(Printer.display(.list(.str("a b"), .str("c"))) == "(a b c)")
        #expect(Printer.display(.list(.str(""), .str("a"))) == "( a)")
        #expect(Printer.write(.list(.str(""), .str("a"))) == "(\"\" \"a\")")
    }

    @Test("vectors, boxes and hash tables")
    func containers() {
        #expect(Printer.write(.vector(SVector([.int(1), .str("a")]))) == "#(1 \"a\")")
        #expect(Printer.display(.vector(SVector([.int(1), .str("a")]))) == "#(1 a)")
        #expect(Printer.write(.vector(SVector([]))) == "#()")
        #expect(Printer.write(.object(Box(.str("x")))) == "#&\"x\"")
        #expect(Printer.write(hash(.equal, [(.str("b"), .int(1)), (.str("a"), .int(2))])) == "#hash((\"a\" . 2) (\"b\" . 1))")
        #expect(Printer.display(hash(.equal, [(.str("b"), .int(1)), (.str("a"), .int(2))])) == "#hash((a . 2) (b . 1))")
        #expect(Printer.write(hash(.eq, [(.sym("b"), .int(1)), (.sym("a"), .list(.int(1), .sym("s")))])) == "#hasheq((a . (1 s)) (b . 1))")
        #expect(Printer.write(hash(.eqv, [(.int(1), .int(2))])) == "#hasheqv((1 . 2))")
        #expect(Printer.write(hash(.equal, [], mutable: true)) == "#hash()")
        #expect(Printer.write(hash(.eq, [])) == "#hasheq()")
        #expect(Printer.write(hash(.equal, [(.int(10), .int(1)), (.int(2), .int(2)), (.double(1.5), .int(3))])) == "#hash((1.5 . 3) (2 . 2) (10 . 1))")
        let keys = ["k10", "k2", "k1", "k11", "k0"].enumerated().map { (Value.str($0.element), Value.int($0.offset)) }
        #expect(Printer.write(hash(.equal, keys)) == "#hash((\"k0\" . 4) (\"k1\" . 2) (\"k10\" . 0) (\"k11\" . 3) (\"k2\" . 1))")
        let tokens = hash(.eq, [(.sym("prompt_tokens"), .int(100)), (.sym("completion_tokens"), .int(50)),
                                (.sym("total_tokens"), .int(150)), (.sym("total_calls"), .int(1))])
        #expect(Printer.display(tokens) == "#hasheq((completion_tokens . 50) (prompt_tokens . 100) (total_calls . 1) (total_tokens . 150))")
        // Mixed key kinds keep insertion order.
        #expect(Printer.write(hash(.equal, [(.sym("b"), .int(1)), (.int(1), .int(2))])) == "#hash((b . 1) (1 . 2))")
    }

    @Test("procedures, parameters, structs, exceptions and syntax objects")
    func objects() {
        let car = Primitive(name: "car", minArgs: 1, maxArgs: 1, body: .fixed1 { $0 })
        #expect(Printer.write(.primitive(car)) == "#<procedure:car>")
        let named = Prototype(name: "f", requiredCount: 1, optionalCount: 0, hasRest: false, keywords: [], frameSize: 1, captures: [])
        let anonymous = Prototype(name: nil, requiredCount: 1, optionalCount: 0, hasRest: false, keywords: [], frameSize: 1, captures: [])
        #expect(Printer.write(.closure(Closure(proto: named, free: []))) == "#<procedure:f>")
        #expect(Printer.write(.closure(Closure(proto: anonymous, free: []))) == "#<procedure>")
        #expect(Printer.write(.object(Parameter(.int(1)))) == "#<procedure:parameter-procedure>")
        let point = StructType(name: "point", fieldNames: ["x", "y"], transparent: true, mutable: false)
        let opaque = StructType(name: "opq", fieldNames: ["x"], transparent: false, mutable: false)
        let p = Value.object(StructInstance(type: point, fields: [.int(1), .str("a")]))
        #expect(Printer.write(p) == "#(struct:point 1 \"a\")")
        #expect(Printer.display(p) == "#(struct:point 1 a)")
        #expect(Printer.write(.object(StructInstance(type: opaque, fields: [.int(1)]))) == "#<opq>")
        let child = StructType(name: "op2", fieldNames: ["z"], transparent: false, mutable: false, parent: point)
        #expect(Printer.write(.object(StructInstance(type: child, fields: [.int(1), .int(2), .int(3)]))) == "#(struct:op2 1 2 ...)")
        let tc = StructType(name: "tc", fieldNames: ["c"], transparent: true, mutable: false,
                            parent: StructType(name: "tp2", fieldNames: ["a", "b"], transparent: false, mutable: false))
        #expect(Printer.write(.object(StructInstance(type: tc, fields: [.int(1), .int(2), .int(3)]))) == "#(struct:tc ... 3)")
        #expect(Printer.write(.object(point)) == "#<struct-type:point>")
        let exn = ExnObject(kind: "exn:fail:contract", message: "car: contract violation\n  expected: pair?\n  given: 1")
        #expect(Printer.write(.object(exn)) == "#(struct:exn:fail:contract \"car: contract violation\\n  expected: pair?\\n  given: 1\" #<continuation-mark-set>)")
        #expect(Printer.display(.object(SyntaxObject(.str("hello")))) == "#<syntax \"hello\">")
        #expect(Printer.display(.object(SyntaxObject(.int(5)))) == "#<syntax 5>")
        #expect(Printer.display(.object(SyntaxObject(.list(.int(1), .str("a"), .sym("b"))))) == "#<syntax (1 \"a\" b)>")
        #expect(Printer.display(.object(SyntaxObject(.str("multi\nline \"q\"")))) == "#<syntax \"multi\\nline \\\"q\\\"\">")
        // Write mode is scoped to the syntax object's datum.
        #expect(Printer.display(.list(.object(SyntaxObject(.str("a"))), .str("b"))) == "(#<syntax \"a\"> b)")
        #expect(Printer.display(.object(MultipleValues([.int(1), .str("a")]))) == "1\na")
    }

    @Test("print mode quotes data and uses constructors around transparent structs")
    func printMode() {
        #expect(Printer.print(.str("a")) == "\"a\"")
        #expect(Printer.print(.sym("a")) == "'a")
        #expect(Printer.print(.list(.int(1), .int(2))) == "'(1 2)")
        #expect(Printer.print(.null) == "'()")
        #expect(Printer.print(.vector(SVector([.int(1), .sym("a")]))) == "'#(1 a)")
        #expect(Printer.print(.int(1)) == "1" && Printer.print(.char("a")) == "#\\a" && Printer.print(.void) == "#<void>")
        #expect(Printer.print(.list(.int(1), .void)) == "'(1 #<void>)")
        #expect(Printer.print(.keyword(Symbol.intern("k"))) == "'#:k")
        // Inside print mode, quote forms are abbreviated (Racket: `(print ''a)` shows `''a`).
        let quoteA = Value.list(.sym("quote"), .sym("a"))
        #expect(Printer.print(quoteA) == "''a")
        #expect(Printer.print(.list(.sym("quasiquote"), .list(.sym("b"), .list(.sym("unquote"), .sym("c")),
                                                             .list(.sym("unquote-splicing"), .sym("d"))))) == "'`(b ,c ,@d)")
        #expect(Printer.print(.list(.sym("quote"))) == "'(quote)")
        #expect(Printer.print(.list(.sym("quote"), .sym("a"), .sym("b"))) == "'(quote a b)")
        #expect(Printer.print(.list(.int(1), quoteA)) == "'(1 'a)")
        #expect(Printer.print(.pair(Pair(.sym("a"), quoteA))) == "'(a . 'a)")
        #expect(Printer.print(.vector(SVector([quoteA]))) == "'#('a)")
        #expect(Printer.print(.list(.sym("syntax"), .sym("x"))) == "'#'x")
        #expect(Printer.print(.list(.sym("quote"), .sym("a b"))) == "''|a b|")
        #expect(Printer.write(quoteA) == "(quote a)")
        let point = StructType(name: "point", fieldNames: ["x", "y"], transparent: true, mutable: false)
        let p = Value.object(StructInstance(type: point, fields: [.int(1), .int(2)]))
        #expect(Printer.print(.object(StructInstance(type: point, fields: [.sym("a"), .str("s")]))) == "(point 'a \"s\")")
        #expect(Printer.print(.list(.int(1), p, .sym("c"))) == "(list 1 (point 1 2) 'c)")
        #expect(Printer.print(.pair(Pair(.int(1), p))) == "(cons 1 (point 1 2))")
        #expect(Printer.print(.list([.int(1), .int(2)][...], tail: p)) == "(list* 1 2 (point 1 2))")
        #expect(Printer.print(.vector(SVector([.sym("a"), p]))) == "(vector 'a (point 1 2))")
        #expect(Printer.print(.object(Box(p))) == "(box (point 1 2))")
    }

    @Test("cyclic data prints with graph labels instead of hanging")
    func cycles() {
        let p3 = Pair(.int(3), .null)
        let p2 = Pair(.int(2), .pair(p3))
        let p1 = Pair(.int(1), .pair(p2))
        p3.cdr = .pair(p2)
        #expect(Printer.write(.pair(p1)) == "(1 . #0=(2 3 . #0#))")
        let self1 = Pair(.int(1), .null)
        self1.cdr = .pair(self1)
        #expect(Printer.write(.pair(self1)) == "#0=(1 . #0#)")
        let carCycle = Pair(.null, .null)
        carCycle.car = .pair(carCycle)
        #expect(Printer.write(.pair(carCycle)) == "#0=(#0#)")
        let table = HashTable(kind: .equal, mutable: true)
        table.set(.sym("self"), .hash(table))
        #expect(Printer.write(.hash(table)) == "#0=#hash((self . #0#))")
        let v = SVector([.int(1), .int(2)])
        v.items[0] = .vector(v)
        #expect(Printer.write(.vector(v)) == "#0=#(#0# 2)")
        #expect(Printer.write(.list(.vector(v), .vector(v))) == "(#0=#(#0# 2) #0#)")
        // Shared but acyclic structure prints in full, as in Racket.
        let shared = Value.list(.int(1))
        #expect(Printer.write(.list(shared, shared)) == "((1) (1))")
        let box = Box(.null)
        box.value = .object(box)
        #expect(Printer.write(.object(box)) == "#0=#&#0#")
    }

    @Test("nesting deeper than maxDepth is cut with ... and checkedDisplay throws")
    func depth() throws {
        var deep = Value.null
        for _ in 0..<100_000 { deep = .list(deep) }
        let text = Printer.display(deep)
        #expect(text.hasPrefix("((((") && text.contains("..."))
        #expect(Printer.display(.list(.list(.int(1))), maxDepth: 1) == "(...)")
        #expect(Printer.display(.list(.int(1), .int(2)), maxDepth: 1) == "(1 2)")
        #expect(throws: SchemeError.self) { try Printer.checkedDisplay(deep, maxDepth: 10_000) }
        do {
            _ = try Printer.checkedDisplay(deep, maxDepth: 50)
        } catch let e as SchemeError {
            #expect(e.code == .depthLimit)
            #expect(e.message == "cannot print: data nested deeper than 50 levels (limit print-depth)")
        }
        #expect(try Printer.checkedDisplay(.list(.int(1)), maxDepth: 5) == "(1)")
        dismantle(deep)
    }

    @Test("limit cuts long output; exponential sharing stops at the limit")
    func limits() {
        let long = Value.list((0..<1000).map { Value.int($0) })
        let cut = Printer.write(long, limit: 10)
        #expect(cut == "(0 1 2 3 4...")
        #expect(Printer.write(.str("héllo wörld"), limit: 4) == "\"hél...")
        var dag = Value.null
        for _ in 0..<60 { dag = .pair(Pair(dag, dag)) }
        #expect(Printer.write(dag, limit: 100).count == 103)
    }

    @Test("a million-element list prints quickly and completely")
    func bigList() {
        let big = Value.list((0..<1_000_000).map { Value.int($0 % 10) })
        let text = Printer.display(big)
        #expect(text.utf8.count == 2_000_001)
        dismantle(big)
        let vec = Value.vector(SVector((0..<300_000).map { Value.int($0 % 10) }))
        #expect(Printer.write(vec).utf8.count == 600_002)
    }
}
