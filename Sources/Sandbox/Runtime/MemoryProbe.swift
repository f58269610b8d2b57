import CShims

/// Measures the bytes of heap in use, for the memory limit.
///
/// glibc's `mallinfo2` counts live allocations (unlike RSS, it goes down when memory is freed),
/// so a program that allocates and drops data repeatedly is not charged for garbage.
enum MemoryProbe {
    static func heapInUse() -> Int { Int(rlm_heap_in_use()) }
    /// `heapInUse()` as last measured by this thread, measured again once the thread has computed
    /// for 20 times as long as that measurement took. Good enough to pass a periodic check; a
    /// check that fails must measure afresh (the heap may have shrunk since).
    static func recentHeapInUse() -> (bytes: Int, isFresh: Bool) {
        var fresh: Int32 = 0
        let bytes = Int(rlm_heap_in_use_recent(&fresh))
        return (bytes, fresh != 0)
    }
    /// CPU time of the calling thread, for the compute-time limit (waits are not counted).
    static func threadCPUSeconds() -> Double { rlm_thread_cpu_seconds() }
}
