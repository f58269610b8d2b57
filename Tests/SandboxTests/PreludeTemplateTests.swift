import Testing
@testable import Sandbox

/// Prelude procedures are compiled once per process and instantiated in later sessions
/// (`PreludeTemplate`): each session must get code bound to its own namespace, fresh constants,
/// and the same results and fuel as compiling would give.
@Suite("Prelude procedures compiled once per process")
struct PreludeTemplateTests {
    /// The system namespace's closure for `name` after `code` ran in `session`.
    private func systemClosure(_ name: String, in session: SandboxSession) -> Closure? {
        guard let runtime = session.runtimeForTesting,
              case .closure(let c)? = runtime.system.cells[Symbol.intern(name)]?.value else { return nil }
        return c
    }

    /// Every global cell and string constant of a prototype and its nested ones.
    private func walk(_ proto: Prototype) -> (cells: [GlobalCell], strings: [MString]) {
        var cells = Array(proto.code.cells)
        var strings: [MString] = proto.code.constants.compactMap { if case .string(let s) = $0 { s } else { nil } }
        for p in proto.code.prototypes {
            let inner = walk(p)
            cells += inner.cells
            strings += inner.strings
        }
        return (cells, strings)
    }

    @Test("a procedure compiled in one session runs in the next against that session's own cells, with fresh constants")
    func instantiatedCodeIsBoundToItsSession() throws {
        let program = """
            (define-values (a b) (split-at-right '(1 2 3 4 5) 2))
            (finish (list a b (map add1 b) (with-handlers ([exn:fail? exn-message]) (split-at-right '(1) 3))))
            """
        let first = SandboxSession()
        let r1 = first.eval(program)
        let second = SandboxSession()
        let r2 = second.eval(program)
        #expect(r1.status == .finished)
        #expect(r2.result == r1.result)
        #expect(r2.result.contains("a list with at least n elements"))

        for name in ["split-at-right", "map"] {
            let c1 = try #require(systemClosure(name, in: first))
            let c2 = try #require(systemClosure(name, in: second))
            let (cells1, strings1) = walk(c1.proto)
            let (cells2, strings2) = walk(c2.proto)
            #expect(!cells2.isEmpty)
            #expect(cells2.map(\.name) == cells1.map(\.name))
            let runtime = try #require(second.runtimeForTesting)
            for cell in cells2 {
                // Bound to the second session's system namespace, not to the first one's cells.
                #expect(cell === runtime.system.cells[cell.name], "\(name) refers to another session's \(cell.name.name)")
            }
            #expect(strings2.count == strings1.count)
            for (s1, s2) in zip(strings1, strings2) {
                #expect(s1 !== s2, "\(name) shares a string constant with another session")
                #expect(s1.scalars == s2.scalars)
            }
        }
    }

    @Test("a program uses the same fuel whether its prelude procedures are compiled or come from a template")
    func fuelDoesNotDependOnTemplates() throws {
        let program = """
            (finish (list (call-with-values (lambda () (split-at-right '(1 2 3) 1)) list)
                          (inclusive-range 1 5 2) (index-where '(1 2 3) even?)))
            """
        func fuelUsed(_ session: SandboxSession) throws -> Int {
            let r = session.eval(program)
            #expect(r.result == "(((1 2) (3)) (1 3 5) 1)", "\(r.error?.messageWithPosition ?? "")")
            let runtime = try #require(session.runtimeForTesting)
            return session.limits.fuel - (runtime.fuelRemaining - runtime.pendingFuel)
        }
        let names = ["split-at-right", "inclusive-range", "index-where"]
        let fresh = SandboxSession()
        let sources = try names.map { name in
            try #require(fresh.runtimeForTesting?.lazyDefinitions[Symbol.intern(name)], "\(name) is not a lazy prelude procedure")
        }
        withExtendedLifetime(fresh) {}
        for source in sources { PreludeTemplate.forget(source) }
        let compiled = try fuelUsed(SandboxSession())
        for source in sources { #expect(PreludeTemplate.lookup(source) != nil) }
        let instantiated = try fuelUsed(SandboxSession())
        #expect(compiled > 0)
        #expect(instantiated == compiled)
    }
}
