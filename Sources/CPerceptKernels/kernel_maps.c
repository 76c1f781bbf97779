#include "percept_kernel_maps.h"
#include "vector8.h"
#include <math.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define KM_X86 1
#define KM_AVX2 PK_TARGET
#else
#define KM_X86 0
#endif

static void rbf_base(float *dots, size_t rows, size_t cols, size_t ld, const float *rn, const float *cn,
                     float gamma) {
    for (size_t r = 0; r < rows; r++) {
        float *row = dots + r * ld;
        for (size_t c = 0; c < cols; c++) {
            float d = rn[r] + cn[c] - 2.0f * row[c];
            row[c] = expf(-gamma * (d > 0.0f ? d : 0.0f));
        }
    }
}

#if KM_X86
/* exp(x) for x <= 0: x = n ln2 + f with |f| <= ln2/2, exp(f) by a degree-6 polynomial (relative
   error below 2e-7 on that interval), 2^n built in the exponent bits. Inputs under -87 give 0. */
KM_AVX2 static inline __m256 exp_nonpositive_avx2(__m256 x) {
    const __m256 lower = _mm256_set1_ps(-87.0f);
    __m256 underflow = _mm256_cmp_ps(x, lower, _CMP_LT_OQ);
    x = _mm256_max_ps(x, lower);
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 f = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    f = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), f);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(f, f), _mm256_add_ps(f, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    __m256 result = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    return _mm256_andnot_ps(underflow, result);
}

KM_AVX2 static void rbf_avx2(float *dots, size_t rows, size_t cols, size_t ld, const float *rn,
                             const float *cn, float gamma) {
    const __m256 minus_gamma = _mm256_set1_ps(-gamma), two = _mm256_set1_ps(2.0f), zero = _mm256_setzero_ps();
    for (size_t r = 0; r < rows; r++) {
        float *row = dots + r * ld;
        const __m256 norm_r = _mm256_set1_ps(rn[r]);
        size_t c = 0;
        for (; c + 8 <= cols; c += 8) {
            __m256 d = _mm256_fnmadd_ps(two, _mm256_loadu_ps(row + c), _mm256_add_ps(norm_r, _mm256_loadu_ps(cn + c)));
            d = _mm256_max_ps(d, zero);
            _mm256_storeu_ps(row + c, exp_nonpositive_avx2(_mm256_mul_ps(minus_gamma, d)));
        }
        for (; c < cols; c++) {
            float d = rn[r] + cn[c] - 2.0f * row[c];
            row[c] = expf(-gamma * (d > 0.0f ? d : 0.0f));
        }
    }
}
#endif

void pk_rbf_from_dots(float *dots, size_t rows, size_t cols, size_t ld, const float *row_norms,
                      const float *col_norms, float gamma) {
#if KM_X86
    if (pk_has_avx2_fma()) { rbf_avx2(dots, rows, cols, ld, row_norms, col_norms, gamma); return; }
#endif
    rbf_base(dots, rows, cols, ld, row_norms, col_norms, gamma);
}

void pk_polynomial_from_dots(float *dots, size_t rows, size_t cols, size_t ld, float gamma, float coef0,
                             int degree) {
    for (size_t r = 0; r < rows; r++) {
        float *row = dots + r * ld;
        for (size_t c = 0; c < cols; c++) {
            float base = gamma * row[c] + coef0, value = base;
            for (int k = 1; k < degree; k++) value *= base;
            row[c] = value;
        }
    }
}

void pk_sigmoid_from_dots(float *dots, size_t rows, size_t cols, size_t ld, float gamma, float coef0) {
    for (size_t r = 0; r < rows; r++) {
        float *row = dots + r * ld;
        for (size_t c = 0; c < cols; c++) row[c] = tanhf(gamma * row[c] + coef0);
    }
}

void pk_row_squared_norms(const float *x, size_t rows, size_t cols, float *out) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        double sum = 0;
        for (size_t c = 0; c < cols; c++) sum += (double)row[c] * row[c];
        out[r] = (float)sum;
    }
}
