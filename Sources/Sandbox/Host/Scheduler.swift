import DequeModule

/// Runs a session's fibers on its one VM thread (design: "One runtime, two worlds").
///
/// A fiber runs until it ends or suspends on a `Pending`; the scheduler then runs the next ready
/// fiber, and when none is ready it lets the clock deliver the next completion (a provider reply,
/// a timer). With a `VirtualClock` that jump is instantaneous, which is all the simulator needs.
final class Scheduler {
    enum Entry {
        /// A new fiber: call `thunk` on it.
        case start(Fiber, Value)
        /// A suspended fiber: resume it with the settled outcome of what it waited on.
        case resume(Fiber, Result<Value, SchemeError>)
    }

    let clock: any EventClock
    private(set) var ready = Deque<Entry>()
    /// Completions the clock still owes us (calls in flight, timers): while this is 0 and nothing
    /// is ready, a suspended fiber can never wake (deadlock).
    var externalWaits = 0
    /// Bumped when an interrupted evaluation's fibers are dropped: wake-ups promised to them
    /// before (settlements that arrive later) are ignored.
    private var epoch = 0

    init(clock: any EventClock) {
        self.clock = clock
    }

    func enqueueStart(_ fiber: Fiber, thunk: Value) {
        ready.append(.start(fiber, thunk))
    }

    /// Makes `fiber` ready to continue with `outcome`.
    func wake(_ fiber: Fiber, with outcome: Result<Value, SchemeError>) {
        ready.append(.resume(fiber, outcome))
    }

    /// Forgets every fiber: the ready ones and those waiting (an interrupted evaluation).
    func discardAll() {
        ready.removeAll()
        epoch += 1
    }

    func popReady() -> Entry? {
        while let e = ready.popFirst() {
            switch e {
            case .start(let f, _), .resume(let f, _):
                if f.isCancelled { continue }
            }
            return e
        }
        return nil
    }

    /// Suspends `fiber` until any of `pendings` settles; it resumes with `value(i)` for the index
    /// of the first one (only the first settlement wakes it).
    func suspend(_ fiber: Fiber, on pendings: [Pending], value: @escaping (Int, Pending) -> Value) {
        var woken = false
        let epoch = self.epoch
        for (i, p) in pendings.enumerated() {
            p.onSettle { [unowned self, weak fiber] settled in
                guard !woken, epoch == self.epoch, let fiber, !fiber.isCancelled else { return }
                woken = true
                self.wake(fiber, with: .success(value(i, settled)))
            }
        }
    }
}
