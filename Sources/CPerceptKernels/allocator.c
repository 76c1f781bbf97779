#include "percept_kernels.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int pk_keep_freed_memory(void) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_MAX, 0) && mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
#else
    return 0;
#endif
}
