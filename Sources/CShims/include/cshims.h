#ifndef RLM_CSHIMS_H
#define RLM_CSHIMS_H
#include <stddef.h>

/// Bytes of heap currently allocated (glibc mallinfo2: in-use chunks plus mmapped blocks).
size_t rlm_heap_in_use(void);

/// `rlm_heap_in_use()`, measured again only when the calling thread has computed for 20 times
/// as long as the last measurement took since then (else that measurement): mallinfo2 walks the
/// allocator's free lists, which takes milliseconds in a fragmented heap.
/// `*fresh` is set to 1 when this call measured, 0 when it returned the earlier measurement.
size_t rlm_heap_in_use_recent(int *fresh);

/// CPU seconds consumed by the calling thread.
double rlm_thread_cpu_seconds(void);

#endif
