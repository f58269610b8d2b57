import Foundation

/// Something a fiber can wait on: a model call, another fiber's result, a timer.
///
/// It settles once, with a value or an error. Fibers suspended on it are woken through
/// `onSettle` callbacks, which run on the VM thread (settling only ever happens there).
class Pending: SchemeObject, @unchecked Sendable {
    private(set) var outcome: Result<Value, SchemeError>?
    /// Order in which pendings settled (lower = earlier), so `await-any` can say which came first.
    private(set) var settleOrder = 0
    private var callbacks: [(Pending) -> Void] = []
    /// Shared by every session: a lock keeps it strictly increasing across threads.
    nonisolated(unsafe) private static var settleCounter = 0
    private static let counterLock = NSLock()

    override init() { super.init() }

    override var typeName: String { "future" }

    var isSettled: Bool { outcome != nil }

    /// Settles with `result` (ignored when already settled) and runs the callbacks.
    func settle(_ result: Result<Value, SchemeError>) {
        guard outcome == nil else { return }
        outcome = result
        Pending.counterLock.lock()
        Pending.settleCounter += 1
        settleOrder = Pending.settleCounter
        Pending.counterLock.unlock()
        let pending = callbacks
        callbacks = []
        for callback in pending { callback(self) }
    }

    /// Runs `callback` when this settles (at once if it already has).
    func onSettle(_ callback: @escaping (Pending) -> Void) {
        if outcome != nil { callback(self) } else { callbacks.append(callback) }
    }

    /// Stops the work behind this pending, if it can be stopped (a model call in flight).
    func cancel() {}
}

/// The result of a fiber started by `spawn` (Racket's `future` / `touch`).
final class FiberFuture: Pending, @unchecked Sendable {
    /// The fiber while it runs; dropped when it ends.
    var fiber: Fiber?
    /// The last model call the fiber waited on, kept when it ends: who touches this future
    /// depends on that call.
    var lastAwaitedCall: AwaitedCall?

    init(fiber: Fiber) {
        self.fiber = fiber
        super.init()
    }
}
