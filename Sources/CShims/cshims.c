#include "cshims.h"
#include <time.h>
#if defined(__linux__)
#include <malloc.h>
#endif

size_t rlm_heap_in_use(void) {
#if defined(__linux__) && defined(__GLIBC__)
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}

double rlm_thread_cpu_seconds(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static _Thread_local size_t recent_heap = 0;
static _Thread_local double next_heap_probe = 0;

size_t rlm_heap_in_use_recent(int *fresh) {
    double before = rlm_thread_cpu_seconds();
    *fresh = before >= next_heap_probe;
    if (!*fresh) return recent_heap;
    recent_heap = rlm_heap_in_use();
    double after = rlm_thread_cpu_seconds();
    // At most about 5% of the thread's CPU time goes to measuring the heap.
    next_heap_probe = after + 20 * (after - before);
    return recent_heap;
}
