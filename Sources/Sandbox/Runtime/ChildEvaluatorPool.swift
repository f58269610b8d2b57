/// Fresh sandboxes built ahead for `#:recursive` children, while the VM would otherwise wait.
///
/// A child needs a whole environment (the standard library and the eager preludes: tens of
/// milliseconds in a debug build). Building it when the sub-model's code arrives puts that time on
/// the critical path of every recursive call, one child after another. Instead, each recursive
/// code-generation call announces a child (`expect`), and the scheduler builds the announced
/// ones when it is about to wait on the clock, i.e. while the code-generation requests are in
/// flight. Shared by a session's sandbox and all its children (one VM thread).
final class ChildEvaluatorPool {
    /// Children announced and not started yet.
    private var wanted = 0
    private var ready: [Evaluator] = []
    /// Built evaluators kept beyond what is wanted (a failed code-generation call leaves one).
    private let spareLimit = 4

    /// A recursive code-generation call was made: its child will be needed soon.
    func expect() { wanted += 1 }

    /// Whether a child is announced that has no evaluator yet.
    var needsBuilding: Bool { ready.count < wanted }

    /// Builds one announced child's evaluator (the scheduler calls this while idle).
    func buildOne(limits: Limits) {
        guard let e = try? Evaluator(limits: limits, seed: nil) else { return }
        ready.append(e)
    }

    /// An evaluator for a child starting now: a prepared one when there is one, else a new one.
    func take(limits: Limits) throws -> Evaluator {
        wanted = max(0, wanted - 1)
        if let i = ready.firstIndex(where: { $0.runtime.limits == limits }) { return ready.remove(at: i) }
        return try Evaluator(limits: limits, seed: nil)
    }

    /// A new top-level evaluation: forget announcements of the last one, keep a few spares.
    func reset() {
        wanted = 0
        while ready.count > spareLimit { ready.removeLast().retire() }
    }

    /// Releases the prepared evaluators (the owning sandbox is going away).
    func retireAll() {
        for e in ready { e.retire() }
        ready.removeAll()
        wanted = 0
    }
}
