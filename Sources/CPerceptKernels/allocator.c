#include "percept_kernels.h"
#include <stdlib.h> /* defines __GLIBC__ on glibc systems, which the test below needs */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int pk_keep_freed_memory(void) {
#if defined(__GLIBC__)
    /* Serve every block from the heap, never trim it, and grow it in large steps, so that the
       buffers freed at the end of a training step are reused by the next one instead of being
       returned to the system and faulted in (and zeroed by the kernel) again. */
    return mallopt(M_MMAP_MAX, 0) && mallopt(M_TRIM_THRESHOLD, 0x7fffffff)
        && mallopt(M_TOP_PAD, 256 << 20);
#else
    return 0;
#endif
}
