#include "percept_kernels.h"
#include "vector8.h"
#include <math.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PK_X86 1
#define PK_AVX2 PK_TARGET
#else
#define PK_X86 0
#endif

/* Each kernel body is written once as a macro and instantiated for the baseline and for AVX2:
   the compiler vectorises the plain loops with the instruction set of each instance. */

#define ADAM_BODY                                                                          \
    for (size_t i = 0; i < n; i++) {                                                       \
        float gi = g[i] * grad_scale;                                                      \
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;                                     \
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;                                \
        m[i] = mi;                                                                         \
        v[i] = vi;                                                                         \
        p[i] -= step_size * mi / (sqrtf(vi) * inverse_root_correction + epsilon);          \
    }

#define ADAM_SIGNATURE(name)                                                               \
    void name(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, \
              size_t n, float beta1, float beta2, float step_size, float inverse_root_correction, \
              float epsilon, float grad_scale)

static ADAM_SIGNATURE(adam_base) { ADAM_BODY }
#if PK_X86
/* Written with intrinsics: sqrtf's errno semantics keep the compiler from vectorising the loop. */
PK_AVX2 static ADAM_SIGNATURE(adam_avx2) {
    const __m256 b1 = _mm256_set1_ps(beta1), c1 = _mm256_set1_ps(1.0f - beta1);
    const __m256 b2 = _mm256_set1_ps(beta2), c2 = _mm256_set1_ps(1.0f - beta2);
    const __m256 step = _mm256_set1_ps(step_size), correction = _mm256_set1_ps(inverse_root_correction);
    const __m256 eps = _mm256_set1_ps(epsilon), scale = _mm256_set1_ps(grad_scale);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 gi = _mm256_mul_ps(_mm256_loadu_ps(g + i), scale);
        __m256 mi = _mm256_fmadd_ps(b1, _mm256_loadu_ps(m + i), _mm256_mul_ps(c1, gi));
        __m256 vi = _mm256_fmadd_ps(b2, _mm256_loadu_ps(v + i), _mm256_mul_ps(c2, _mm256_mul_ps(gi, gi)));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 denominator = _mm256_fmadd_ps(_mm256_sqrt_ps(vi), correction, eps);
        __m256 update = _mm256_div_ps(_mm256_mul_ps(step, mi), denominator);
        _mm256_storeu_ps(p + i, _mm256_sub_ps(_mm256_loadu_ps(p + i), update));
    }
    p += i; g += i; m += i; v += i; n -= i;
    ADAM_BODY
}
#endif

void pk_adam_update(float *p, const float *g, float *m, float *v, size_t n, float beta1, float beta2,
                    float step_size, float inverse_root_correction, float epsilon, float grad_scale) {
#if PK_X86
    if (pk_has_avx2_fma()) {
        adam_avx2(p, g, m, v, n, beta1, beta2, step_size, inverse_root_correction, epsilon, grad_scale);
        return;
    }
#endif
    adam_base(p, g, m, v, n, beta1, beta2, step_size, inverse_root_correction, epsilon, grad_scale);
}

/* Blocks of 4096 are summed in float (vectorised), blocks are summed in double. */
#define SUM_SQUARES_BODY                                                                   \
    double total = 0;                                                                      \
    for (size_t start = 0; start < n; start += 4096) {                                     \
        size_t end = start + 4096 < n ? start + 4096 : n;                                  \
        float block = 0;                                                                   \
        for (size_t i = start; i < end; i++) block += x[i] * x[i];                         \
        total += block;                                                                    \
    }                                                                                      \
    return total;

static double sum_squares_base(const float *restrict x, size_t n) { SUM_SQUARES_BODY }
#if PK_X86
/* Eight lanes accumulate in float within a block; blocks add up in double. */
PK_AVX2 static double sum_squares_avx2(const float *restrict x, size_t n) {
    double total = 0;
    size_t i = 0;
    while (i + 8 <= n) {
        size_t end = i + 4096 < n ? i + 4096 : n;
        __m256 lanes = _mm256_setzero_ps();
        for (; i + 8 <= end; i += 8) {
            __m256 xi = _mm256_loadu_ps(x + i);
            lanes = _mm256_fmadd_ps(xi, xi, lanes);
        }
        float parts[8];
        _mm256_storeu_ps(parts, lanes);
        for (int k = 0; k < 8; k++) total += parts[k];
    }
    for (; i < n; i++) total += (double)x[i] * x[i];
    return total;
}
#endif

double pk_sum_squares(const float *x, size_t n) {
#if PK_X86
    if (pk_has_avx2_fma()) return sum_squares_avx2(x, n);
#endif
    return sum_squares_base(x, n);
}

#define RELU_BODY for (size_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
static void relu_base(const float *restrict x, float *restrict y, size_t n) { RELU_BODY }
#if PK_X86
PK_AVX2 static void relu_avx2(const float *restrict x, float *restrict y, size_t n) { RELU_BODY }
#endif

void pk_relu(const float *x, float *y, size_t n) {
#if PK_X86
    if (pk_has_avx2_fma()) { relu_avx2(x, y, n); return; }
#endif
    relu_base(x, y, n);
}

#define RELU_BACKWARD_BODY for (size_t i = 0; i < n; i++) out[i] = y[i] > 0 ? g[i] : 0;
static void relu_backward_base(const float *restrict g, const float *restrict y, float *restrict out, size_t n) {
    RELU_BACKWARD_BODY
}
#if PK_X86
PK_AVX2 static void relu_backward_avx2(const float *restrict g, const float *restrict y, float *restrict out,
                                       size_t n) {
    RELU_BACKWARD_BODY
}
#endif

void pk_relu_backward(const float *g, const float *y, float *out, size_t n) {
#if PK_X86
    if (pk_has_avx2_fma()) { relu_backward_avx2(g, y, out, n); return; }
#endif
    relu_backward_base(g, y, out, n);
}

#define COLUMN_SUMS_BODY                                                                   \
    for (size_t j = 0; j < cols; j++) out[j] = 0;                                          \
    for (size_t r = 0; r < rows; r++) {                                                    \
        const float *row = x + r * cols;                                                   \
        for (size_t j = 0; j < cols; j++) out[j] += row[j];                                \
    }
static void column_sums_base(const float *restrict x, size_t rows, size_t cols, float *restrict out) {
    COLUMN_SUMS_BODY
}
#if PK_X86
PK_AVX2 static void column_sums_avx2(const float *restrict x, size_t rows, size_t cols, float *restrict out) {
    COLUMN_SUMS_BODY
}
#endif

void pk_column_sums(const float *x, size_t rows, size_t cols, float *out) {
#if PK_X86
    if (pk_has_avx2_fma()) { column_sums_avx2(x, rows, cols, out); return; }
#endif
    column_sums_base(x, rows, cols, out);
}

#define AXPY_BODY for (size_t i = 0; i < n; i++) y[i] += alpha * x[i];
static void axpy_base(float *restrict y, const float *restrict x, float alpha, size_t n) { AXPY_BODY }
#if PK_X86
PK_AVX2 static void axpy_avx2(float *restrict y, const float *restrict x, float alpha, size_t n) { AXPY_BODY }
#endif

void pk_axpy(float *y, const float *x, float alpha, size_t n) {
#if PK_X86
    if (pk_has_avx2_fma()) { axpy_avx2(y, x, alpha, n); return; }
#endif
    axpy_base(y, x, alpha, n);
}
