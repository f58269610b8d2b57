#ifndef RLM_CSHIMS_H
#define RLM_CSHIMS_H
#include <stddef.h>

/// Bytes of heap currently allocated (glibc mallinfo2: in-use chunks plus mmapped blocks).
size_t rlm_heap_in_use(void);

/// CPU seconds consumed by the calling thread.
double rlm_thread_cpu_seconds(void);

#endif
