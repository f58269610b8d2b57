import Testing
@testable import Sandbox

/// `(context-items)`: how every strategy in `patterns/` gets its items from `context`
/// (the template contract; docs/codegen-reference.md).
@Suite("context-items")
struct ContextItemsTests {
    /// Evaluates `code` after loading `context` (when given) and returns the finish value, or the error.
    private func eval(_ code: String, context: String? = nil) -> EvalResult {
        let session = SandboxSession()
        if let context { _ = session.loadContext(context) }
        return session.eval(code)
    }

    /// The items of `context` as Swift strings, read from the finish value.
    private func items(of context: String) -> [String]? {
        let r = eval("(finish (context-items))", context: context)
        return r.value?.listToArray()?.compactMap { v -> String? in
            if case .string(let s) = v { return s.string }
            return nil
        }
    }

    @Test("paragraphs separated by blank lines become items, trimmed, empty ones dropped")
    func paragraphs() {
        #expect(items(of: "first item\n\nsecond item\n\n\n\n  third  \n") == ["first item", "second item", "third"])
        #expect(items(of: "\n\n  \n\t\n") == [])
        #expect(items(of: "") == [])
    }

    @Test("line breaks inside a paragraph stay; whitespace-only lines separate paragraphs")
    func linesInsideParagraphs() {
        #expect(items(of: "a line\nthe same item\n   \t\nnext") == ["a line\nthe same item", "next"])
    }

    @Test("paragraphs keep multi-byte text whole; a line of non-breaking spaces is text, trimmed away at an item's ends")
    func multiByteText() {
        #expect(ContextItems.split("Ünïcödé 中文 😀\n  e\u{301}\n\n\u{A0}\u{A0}\nnext\u{A0}\n\n\u{3000}") == ["Ünïcödé 中文 😀\n  e\u{301}", "next"])
        #expect(ContextItems.split("a\n\u{A0}\nb") == ["a\n\u{A0}\nb"])
    }

    @Test("Windows line endings split like Unix ones")
    func crlf() {
        #expect(items(of: "one\r\ntwo\r\n\r\nthree\r\n") == ["one\r\ntwo", "three"])
    }

    @Test("the shape simulate --items synthesises gives exactly N items")
    func synthesisedShape() {
        let text = (1...20).map { "Item \($0): alpha beta gamma" }.joined(separator: "\n\n")
        let got = items(of: text)
        #expect(got?.count == 20)
        #expect(got?.first == "Item 1: alpha beta gamma")
        #expect(got?.last == "Item 20: alpha beta gamma")
    }

    @Test("a JSON array of strings gives its strings in order, untouched")
    func jsonArrayOfStrings() {
        #expect(items(of: #"  ["a", " b ", "", "line\nbreak"]  "#) == ["a", " b ", "", "line\nbreak"])
        #expect(items(of: "[]") == [])
    }

    @Test("non-string JSON elements become their JSON text, one record per item")
    func jsonRecords() {
        #expect(items(of: #"[{"id": 1, "name": "x"}, 2, [true, null]]"#) == [#"{"id":1,"name":"x"}"#, "2", "[true,null]"])
    }

    @Test("text that starts with [ but is not JSON is split into paragraphs")
    func bracketedProse() {
        #expect(items(of: "[1] Introduction\n\n[2] Methods") == ["[1] Introduction", "[2] Methods"])
        #expect(items(of: "[\"unterminated\n\nnext") == ["[\"unterminated", "next"])
    }

    @Test("a JSON document that is not an array is one paragraph")
    func jsonObjectIsText() {
        #expect(items(of: #"{"a": 1}"#) == [#"{"a": 1}"#])
    }

    @Test("an explicit string argument is split instead of context")
    func explicitArgument() {
        let r = eval(#"(finish (context-items "x\n\ny"))"#, context: "ignored")
        #expect(r.result == "(x y)")
        let json = eval(#"(finish (length (context-items "[\"p\", \"q\", \"r\"]")))"#)
        #expect(json.result == "3")
    }

    @Test("items are fresh strings the program can use like any other")
    func itemsAreStrings() {
        let r = eval(#"(finish (map string-upcase (context-items)))"#, context: "ab\n\ncd")
        #expect(r.result == "(AB CD)")
    }

    @Test("a non-string argument is a contract error naming context-items")
    func badArgument() {
        let r = eval("(context-items 42)")
        #expect(r.status == .error)
        #expect(r.error?.message.hasPrefix("context-items: contract violation\n  expected: string?\n  given: 42") == true)
        let arity = eval(#"(context-items "a" "b")"#)
        #expect(arity.status == .error)
        #expect(arity.error?.message.contains("context-items: arity mismatch") == true)
    }

    @Test("context overwritten with a non-string is reported, not crashed on")
    func nonStringContext() {
        let r = eval("(unsafe-overwrite 'context 7) (context-items)")
        #expect(r.status == .error)
        #expect(r.error?.message.contains("context-items: contract violation") == true)
    }

    @Test("context-items is a protected scaffold name")
    func protected() {
        let r = eval("(define context-items 1)")
        #expect(r.error?.message == "define: cannot redefine scaffold binding 'context-items'")
        let setBang = eval("(set! context-items 1)")
        #expect(setBang.status == .error)
    }

    @Test("the Swift splitter the planner uses agrees with the primitive")
    func swiftSplitterAgrees() {
        let text = "one\n\n two \n\n\nthree\nfour"
        #expect(ContextItems.split(text) == items(of: text))
        #expect(ContextItems.split(#"["a","b"]"#) == ["a", "b"])
    }
}
