import Testing
@testable import Sandbox

/// `(content-hash str …)`: the key of the memoization patterns' persistent cache.
@Suite("content-hash")
struct ContentHashTests {
    private func eval(_ code: String) -> EvalResult { SandboxSession().eval(code) }

    @Test("is the SHA-256 of the length-prefixed UTF-8 of its arguments, in hex")
    func knownDigest() {
        // sha256("5:hello") and sha256("1:a2:bc"), computed with Python's hashlib.
        #expect(eval(#"(finish (content-hash "hello"))"#).result == "a3a285698dc7dbfe23947339ee187d471f643617f88b4af70209bb1a01edd9d9")
        #expect(eval(#"(finish (content-hash "a" "bc"))"#).result == "5310a58788781ab25d5ad7c3f85035824b4eb7bdfa394e0ac2186271472b5492")
    }

    @Test("different splits of the same characters give different keys; equal inputs equal keys")
    func unambiguous() {
        #expect(eval(#"(finish (equal? (content-hash "ab" "c") (content-hash "a" "bc")))"#).result == "#f")
        #expect(eval(#"(finish (equal? (content-hash "x" "é") (content-hash "x" "é")))"#).result == "#t")
    }

    @Test("hashes a megabyte quickly (no per-character Scheme loop)")
    func largeInput() {
        let r = eval(#"(finish (string-length (content-hash (make-string 1000000 #\a))))"#)
        #expect(r.result == "64")
    }

    @Test("a non-string argument is a contract error naming content-hash")
    func badArgument() {
        let r = eval(#"(content-hash "a" 5)"#)
        #expect(r.status == .error)
        #expect(r.error?.message.hasPrefix("content-hash: contract violation") == true)
        #expect(eval("(content-hash)").error?.message.contains("arity mismatch") == true)
    }
}
