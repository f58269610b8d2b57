import Foundation

/// The scheduler's notion of time and its event queue: a wall clock for real runs, a virtual
/// clock for simulation. Completions and timers are actions run on the VM thread by
/// `runNext`, so the scheduler never shares mutable state with provider threads.
public protocol EventClock: AnyObject, Sendable {
    /// Seconds since the clock's start.
    func now() -> Double
    /// Runs `action` on the VM thread at `time` (or as soon as possible after it). Thread-safe.
    func schedule(at time: Double, _ action: @escaping @Sendable () -> Void)
    /// Runs the actions that are due, waiting for the next one if none is: a wall clock blocks
    /// until an action is posted or a timer falls due (at most until `deadline`); a virtual clock
    /// jumps to the earliest scheduled time. Returns false when nothing ran (timed out, or a
    /// virtual clock with an empty queue).
    func runNext(until deadline: Double) -> Bool
    /// Whether this clock is simulated (sleeps and latencies cost no real time).
    var isVirtual: Bool { get }
}

extension EventClock {
    /// Runs `action` on the VM thread as soon as possible.
    public func post(_ action: @escaping @Sendable () -> Void) { schedule(at: now(), action) }
}

/// A min-heap of timed actions, ordered by time then by insertion (FIFO among equal times, so the
/// schedule is deterministic).
struct TimedActionQueue {
    struct Entry {
        let time: Double
        let sequence: UInt64
        let action: @Sendable () -> Void
    }
    private var heap: [Entry] = []
    private var sequence: UInt64 = 0

    var earliestTime: Double? { heap.first?.time }

    mutating func insert(_ time: Double, _ action: @escaping @Sendable () -> Void) {
        sequence &+= 1
        heap.append(Entry(time: time, sequence: sequence, action: action))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if less(heap[i], heap[parent]) { heap.swapAt(i, parent); i = parent } else { break }
        }
    }

    mutating func popFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && less(heap[l], heap[m]) { m = l }
            if r < heap.count && less(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }

    private func less(_ a: Entry, _ b: Entry) -> Bool {
        a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }
}

/// Real time: actions posted from provider threads wake the VM thread.
public final class WallClock: EventClock, @unchecked Sendable {
    private let condition = NSCondition()
    private var queue = TimedActionQueue()
    private let origin = MonotonicClock.seconds()

    public init() {}

    public var isVirtual: Bool { false }

    public func now() -> Double { MonotonicClock.seconds() - origin }

    public func schedule(at time: Double, _ action: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.insert(time, action)
        condition.signal()
        condition.unlock()
    }

    public func runNext(until deadline: Double) -> Bool {
        condition.lock()
        while true {
            let t = now()
            if let first = queue.earliestTime, first <= t {
                var due: [@Sendable () -> Void] = []
                while let e = queue.earliestTime, e <= t, let entry = queue.popFirst() { due.append(entry.action) }
                condition.unlock()
                for a in due { a() }
                return true
            }
            if t >= deadline { condition.unlock(); return false }
            let wake = min(deadline, queue.earliestTime ?? deadline)
            _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, wake - t)))
        }
    }
}

/// Simulated time: nothing waits; `runNext` jumps to the earliest scheduled action.
public final class VirtualClock: EventClock, @unchecked Sendable {
    private let lock = NSLock()
    private var queue = TimedActionQueue()
    private var current: Double = 0

    public init(start: Double = 0) { current = start }

    public var isVirtual: Bool { true }

    public func now() -> Double { lock.lock(); defer { lock.unlock() }; return current }

    public func schedule(at time: Double, _ action: @escaping @Sendable () -> Void) {
        lock.lock()
        queue.insert(max(time, current), action)
        lock.unlock()
    }

    /// Runs every action scheduled for the earliest pending time (advancing the clock to it).
    public func runNext(until deadline: Double) -> Bool {
        lock.lock()
        guard let first = queue.earliestTime, first <= deadline else { lock.unlock(); return false }
        current = max(current, first)
        var due: [@Sendable () -> Void] = []
        while let e = queue.earliestTime, e <= current, let entry = queue.popFirst() { due.append(entry.action) }
        lock.unlock()
        for a in due { a() }
        return true
    }

}
