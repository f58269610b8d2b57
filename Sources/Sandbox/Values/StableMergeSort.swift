/// A stable merge sort driven one comparison at a time, so the comparison can be a Scheme
/// procedure the VM runs between steps (it may wait on a model call, raise or escape).
///
/// The sort permutes indices, not values (no reference counting while merging). Every question
/// it asks is "is item `a` strictly less than item `b`?"; a merge takes from the right run only
/// when the right item is strictly less than the left one, which keeps equal items in order.
/// As in Racket it first checks whether the items are already in order (n − 1 questions) and
/// then leaves them as they are.
///
/// ```swift
/// var sort = StableMergeSort(count: keys.count)
/// var question = sort.start()
/// while let (a, b) = question { question = sort.answer(keys[a] < keys[b]) }
/// let order = sort.order  // nil: already in order
/// ```
///
/// - Complexity: O(n log n) questions and index moves; two arrays of n indices.
struct StableMergeSort {
    private enum Phase { case checking, merging, done }

    let count: Int
    private var phase = Phase.checking
    /// Checking: the item compared with its predecessor.
    private var position = 1
    /// Merging: runs of `width` items from `source` are merged pairwise into `target`.
    private var source: [Int] = []
    private var target: [Int] = []
    private var width = 1
    private var low = 0, middle = 0, high = 0
    private var left = 0, right = 0, out = 0

    init(count: Int) {
        self.count = count
    }

    /// The items' order once sorting is done: `order[k]` is the index of the k-th smallest item.
    /// Nil when the items were already in order (or there are fewer than two).
    var order: [Int]? { phase == .done && !source.isEmpty ? source : nil }

    /// The first question (`a` strictly less than `b`?), or nil when there is nothing to sort.
    mutating func start() -> (Int, Int)? {
        guard count >= 2 else { phase = .done; return nil }
        phase = .checking
        position = 1
        return (1, 0)
    }

    /// Takes the answer to the last question and returns the next one, or nil when done.
    mutating func answer(_ isLess: Bool) -> (Int, Int)? {
        switch phase {
        case .checking:
            if isLess { return beginMerging() }
            position += 1
            if position == count { phase = .done; return nil }
            return (position, position - 1)
        case .merging:
            // The question was: is source[right] strictly less than source[left]?
            if isLess {
                target[out] = source[right]; right += 1
            } else {
                target[out] = source[left]; left += 1
            }
            out += 1
            return nextQuestion()
        case .done:
            return nil
        }
    }

    private mutating func beginMerging() -> (Int, Int)? {
        phase = .merging
        source = Array(0..<count)
        target = source
        width = 1
        startBlock(at: 0)
        return nextQuestion()
    }

    private mutating func startBlock(at start: Int) {
        low = start
        middle = min(low + width, count)
        high = min(low + 2 * width, count)
        left = low; right = middle; out = low
    }

    /// Copies whatever needs no comparison and moves to the next pair of runs (and the next
    /// width) until a comparison is needed or the sort is done.
    private mutating func nextQuestion() -> (Int, Int)? {
        while true {
            if left < middle && right < high { return (source[right], source[left]) }
            while left < middle { target[out] = source[left]; left += 1; out += 1 }
            while right < high { target[out] = source[right]; right += 1; out += 1 }
            if high < count {
                startBlock(at: high)
                continue
            }
            swap(&source, &target)
            width *= 2
            if width >= count { phase = .done; return nil }
            startBlock(at: 0)
        }
    }
}
