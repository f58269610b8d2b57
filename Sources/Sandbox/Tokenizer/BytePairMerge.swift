/// The rank-based byte-pair merge of one piece, as tiktoken's `_byte_pair_merge` (`src/lib.rs`):
/// start from single bytes and repeatedly join the adjacent pair whose joined bytes have the lowest
/// rank, the leftmost one among equal ranks, until no adjacent pair is a token. The ranks of the
/// remaining parts are the token ids.
extension RankTable {
    /// Pieces longer than this (in bytes) are merged with a heap (O(n log n)) instead of tiktoken's
    /// scan for the minimum after every merge (O(n²)), which a long run of letters without spaces
    /// (Chinese text, a base64 blob) would make slow. Both pick the same pair at every step.
    static let heapMergeThreshold = 128

    /// Appends the token ids of the piece `p[0 ..< length]` (`length` ≥ 1) to `out`.
    @inline(__always)
    func appendTokens(_ p: UnsafePointer<UInt8>, _ length: Int, to out: inout [Int]) {
        let whole = rank(p, length)
        if whole >= 0 {
            out.append(whole)
        } else if length <= Self.heapMergeThreshold {
            mergeByScan(p, length, into: &out)
        } else {
            mergeByHeap(p, length, into: &out)
        }
    }

    /// tiktoken's algorithm: `parts` holds the start of each part and the rank of the pair of parts
    /// that starts there (`Int.max` when that pair is no token).
    func mergeByScan(_ p: UnsafePointer<UInt8>, _ length: Int, into out: inout [Int]) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (length + 1)) { buffer in
            let starts = buffer.baseAddress!
            let ranks = starts + (length + 1)
            var parts = length + 1
            for i in 0 ... length {
                starts[i] = i
                let r = i + 2 <= length ? rank(p + i, 2) : -1
                ranks[i] = r >= 0 ? r : Int.max
            }
            // The rank of the pair that starts at part i once parts i+1 and i+2 are joined.
            func pairRank(_ i: Int) -> Int {
                guard i + 3 < parts else { return Int.max }
                let r = rank(p + starts[i], starts[i + 3] - starts[i])
                return r >= 0 ? r : Int.max
            }
            while true {
                var minRank = Int.max, minIndex = -1
                for i in 0 ..< parts - 1 where ranks[i] < minRank {
                    minRank = ranks[i]
                    minIndex = i
                }
                if minIndex < 0 { break }
                let i = minIndex
                if i > 0 { ranks[i - 1] = pairRank(i - 1) }
                ranks[i] = pairRank(i)
                // Remove part i+1.
                (starts + i + 1).update(from: starts + i + 2, count: parts - i - 2)
                (ranks + i + 1).update(from: ranks + i + 2, count: parts - i - 2)
                parts -= 1
            }
            for i in 0 ..< parts - 1 {
                out.append(rank(p + starts[i], starts[i + 1] - starts[i]))
            }
        }
    }

    /// The same merge with the parts in a linked list over byte positions and the candidate pairs
    /// in a min-heap of `rank << 32 | start`, so the minimum is the lowest rank, then the leftmost
    /// start. A heap entry is stale, and skipped, when its part is gone or its pair changed.
    func mergeByHeap(_ p: UnsafePointer<UInt8>, _ length: Int, into out: inout [Int]) {
        var next = [Int](unsafeUninitializedCapacity: length) { b, n in
            for i in 0 ..< length { b[i] = i + 1 }
            n = length
        }
        var prev = [Int](unsafeUninitializedCapacity: length) { b, n in
            for i in 0 ..< length { b[i] = i - 1 }
            n = length
        }
        var pairRank = [Int](repeating: -1, count: length)
        var alive = [Bool](repeating: true, count: length)
        var heap = MinHeap()
        heap.reserve(length)
        // The rank of the pair of parts that starts at `i`, or -1.
        func rankAt(_ i: Int) -> Int {
            let a = next[i]
            guard a < length else { return -1 }
            return rank(p + i, next[a] - i)
        }
        for i in 0 ..< length - 1 {
            let r = rank(p + i, 2)
            pairRank[i] = r
            if r >= 0 { heap.push(UInt64(r) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let i = Int(top & 0xFFFF_FFFF), r = Int(top >> 32)
            guard alive[i] && pairRank[i] == r else { continue }
            let removed = next[i]
            alive[removed] = false
            next[i] = next[removed]
            if next[i] < length { prev[next[i]] = i }
            pairRank[i] = rankAt(i)
            if pairRank[i] >= 0 { heap.push(UInt64(pairRank[i]) << 32 | UInt64(i)) }
            let before = prev[i]
            if before >= 0 {
                pairRank[before] = rankAt(before)
                if pairRank[before] >= 0 { heap.push(UInt64(pairRank[before]) << 32 | UInt64(before)) }
            }
        }
        var i = 0
        while i < length {
            out.append(rank(p + i, next[i] - i))
            i = next[i]
        }
    }
}

/// A binary min-heap of `UInt64`.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func reserve(_ n: Int) { items.reserveCapacity(n) }

    mutating func push(_ x: UInt64) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= x { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = x
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        let n = items.count
        var i = 0
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && items[child + 1] < items[child] { child += 1 }
            if items[child] >= last { break }
            items[i] = items[child]
            i = child
        }
        items[i] = last
        return top
    }
}
