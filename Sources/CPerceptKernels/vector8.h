#ifndef PERCEPT_VECTOR8_H
#define PERCEPT_VECTOR8_H

/* Eight floats (and eight int32 masks), loaded and stored unaligned (hence aligned(4)). Functions
   marked PK_TARGET are compiled for AVX2 + FMA on x86-64, where one vector is one register, and
   must only be called where pk_has_avx2_fma() is true; elsewhere the compiler maps the vectors to
   the CPU's own. `a + b * c` becomes a fused multiply-add. pk_has_avx2_fma() is also the run-time
   choice of every kernel file's AVX2 instances. */
typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef int v8i __attribute__((vector_size(32), aligned(4)));

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define PK_TARGET __attribute__((target("avx2,fma")))
static inline int pk_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
#define PK_TARGET
static inline int pk_has_avx2_fma(void) { return 1; }
#endif

/* Small helpers and register blocks, inlined into PK_TARGET functions. */
#define PK_BLOCK static inline __attribute__((always_inline)) PK_TARGET

PK_BLOCK v8 load8(const float *p) { return *(const v8 *)p; }
PK_BLOCK void store8(float *p, v8 v) { *(v8 *)p = v; }
PK_BLOCK v8i load8i(const int *p) { return *(const v8i *)p; }
PK_BLOCK void store8i(int *p, v8i v) { *(v8i *)p = v; }

/* The lanes of a where mask is set, of b elsewhere. */
PK_BLOCK v8 select8(v8i mask, v8 a, v8 b) { return (v8)(((v8i)a & mask) | ((v8i)b & ~mask)); }
PK_BLOCK v8i select8i(v8i mask, v8i a, v8i b) { return (a & mask) | (b & ~mask); }

#endif
