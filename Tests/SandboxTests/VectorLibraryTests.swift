import Testing
@testable import Sandbox

@Suite("Vector library")
struct VectorLibraryTests {
    let h = ListsHarness()

    @Test("vector, make-vector and vector-immutable build vectors")
    func construction() throws {
        #expect(try h.run("vector", "1", "a", "(2)") == "#(1 a (2))")
        #expect(try h.run("vector") == "#()")
        #expect(try h.run("make-vector", "3") == "#(0 0 0)")
        #expect(try h.run("make-vector", "2", "x") == "#(x x)")
        #expect(h.error("make-vector", "-1")?.message == "make-vector: contract violation\n  expected: valid-vector-length?\n  given: -1")
        guard case .vector(let v) = try h.call("vector-immutable", [.int(1)]) else { Issue.record("not a vector"); return }
        #expect(!v.isMutable)
    }

    @Test("vector-ref and vector-set! check indices with Racket's messages")
    func indexing() throws {
        let v = h.read("#(1 2)")
        #expect(h.show(try h.call("vector-ref", [v, .int(1)])) == "2")
        _ = try h.call("vector-set!", [v, .int(0), .sym("z")])
        #expect(h.show(v) == "#(z 2)")
        #expect(h.error("vector-ref", "#(1 2)", "5")?.message.hasPrefix("vector-ref: index is out of range\n  index: 5\n  valid range: [0, 1]\n  vector: ") == true)
        #expect(h.error("vector-ref", "#()", "0")?.message.hasPrefix("vector-ref: index is out of range for empty vector\n  index: 0\n  vector: ") == true)
        #expect(h.error("vector-ref", "#(1 2)", "-1")?.message.hasPrefix("vector-ref: contract violation\n  expected: exact-nonnegative-integer?\n  given: -1\n  argument position: 2nd") == true)
        #expect(h.error("vector-ref", "5", "0")?.message == "vector-ref: contract violation\n  expected: vector?\n  given: 5")
        #expect(h.error("vector-set!", "#(1 2)", "2", "0")?.message.hasPrefix("vector-set!: index is out of range\n  index: 2\n  valid range: [0, 1]") == true)
        let frozen = try h.call("vector-immutable", [.int(1)])
        #expect(h.catching { try h.call("vector-set!", [frozen, .int(0), .int(1)]) }?.message.hasPrefix("vector-set!: contract violation\n  expected: (and/c vector? (not/c immutable?))") == true)
        #expect(h.error("vector-length", "5")?.message == "vector-length: contract violation\n  expected: vector?\n  given: 5")
    }

    @Test("conversions between vectors and lists, with optional ranges")
    func conversions() throws {
        #expect(try h.run("vector->list", "#(1 2 3)") == "(1 2 3)")
        #expect(try h.run("vector->list", "#(1 2 3)", "1") == "(2 3)")
        #expect(try h.run("vector->list", "#(1 2 3)", "1", "2") == "(2)")
        #expect(try h.run("list->vector", "(1 2)") == "#(1 2)")
        #expect(h.error("list->vector", "(1 . 2)")?.message.hasPrefix("list->vector: contract violation\n  expected: list?") == true)
        #expect(h.error("vector->list", "5")?.message == "vector->list: contract violation\n  expected: vector?\n  given: 5")
        #expect(try h.run("vector?", "#(1)") == "#t")
        #expect(try h.run("vector?", "(1)") == "#f")
    }

    @Test("vector-copy, vector-copy!, vector-append and vector-fill!")
    func copying() throws {
        #expect(try h.run("vector-copy", "#(1 2 3)") == "#(1 2 3)")
        #expect(try h.run("vector-copy", "#(1 2 3)", "1") == "#(2 3)")
        #expect(try h.run("vector-copy", "#(1 2 3)", "0", "2") == "#(1 2)")
        #expect(h.error("vector-copy", "#(1 2)", "3")?.message.hasPrefix("vector-copy: starting index is out of range\n  starting index: 3\n  valid range: [0, 2]") == true)
        #expect(h.error("vector-copy", "#(1 2)", "1", "0")?.message.hasPrefix("vector-copy: ending index is smaller than starting index\n  ending index: 0\n  starting index: 1") == true)
        #expect(h.error("vector-copy", "#(1 2)", "0", "5")?.message.hasPrefix("vector-copy: ending index is out of range\n  ending index: 5") == true)
        let dest = h.read("#(0 0 0 0)")
        _ = try h.call("vector-copy!", [dest, .int(1), h.read("#(7 8 9)"), .int(1)])
        #expect(h.show(dest) == "#(0 8 9 0)")
        let overlap = h.read("#(1 2 3 4)")
        _ = try h.call("vector-copy!", [overlap, .int(1), overlap, .int(0), .int(3)])
        #expect(h.show(overlap) == "#(1 1 2 3)")
        #expect(h.error("vector-copy!", "#(1 2)", "0", "#(1 2 3)")?.message == "vector-copy!: not enough room in target vector\n  target length: 2\n  needed length: 3")
        #expect(try h.run("vector-append", "#(1)", "#(2 3)", "#()") == "#(1 2 3)")
        #expect(h.error("vector-append", "#(1)", "5")?.message.hasPrefix("vector-append: contract violation\n  expected: vector?\n  given: 5\n  argument position: 2nd") == true)
        let v = h.read("#(1 2)")
        _ = try h.call("vector-fill!", [v, .sym("q")])
        #expect(h.show(v) == "#(q q)")
        #expect(h.error("vector-fill!", "5", "0")?.message == "vector-fill!: contract violation\n  expected: (and/c vector? (not/c immutable?))\n  given: 5")
    }

    @Test("vector-member, vector-memv and vector-memq return an index")
    func membership() throws {
        #expect(try h.run("vector-member", "(2)", "#(1 (2) 3)") == "1")
        #expect(try h.run("vector-memq", "(2)", "#(1 (2) 3)") == "#f")
        #expect(try h.run("vector-memv", "3", "#(1 2 3)") == "2")
        #expect(try h.run("vector-member", "9", "#(1 2 3)") == "#f")
        #expect(h.error("vector-member", "2", "5")?.message.hasPrefix("vector-member: contract violation\n  expected: vector?\n  given: 5\n  argument position: 2nd") == true)
    }

    @Test("%check-vectors reports mismatched lengths for vector-map")
    func checkVectors() throws {
        let f = h.rt.global("cons") ?? .void
        #expect(h.show(try h.call("%check-vectors", [.sym("vector-map"), f, h.read("(#(1 2) #(3 4))")])) == "2")
        let e = h.catching { try h.call("%check-vectors", [.sym("vector-map"), f, h.read("(#(1 2) #(3))")]) }
        #expect(e?.message.hasPrefix("vector-map: all vectors must have same size") == true)
    }

    @Test("a huge make-vector under a small memory limit fails with memoryLimit")
    func memoryLimit() {
        var limits = Limits()
        limits.memoryBytes = 4 << 20
        let small = ListsHarness(limits: limits)
        #expect(h.catching { try small.call("make-vector", [.int(500_000_000), .int(0)]) }?.code == .memoryLimit)
        #expect(h.catching { try small.call("make-vector", [.int(1_000), .int(0)]) } == nil)
    }
}
