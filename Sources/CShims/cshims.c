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
