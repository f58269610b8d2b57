import Foundation

/// The one OS thread a session's Scheme runs on, with a large stack.
///
/// Scheme calls never use the Swift stack (frames are heap data), but the reader's callers, the
/// expander and the printer recurse over nested code and data up to their depth limits; a 512 MiB
/// reserved stack (committed lazily by the OS) makes those limits safe rather than lucky.
final class VMThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopped = false
    private var thread: Thread?

    init(stackSize: Int = 512 << 20) {
        let t = Thread { [unowned self] in self.loop() }
        t.stackSize = stackSize
        t.name = "rlm-plan-vm"
        thread = t
        t.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty && stopped { condition.unlock(); return }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    /// Runs `body` on the VM thread and waits for its result.
    func sync<T>(_ body: @escaping () -> T) -> T {
        if Thread.current === thread { return body() }
        let slot = ResultSlot<T>()
        condition.lock()
        jobs.append { slot.value = body(); slot.done.signal() }
        condition.signal()
        condition.unlock()
        slot.done.wait()
        return slot.value!
    }

    /// Runs `body` on the VM thread; the caller awaits without blocking its own thread.
    /// Never call it from the VM thread itself (Scheme never awaits).
    func run<T: Sendable>(_ body: @escaping () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let box = UncheckedBox(body)
            enqueue { continuation.resume(returning: box.value()) }
        }
    }

    /// Queues `job` on the VM thread and returns at once.
    func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish its queued jobs and exit.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}

/// Carries a result from the VM thread back to the waiting caller.
private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}
