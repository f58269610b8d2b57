import DequeModule

/// Fibers started together whose results are taken in completion order (`map-async`,
/// `parallel`, `tree-reduce` levels): O(1) per completion, where awaiting "any of n" would
/// cost O(n) each time and O(n²) for a whole fan-out.
final class FutureGroup: SchemeObject, @unchecked Sendable {
    /// Members that finished and were not taken yet, in completion order: (index, future).
    private var finished = Deque<(Int, FiberFuture)>()
    /// Members still running.
    private(set) var running: [Int: FiberFuture] = [:]
    /// Settled when the next member finishes (replaced after each wait).
    private var signal: Pending?

    override var typeName: String { "future-group" }

    func add(_ future: FiberFuture, index: Int) {
        running[index] = future
        future.onSettle { [weak self] settled in
            guard let self, let f = settled as? FiberFuture else { return }
            self.running[index] = nil
            self.finished.append((index, f))
            self.signal?.settle(.success(.void))
            self.signal = nil
        }
    }

    /// A pending that is settled once a finished member can be taken.
    func waitSignal() -> Pending {
        if !finished.isEmpty {
            let ready = Pending()
            ready.settle(.success(.void))
            return ready
        }
        if let s = signal { return s }
        let s = Pending()
        signal = s
        return s
    }

    /// The next finished member, if any.
    func take() -> (Int, FiberFuture)? { finished.popFirst() }
}
