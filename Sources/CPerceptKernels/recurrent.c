#include "percept_recurrent_kernels.h"
#include "vector8.h"
#include <stdint.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define PR_X86 1
#include <immintrin.h>
#define PR_AVX2 PK_TARGET
#else
#define PR_X86 0
#endif

/* e^x by Cody–Waite range reduction (x = n·ln2 + r) and Cephes's degree-5 polynomial for e^r,
   written without branches or library calls so that loops over it vectorise. */
static inline __attribute__((always_inline)) float pr_exp(float x) {
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

static inline __attribute__((always_inline)) float pr_sigmoid(float x) { return 1.0f / (1.0f + pr_exp(-x)); }

/* tanh(x) = 1 − 2 / (e^{2x} + 1): exact limits ±1 and no cancellation for large |x|. */
static inline __attribute__((always_inline)) float pr_tanh(float x) { return 1.0f - 2.0f / (pr_exp(2.0f * x) + 1.0f); }

/* Each kernel is a scalar function over one row from column j0 on (the baseline, and the tail of
   the AVX2 version), and an AVX2 version that does 8 columns at a time with intrinsics (the
   compiler does not vectorise these loops reliably on its own). */

static inline __attribute__((always_inline)) void lstm_forward_row(
    float *a, const float *cp, const float *hp, float m, float *c, float *h, size_t units, size_t j0) {
    for (size_t j = j0; j < units; j++) {
        float i = pr_sigmoid(a[j]), f = pr_sigmoid(a[units + j]);
        float g = pr_tanh(a[2 * units + j]), o = pr_sigmoid(a[3 * units + j]);
        a[j] = i; a[units + j] = f; a[2 * units + j] = g; a[3 * units + j] = o;
        float cn = f * cp[j] + i * g;
        float hn = o * pr_tanh(cn);
        c[j] = m * cn + (1.0f - m) * cp[j];
        h[j] = m * hn + (1.0f - m) * hp[j];
    }
}

static inline __attribute__((always_inline)) void lstm_backward_row(
    const float *a, const float *cp, const float *ct, const float *dh, const float *dc, float m,
    float *da, float *dcp, float *dhp, size_t units, size_t j0) {
    for (size_t j = j0; j < units; j++) {
        float i = a[j], f = a[units + j], g = a[2 * units + j], o = a[3 * units + j];
        float tc = pr_tanh(ct[j]);
        float dcj = dc[j] + dh[j] * o * (1.0f - tc * tc);
        da[j] = m * dcj * g * i * (1.0f - i);
        da[units + j] = m * dcj * cp[j] * f * (1.0f - f);
        da[2 * units + j] = m * dcj * i * (1.0f - g * g);
        da[3 * units + j] = m * dh[j] * tc * o * (1.0f - o);
        dcp[j] = m * dcj * f + (1.0f - m) * dc[j];
        dhp[j] = (1.0f - m) * dh[j];
    }
}

static inline __attribute__((always_inline)) void gru_forward_row(
    float *a, const float *ah, const float *hp, float m, float *h, size_t units, size_t j0) {
    for (size_t j = j0; j < units; j++) {
        float z = pr_sigmoid(a[j] + ah[j]);
        float r = pr_sigmoid(a[units + j] + ah[units + j]);
        float n = pr_tanh(a[2 * units + j] + r * ah[2 * units + j]);
        a[j] = z; a[units + j] = r; a[2 * units + j] = n;
        float hn = z * hp[j] + (1.0f - z) * n;
        h[j] = m * hn + (1.0f - m) * hp[j];
    }
}

static inline __attribute__((always_inline)) void gru_backward_row(
    const float *a, const float *ah, const float *hp, const float *dh, float m, float *dx, float *dr,
    float *dhp, size_t units, size_t j0) {
    for (size_t j = j0; j < units; j++) {
        float z = a[j], r = a[units + j], n = a[2 * units + j];
        float d = m * dh[j];
        float dz = d * (hp[j] - n) * z * (1.0f - z);
        float dn = d * (1.0f - z) * (1.0f - n * n);
        float drr = dn * ah[2 * units + j] * r * (1.0f - r);
        dx[j] = dz; dx[units + j] = drr; dx[2 * units + j] = dn;
        dr[j] = dz; dr[units + j] = drr; dr[2 * units + j] = dn * r;
        dhp[j] = d * z + (1.0f - m) * dh[j];
    }
}

static inline __attribute__((always_inline)) void simple_forward_row(
    float *a, const float *hp, float m, float *h, size_t units, size_t j0) {
    for (size_t j = j0; j < units; j++) {
        float hn = pr_tanh(a[j]);
        a[j] = hn;
        h[j] = m * hn + (1.0f - m) * hp[j];
    }
}

static inline __attribute__((always_inline)) void simple_backward_row(
    const float *a, const float *dh, float m, float *da, float *dhp, size_t units, size_t j0) {
    for (size_t j = j0; j < units; j++) {
        da[j] = m * dh[j] * (1.0f - a[j] * a[j]);
        dhp[j] = (1.0f - m) * dh[j];
    }
}

#if PR_X86
PR_AVX2 static inline __m256 v_exp(__m256 x) {
    x = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(88.0f)), _mm256_set1_ps(-87.0f));
    __m256 n = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}
PR_AVX2 static inline __m256 v_sigmoid(__m256 x) {
    __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_div_ps(one, _mm256_add_ps(one, v_exp(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}
PR_AVX2 static inline __m256 v_tanh(__m256 x) {
    __m256 one = _mm256_set1_ps(1.0f);
    __m256 e = v_exp(_mm256_add_ps(x, x));
    return _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
}
#define LD(p) _mm256_loadu_ps(p)
#define ST(p, v) _mm256_storeu_ps(p, v)
#define MUL _mm256_mul_ps
#define ADD _mm256_add_ps
#define SUB _mm256_sub_ps
#define FMA _mm256_fmadd_ps
#endif


#if PR_X86
PR_AVX2 static void lstm_forward_avx2_row(float *a, const float *cp, const float *hp, float m, float *c, float *h,
                                          size_t units, size_t end) {
    __m256 vm = _mm256_set1_ps(m), vk = _mm256_set1_ps(1.0f - m);
    for (size_t j = 0; j < end; j += 8) {
        __m256 i = v_sigmoid(LD(a + j)), f = v_sigmoid(LD(a + units + j));
        __m256 g = v_tanh(LD(a + 2 * units + j)), o = v_sigmoid(LD(a + 3 * units + j));
        ST(a + j, i); ST(a + units + j, f); ST(a + 2 * units + j, g); ST(a + 3 * units + j, o);
        __m256 pc = LD(cp + j);
        __m256 cn = FMA(f, pc, MUL(i, g));
        __m256 hn = MUL(o, v_tanh(cn));
        ST(c + j, FMA(vm, cn, MUL(vk, pc)));
        ST(h + j, FMA(vm, hn, MUL(vk, LD(hp + j))));
    }
}

PR_AVX2 static void lstm_backward_avx2_row(const float *a, const float *cp, const float *ct, const float *dh,
                                           const float *dc, float m, float *da, float *dcp, float *dhp,
                                           size_t units, size_t end) {
    __m256 vm = _mm256_set1_ps(m), vk = _mm256_set1_ps(1.0f - m), one = _mm256_set1_ps(1.0f);
    for (size_t j = 0; j < end; j += 8) {
        __m256 i = LD(a + j), f = LD(a + units + j), g = LD(a + 2 * units + j), o = LD(a + 3 * units + j);
        __m256 tc = v_tanh(LD(ct + j));
        __m256 dhj = LD(dh + j), dcr = LD(dc + j);
        __m256 dcj = FMA(MUL(dhj, o), SUB(one, MUL(tc, tc)), dcr);
        __m256 mdc = MUL(vm, dcj);
        ST(da + j, MUL(MUL(mdc, g), MUL(i, SUB(one, i))));
        ST(da + units + j, MUL(MUL(mdc, LD(cp + j)), MUL(f, SUB(one, f))));
        ST(da + 2 * units + j, MUL(MUL(mdc, i), SUB(one, MUL(g, g))));
        ST(da + 3 * units + j, MUL(MUL(MUL(vm, dhj), tc), MUL(o, SUB(one, o))));
        ST(dcp + j, FMA(mdc, f, MUL(vk, dcr)));
        ST(dhp + j, MUL(vk, dhj));
    }
}

PR_AVX2 static void gru_forward_avx2_row(float *a, const float *ah, const float *hp, float m, float *h,
                                         size_t units, size_t end) {
    __m256 vm = _mm256_set1_ps(m), vk = _mm256_set1_ps(1.0f - m), one = _mm256_set1_ps(1.0f);
    for (size_t j = 0; j < end; j += 8) {
        __m256 z = v_sigmoid(ADD(LD(a + j), LD(ah + j)));
        __m256 r = v_sigmoid(ADD(LD(a + units + j), LD(ah + units + j)));
        __m256 n = v_tanh(FMA(r, LD(ah + 2 * units + j), LD(a + 2 * units + j)));
        ST(a + j, z); ST(a + units + j, r); ST(a + 2 * units + j, n);
        __m256 ph = LD(hp + j);
        __m256 hn = FMA(z, ph, MUL(SUB(one, z), n));
        ST(h + j, FMA(vm, hn, MUL(vk, ph)));
    }
}

PR_AVX2 static void gru_backward_avx2_row(const float *a, const float *ah, const float *hp, const float *dh, float m,
                                          float *dx, float *dr, float *dhp, size_t units, size_t end) {
    __m256 vm = _mm256_set1_ps(m), vk = _mm256_set1_ps(1.0f - m), one = _mm256_set1_ps(1.0f);
    for (size_t j = 0; j < end; j += 8) {
        __m256 z = LD(a + j), r = LD(a + units + j), n = LD(a + 2 * units + j);
        __m256 dhj = LD(dh + j);
        __m256 d = MUL(vm, dhj);
        __m256 dz = MUL(MUL(d, SUB(LD(hp + j), n)), MUL(z, SUB(one, z)));
        __m256 dn = MUL(MUL(d, SUB(one, z)), SUB(one, MUL(n, n)));
        __m256 drr = MUL(MUL(dn, LD(ah + 2 * units + j)), MUL(r, SUB(one, r)));
        ST(dx + j, dz); ST(dx + units + j, drr); ST(dx + 2 * units + j, dn);
        ST(dr + j, dz); ST(dr + units + j, drr); ST(dr + 2 * units + j, MUL(dn, r));
        ST(dhp + j, FMA(d, z, MUL(vk, dhj)));
    }
}

PR_AVX2 static void simple_forward_avx2_row(float *a, const float *hp, float m, float *h, size_t units, size_t end) {
    __m256 vm = _mm256_set1_ps(m), vk = _mm256_set1_ps(1.0f - m);
    for (size_t j = 0; j < end; j += 8) {
        __m256 hn = v_tanh(LD(a + j));
        ST(a + j, hn);
        ST(h + j, FMA(vm, hn, MUL(vk, LD(hp + j))));
    }
}

PR_AVX2 static void simple_backward_avx2_row(const float *a, const float *dh, float m, float *da, float *dhp,
                                             size_t units, size_t end) {
    (void)units;
    __m256 vm = _mm256_set1_ps(m), vk = _mm256_set1_ps(1.0f - m), one = _mm256_set1_ps(1.0f);
    for (size_t j = 0; j < end; j += 8) {
        __m256 y = LD(a + j), dhj = LD(dh + j);
        ST(da + j, MUL(MUL(vm, dhj), SUB(one, MUL(y, y))));
        ST(dhp + j, MUL(vk, dhj));
    }
}

PR_AVX2 static void sigmoid_avx2(const float *x, float *y, size_t end) {
    for (size_t i = 0; i < end; i += 8) ST(y + i, v_sigmoid(LD(x + i)));
}

PR_AVX2 static void tanh_avx2(const float *x, float *y, size_t end) {
    for (size_t i = 0; i < end; i += 8) ST(y + i, v_tanh(LD(x + i)));
}
#endif

void pk_lstm_forward_step(float *gates, const float *c_prev, const float *h_prev, const float *mask,
                          float *c_out, float *h_out, size_t batch, size_t units) {
    for (size_t b = 0; b < batch; b++) {
        const float m = mask ? mask[b] : 1.0f;
        float *a = gates + b * 4 * units;
        const float *cp = c_prev + b * units, *hp = h_prev + b * units;
        float *c = c_out + b * units, *h = h_out + b * units;
        size_t j0 = 0;
#if PR_X86
        if (pk_has_avx2_fma()) {
            j0 = units & ~(size_t)7;
            lstm_forward_avx2_row(a, cp, hp, m, c, h, units, j0);
        }
#endif
        lstm_forward_row(a, cp, hp, m, c, h, units, j0);
    }
}

void pk_lstm_backward_step(const float *gates, const float *c_prev, const float *c_t, const float *dh,
                           const float *dc, const float *mask, float *d_gates, float *dc_prev, float *dh_prev,
                           size_t batch, size_t units) {
    for (size_t b = 0; b < batch; b++) {
        const float m = mask ? mask[b] : 1.0f;
        size_t row = b * units, wide = b * 4 * units, j0 = 0;
#if PR_X86
        if (pk_has_avx2_fma()) {
            j0 = units & ~(size_t)7;
            lstm_backward_avx2_row(gates + wide, c_prev + row, c_t + row, dh + row, dc + row, m, d_gates + wide,
                                   dc_prev + row, dh_prev + row, units, j0);
        }
#endif
        lstm_backward_row(gates + wide, c_prev + row, c_t + row, dh + row, dc + row, m, d_gates + wide,
                          dc_prev + row, dh_prev + row, units, j0);
    }
}

void pk_gru_forward_step(float *gates, const float *recurrent, const float *h_prev, const float *mask,
                         float *h_out, size_t batch, size_t units) {
    for (size_t b = 0; b < batch; b++) {
        const float m = mask ? mask[b] : 1.0f;
        size_t row = b * units, wide = b * 3 * units, j0 = 0;
#if PR_X86
        if (pk_has_avx2_fma()) {
            j0 = units & ~(size_t)7;
            gru_forward_avx2_row(gates + wide, recurrent + wide, h_prev + row, m, h_out + row, units, j0);
        }
#endif
        gru_forward_row(gates + wide, recurrent + wide, h_prev + row, m, h_out + row, units, j0);
    }
}

void pk_gru_backward_step(const float *gates, const float *recurrent, const float *h_prev, const float *dh,
                          const float *mask, float *d_input, float *d_recurrent, float *dh_prev,
                          size_t batch, size_t units) {
    for (size_t b = 0; b < batch; b++) {
        const float m = mask ? mask[b] : 1.0f;
        size_t row = b * units, wide = b * 3 * units, j0 = 0;
#if PR_X86
        if (pk_has_avx2_fma()) {
            j0 = units & ~(size_t)7;
            gru_backward_avx2_row(gates + wide, recurrent + wide, h_prev + row, dh + row, m, d_input + wide,
                                  d_recurrent + wide, dh_prev + row, units, j0);
        }
#endif
        gru_backward_row(gates + wide, recurrent + wide, h_prev + row, dh + row, m, d_input + wide,
                         d_recurrent + wide, dh_prev + row, units, j0);
    }
}

void pk_simple_rnn_forward_step(float *gates, const float *h_prev, const float *mask, float *h_out,
                                size_t batch, size_t units) {
    for (size_t b = 0; b < batch; b++) {
        const float m = mask ? mask[b] : 1.0f;
        size_t row = b * units, j0 = 0;
#if PR_X86
        if (pk_has_avx2_fma()) {
            j0 = units & ~(size_t)7;
            simple_forward_avx2_row(gates + row, h_prev + row, m, h_out + row, units, j0);
        }
#endif
        simple_forward_row(gates + row, h_prev + row, m, h_out + row, units, j0);
    }
}

void pk_simple_rnn_backward_step(const float *gates, const float *dh, const float *mask, float *d_gates,
                                 float *dh_prev, size_t batch, size_t units) {
    for (size_t b = 0; b < batch; b++) {
        const float m = mask ? mask[b] : 1.0f;
        size_t row = b * units, j0 = 0;
#if PR_X86
        if (pk_has_avx2_fma()) {
            j0 = units & ~(size_t)7;
            simple_backward_avx2_row(gates + row, dh + row, m, d_gates + row, dh_prev + row, units, j0);
        }
#endif
        simple_backward_row(gates + row, dh + row, m, d_gates + row, dh_prev + row, units, j0);
    }
}

void pk_sigmoid(const float *x, float *y, size_t n) {
    size_t i0 = 0;
#if PR_X86
    if (pk_has_avx2_fma()) { i0 = n & ~(size_t)7; sigmoid_avx2(x, y, i0); }
#endif
    for (size_t i = i0; i < n; i++) y[i] = pr_sigmoid(x[i]);
}

void pk_tanh(const float *x, float *y, size_t n) {
    size_t i0 = 0;
#if PR_X86
    if (pk_has_avx2_fma()) { i0 = n & ~(size_t)7; tanh_avx2(x, y, i0); }
#endif
    for (size_t i = i0; i < n; i++) y[i] = pr_tanh(x[i]);
}

