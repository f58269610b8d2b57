import Foundation

/// A host's request to stop the running evaluation (`SandboxSession.interrupt()`), set from any
/// thread and read by the VM at its safe points: where it checks its limits (every fuel chunk)
/// and in the scheduler's loop, which the signal wakes when it waits on the clock.
///
/// A lock rather than an atomic: the VM reads it once per fuel chunk (20 000 steps) and once per
/// scheduler turn, where a lock costs nothing measurable, and `Atomic` needs macOS 15.
final class InterruptSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    /// Whether an evaluation is running or queued: an interrupt outside one is ignored, so it
    /// never stops the next evaluation.
    private var evaluations = 0
    /// The clock the running evaluation's scheduler waits on (woken by `request`).
    private var clock: (any EventClock)?

    /// True once an interrupt was requested for the current evaluation.
    var isRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return requested
    }

    /// Throws the interrupted error when an interrupt was requested (the VM's safe points).
    @inline(__always)
    func check() throws {
        if isRequested { throw InterruptSignal.error }
    }

    static var error: SchemeError {
        SchemeError(.interrupted, "interrupted: the host stopped the evaluation")
    }

    /// Asks the running evaluation to stop; returns false when none is running.
    @discardableResult
    func request() -> Bool {
        lock.lock()
        guard evaluations > 0 else { lock.unlock(); return false }
        requested = true
        let clock = self.clock
        lock.unlock()
        // A scheduler blocked in `runNext` wakes to see the flag.
        clock?.post {}
        return true
    }

    /// An evaluation was queued (before its job reaches the VM thread, so an early interrupt counts).
    func evaluationQueued() {
        lock.lock(); evaluations += 1; lock.unlock()
    }

    /// An evaluation ended: the request, if any, was for it.
    func evaluationEnded() {
        lock.lock()
        evaluations = max(0, evaluations - 1)
        requested = false
        lock.unlock()
    }

    /// The clock the scheduler is about to wait on.
    func waits(on clock: any EventClock) {
        lock.lock(); self.clock = clock; lock.unlock()
    }
}
