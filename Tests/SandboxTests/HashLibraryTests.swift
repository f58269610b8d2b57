import Testing
@testable import Sandbox

@Suite("Hash library")
struct HashLibraryTests {
    let h = ListsHarness()

    /// A table built by calling `name` on data read from `args`.
    func table(_ name: String, _ args: String...) throws -> Value {
        try h.call(name, args.map(h.read))
    }

    @Test("make-hash and friends build mutable tables, optionally from an association list")
    func makeHash() throws {
        #expect(try h.run("make-hash") == "#hash()")
        #expect(try h.run("make-hash", "((a . 1) (b . 2))") == "#hash((a . 1) (b . 2))")
        #expect(try h.run("make-hasheq", "((a . 1))") == "#hasheq((a . 1))")
        #expect(try h.run("make-hasheqv") == "#hasheqv()")
        #expect(h.error("make-hash", "5")?.message == "make-hash: contract violation\n  expected: (listof pair?)\n  given: 5")
        #expect(h.error("make-hash", "(1 2)")?.message.hasPrefix("make-hash: contract violation\n  expected: (listof pair?)") == true)
        guard case .hash(let t) = try table("make-hash") else { Issue.record("not a table"); return }
        #expect(t.isMutable && t.kind == .equal)
    }

    @Test("hash builds immutable tables from keys and values; later keys win")
    func hashConstructor() throws {
        #expect(try h.run("hash", "a", "1", "b", "2") == "#hash((a . 1) (b . 2))")
        #expect(try h.run("hash", "a", "1", "a", "2") == "#hash((a . 2))")
        #expect(try h.run("hasheq") == "#hasheq()")
        #expect(h.error("hash", "a")?.message == "hash: key does not have a value (i.e., an odd number of arguments were provided)\n  key: 'a")
        #expect(h.error("hasheqv", "a", "1", "b")?.message.hasSuffix("key: 'b") == true)
        guard case .hash(let t) = try table("hash", "a", "1") else { Issue.record("not a table"); return }
        #expect(!t.isMutable)
    }

    @Test("%hash-ref returns values, defaults, or the marker for failure procedures")
    func hashRef() throws {
        let t = try table("hash", "a", "1", "(k 1)", "2")
        #expect(h.show(try h.call("%hash-ref", [t, .sym("a")])) == "1")
        #expect(h.show(try h.call("%hash-ref", [t, h.read("(k 1)")])) == "2")
        #expect(h.show(try h.call("%hash-ref", [t, .sym("b"), .int(7)])) == "7")
        let proc = h.rt.global("car") ?? .void
        let marker = try h.call("%hash-ref", [t, .sym("b"), proc])
        #expect(Equality.eq(marker, h.rt.global("%none") ?? .void))
        let none = h.rt.global("%none") ?? .void
        let missing = h.catching { try h.call("%hash-ref", [t, .sym("x"), none]) }
        #expect(missing?.message == "hash-ref: no value found for key\n  key: 'x")
        #expect(missing?.code == .contract)
        #expect(h.catching { try h.call("%hash-ref", [t, .str("x")]) }?.message == "hash-ref: no value found for key\n  key: \"x\"")
        let update = h.catching { try h.call("%hash-ref", [t, .sym("x"), none, .sym("hash-update!")]) }
        #expect(update?.message == "hash-update!: no value found for key: 'x")
        #expect(h.catching { try h.call("%hash-ref", [.int(5), .int(1)]) }?.message.hasPrefix("hash-ref: contract violation\n  expected: hash?\n  given: 5") == true)
    }

    @Test("keys compare by the table's equality")
    func keyEquality() throws {
        let equalTable = try table("make-hash")
        let eqTable = try table("make-hasheq")
        let eqvTable = try table("make-hasheqv")
        for t in [equalTable, eqTable, eqvTable] {
            _ = try h.call("hash-set!", [t, .str("k"), .int(1)])
            _ = try h.call("hash-set!", [t, .double(1.5), .int(2)])
            _ = try h.call("hash-set!", [t, h.read("(1 2)"), .int(3)])
        }
        #expect(h.show(try h.call("hash-has-key?", [equalTable, .str("k")])) == "#t")
        #expect(h.show(try h.call("hash-has-key?", [eqTable, .str("k")])) == "#f")
        #expect(h.show(try h.call("hash-has-key?", [equalTable, h.read("(1 2)")])) == "#t")
        #expect(h.show(try h.call("hash-has-key?", [eqvTable, h.read("(1 2)")])) == "#f")
        #expect(h.show(try h.call("hash-has-key?", [eqvTable, .double(1.5)])) == "#t")
        #expect(h.show(try h.call("hash-has-key?", [equalTable, .int(1)])) == "#f")
    }

    @Test("hash-set!, hash-remove! and hash-clear! mutate; immutable tables refuse")
    func mutation() throws {
        let t = try table("make-hash")
        _ = try h.call("hash-set!", [t, .sym("a"), .int(1)])
        _ = try h.call("hash-set!", [t, .sym("b"), .int(2)])
        _ = try h.call("hash-set!", [t, .sym("a"), .int(3)])
        #expect(h.show(t) == "#hash((a . 3) (b . 2))")
        _ = try h.call("hash-remove!", [t, .sym("a")])
        #expect(h.show(t) == "#hash((b . 2))")
        _ = try h.call("hash-set*!", [t, .sym("c"), .int(4), .sym("d"), .int(5)])
        #expect(h.show(try h.call("hash-count", [t])) == "3")
        _ = try h.call("hash-clear!", [t])
        #expect(h.show(try h.call("hash-empty?", [t])) == "#t")
        let frozen = try table("hash", "a", "1")
        let e = h.catching { try h.call("hash-set!", [frozen, .sym("x"), .int(1)]) }
        #expect(e?.message.hasPrefix("hash-set!: contract violation\n  expected: (and/c hash? (not/c immutable?))\n  given: ") == true)
        #expect(h.catching { try h.call("hash-remove!", [frozen, .sym("a")]) }?.message.contains("(and/c hash? (not/c immutable?))") == true)
        #expect(h.catching { try h.call("hash-clear!", [frozen]) } != nil)
        #expect(h.catching { try h.call("hash-set!", [.int(5), .int(1), .int(2)]) }?.code == .contract)
    }

    @Test("hash-set and hash-remove return new immutable tables and leave the original alone")
    func functionalUpdate() throws {
        let t = try table("hash", "a", "1")
        let t2 = try h.call("hash-set", [t, .sym("b"), .int(2)])
        #expect(h.show(t) == "#hash((a . 1))")
        #expect(h.show(t2) == "#hash((a . 1) (b . 2))")
        let t3 = try h.call("hash-remove", [t2, .sym("a")])
        #expect(h.show(t3) == "#hash((b . 2))")
        #expect(h.show(t2) == "#hash((a . 1) (b . 2))")
        #expect(Equality.eq(try h.call("hash-remove", [t, .sym("zz")]), t), "removing a missing key shares the table")
        #expect(h.show(try h.call("hash-set*", [t, .sym("x"), .int(1), .sym("y"), .int(2)])) == "#hash((a . 1) (x . 1) (y . 2))")
        let mutable = try table("make-hash")
        #expect(h.catching { try h.call("hash-set", [mutable, .sym("x"), .int(1)]) }?.message.hasPrefix("hash-set: contract violation\n  expected: (and/c hash? immutable?)") == true)
        #expect(h.catching { try h.call("hash-remove", [mutable, .sym("x")]) }?.message.contains("(and/c hash? immutable?)") == true)
        guard case .hash(let r) = t2 else { Issue.record("not a table"); return }
        #expect(!r.isMutable)
    }

    @Test("hash-keys, hash-values and hash->list follow insertion order")
    func listing() throws {
        let t = try table("make-hash", "((c . 3) (a . 1) (b . 2))")
        #expect(h.show(try h.call("hash-keys", [t])) == "(c a b)")
        #expect(h.show(try h.call("hash-values", [t])) == "(3 1 2)")
        #expect(h.show(try h.call("hash->list", [t])) == "((c . 3) (a . 1) (b . 2))")
        // try-order? sorts the keys, as Racket does
        #expect(h.show(try h.call("hash-keys", [t, .true])) == "(a b c)")
        #expect(h.error("hash-keys", "5")?.message == "hash-keys: contract violation\n  expected: hash?\n  given: 5")
        #expect(h.error("hash-count", "5")?.message == "hash-count: contract violation\n  expected: hash?\n  given: 5")
    }

    @Test("hash-copy gives an independent mutable table; predicates report kind")
    func copyAndPredicates() throws {
        let frozen = try table("hasheq", "a", "1")
        let copy = try h.call("hash-copy", [frozen])
        _ = try h.call("hash-set!", [copy, .sym("b"), .int(2)])
        #expect(h.show(copy) == "#hasheq((a . 1) (b . 2))")
        #expect(h.show(frozen) == "#hasheq((a . 1))")
        #expect(h.show(try h.call("hash?", [copy])) == "#t")
        #expect(try h.run("hash?", "(1)") == "#f")
        #expect(h.show(try h.call("hash-eq?", [copy])) == "#t")
        #expect(h.show(try h.call("hash-equal?", [copy])) == "#f")
        #expect(h.show(try h.call("hash-eqv?", [try table("make-hasheqv")])) == "#t")
        #expect(h.show(try h.call("hash-empty?", [try table("hash")])) == "#t")
        #expect(h.show(try h.call("hash-clear", [frozen])) == "#hasheq()")
    }

    @Test("%check-hash enforces mutability for the prelude's hash procedures")
    func checkHash() throws {
        let frozen = try table("hash")
        let e = h.catching { try h.call("%check-hash", [.sym("hash-update!"), frozen, .sym("mutable")]) }
        #expect(e?.message.hasPrefix("hash-update!: contract violation\n  expected: (and/c hash? (not/c immutable?))") == true)
        #expect(h.show(try h.call("%check-hash", [.sym("hash-update"), frozen, .sym("immutable")])) == "#<void>")
        #expect(h.catching { try h.call("%check-hash", [.sym("hash-map"), .int(5)]) }?.message == "hash-map: contract violation\n  expected: hash?\n  given: 5")
    }

    @Test("growing an immutable table charges fuel for each copy")
    func functionalUpdateFuel() throws {
        var t = try table("hash")
        for i in 0..<100 { t = try h.call("hash-set", [t, .int(i), .int(i)]) }
        h.rt.pendingFuel = 0
        _ = try h.call("hash-set", [t, .int(1000), .int(0)])
        #expect(h.rt.pendingFuel >= 100)
        #expect(h.show(try h.call("hash-count", [t])) == "100")
    }
}
