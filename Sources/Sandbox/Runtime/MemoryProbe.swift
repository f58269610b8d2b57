import CShims

/// Measures the bytes of heap in use, for the memory limit.
///
/// glibc's `mallinfo2` counts live allocations (unlike RSS, it goes down when memory is freed),
/// so a program that allocates and drops data repeatedly is not charged for garbage.
enum MemoryProbe {
    static func heapInUse() -> Int { Int(rlm_heap_in_use()) }
    /// CPU time of the calling thread, for the compute-time limit (waits are not counted).
    static func threadCPUSeconds() -> Double { rlm_thread_cpu_seconds() }
}
