#include "percept_recurrent_kernels.h"
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define PR_X86 1
#define PR_AVX2 __attribute__((target("avx2,fma")))
static int pr_has_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}
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

/* Each kernel body is written once as a macro and instantiated for the baseline and for AVX2. */

#define LSTM_FORWARD_BODY                                                                  \
    for (size_t b = 0; b < batch; b++) {                                                   \
        const float m = mask ? mask[b] : 1.0f;                                             \
        float *a = gates + b * 4 * units;                                                  \
        const float *cp = c_prev + b * units, *hp = h_prev + b * units;                    \
        float *c = c_out + b * units, *h = h_out + b * units;                              \
        for (size_t j = 0; j < units; j++) {                                               \
            float i = pr_sigmoid(a[j]), f = pr_sigmoid(a[units + j]);                      \
            float g = pr_tanh(a[2 * units + j]), o = pr_sigmoid(a[3 * units + j]);         \
            a[j] = i; a[units + j] = f; a[2 * units + j] = g; a[3 * units + j] = o;        \
            float cn = f * cp[j] + i * g;                                                  \
            float hn = o * pr_tanh(cn);                                                    \
            c[j] = m * cn + (1.0f - m) * cp[j];                                            \
            h[j] = m * hn + (1.0f - m) * hp[j];                                            \
        }                                                                                  \
    }

#define LSTM_FORWARD_SIGNATURE(name)                                                       \
    void name(float *restrict gates, const float *restrict c_prev, const float *restrict h_prev, \
              const float *restrict mask, float *restrict c_out, float *restrict h_out,    \
              size_t batch, size_t units)

#define LSTM_BACKWARD_BODY                                                                 \
    for (size_t b = 0; b < batch; b++) {                                                   \
        const float m = mask ? mask[b] : 1.0f;                                             \
        const float *a = gates + b * 4 * units;                                            \
        float *da = d_gates + b * 4 * units;                                               \
        const float *cp = c_prev + b * units, *ct = c_t + b * units;                       \
        const float *dhr = dh + b * units, *dcr = dc + b * units;                          \
        float *dcp = dc_prev + b * units, *dhp = dh_prev + b * units;                      \
        for (size_t j = 0; j < units; j++) {                                               \
            float i = a[j], f = a[units + j], g = a[2 * units + j], o = a[3 * units + j];  \
            float tc = pr_tanh(ct[j]);                                                     \
            float dcj = dcr[j] + dhr[j] * o * (1.0f - tc * tc);                            \
            da[j] = m * dcj * g * i * (1.0f - i);                                          \
            da[units + j] = m * dcj * cp[j] * f * (1.0f - f);                              \
            da[2 * units + j] = m * dcj * i * (1.0f - g * g);                              \
            da[3 * units + j] = m * dhr[j] * tc * o * (1.0f - o);                          \
            dcp[j] = m * dcj * f + (1.0f - m) * dcr[j];                                    \
            dhp[j] = (1.0f - m) * dhr[j];                                                  \
        }                                                                                  \
    }

#define LSTM_BACKWARD_SIGNATURE(name)                                                      \
    void name(const float *restrict gates, const float *restrict c_prev, const float *restrict c_t, \
              const float *restrict dh, const float *restrict dc, const float *restrict mask, \
              float *restrict d_gates, float *restrict dc_prev, float *restrict dh_prev,   \
              size_t batch, size_t units)

#define GRU_FORWARD_BODY                                                                   \
    for (size_t b = 0; b < batch; b++) {                                                   \
        const float m = mask ? mask[b] : 1.0f;                                             \
        float *a = gates + b * 3 * units;                                                  \
        const float *ah = recurrent + b * 3 * units, *hp = h_prev + b * units;             \
        float *h = h_out + b * units;                                                      \
        for (size_t j = 0; j < units; j++) {                                               \
            float z = pr_sigmoid(a[j] + ah[j]);                                            \
            float r = pr_sigmoid(a[units + j] + ah[units + j]);                            \
            float n = pr_tanh(a[2 * units + j] + r * ah[2 * units + j]);                   \
            a[j] = z; a[units + j] = r; a[2 * units + j] = n;                              \
            float hn = z * hp[j] + (1.0f - z) * n;                                         \
            h[j] = m * hn + (1.0f - m) * hp[j];                                            \
        }                                                                                  \
    }

#define GRU_FORWARD_SIGNATURE(name)                                                        \
    void name(float *restrict gates, const float *restrict recurrent, const float *restrict h_prev, \
              const float *restrict mask, float *restrict h_out, size_t batch, size_t units)

#define GRU_BACKWARD_BODY                                                                  \
    for (size_t b = 0; b < batch; b++) {                                                   \
        const float m = mask ? mask[b] : 1.0f;                                             \
        const float *a = gates + b * 3 * units, *ah = recurrent + b * 3 * units;           \
        const float *hp = h_prev + b * units, *dhr = dh + b * units;                       \
        float *dx = d_input + b * 3 * units, *dr = d_recurrent + b * 3 * units;            \
        float *dhp = dh_prev + b * units;                                                  \
        for (size_t j = 0; j < units; j++) {                                               \
            float z = a[j], r = a[units + j], n = a[2 * units + j];                        \
            float d = m * dhr[j];                                                          \
            float dz = d * (hp[j] - n) * z * (1.0f - z);                                   \
            float dn = d * (1.0f - z) * (1.0f - n * n);                                    \
            float drr = dn * ah[2 * units + j] * r * (1.0f - r);                           \
            dx[j] = dz; dx[units + j] = drr; dx[2 * units + j] = dn;                       \
            dr[j] = dz; dr[units + j] = drr; dr[2 * units + j] = dn * r;                   \
            dhp[j] = d * z + (1.0f - m) * dhr[j];                                          \
        }                                                                                  \
    }

#define GRU_BACKWARD_SIGNATURE(name)                                                       \
    void name(const float *restrict gates, const float *restrict recurrent, const float *restrict h_prev, \
              const float *restrict dh, const float *restrict mask, float *restrict d_input, \
              float *restrict d_recurrent, float *restrict dh_prev, size_t batch, size_t units)

#define SIMPLE_FORWARD_BODY                                                                \
    for (size_t b = 0; b < batch; b++) {                                                   \
        const float m = mask ? mask[b] : 1.0f;                                             \
        float *a = gates + b * units;                                                      \
        const float *hp = h_prev + b * units;                                              \
        float *h = h_out + b * units;                                                      \
        for (size_t j = 0; j < units; j++) {                                               \
            float hn = pr_tanh(a[j]);                                                      \
            a[j] = hn;                                                                     \
            h[j] = m * hn + (1.0f - m) * hp[j];                                            \
        }                                                                                  \
    }

#define SIMPLE_FORWARD_SIGNATURE(name)                                                     \
    void name(float *restrict gates, const float *restrict h_prev, const float *restrict mask, \
              float *restrict h_out, size_t batch, size_t units)

#define SIMPLE_BACKWARD_BODY                                                               \
    for (size_t b = 0; b < batch; b++) {                                                   \
        const float m = mask ? mask[b] : 1.0f;                                             \
        const float *a = gates + b * units, *dhr = dh + b * units;                         \
        float *da = d_gates + b * units, *dhp = dh_prev + b * units;                       \
        for (size_t j = 0; j < units; j++) {                                               \
            da[j] = m * dhr[j] * (1.0f - a[j] * a[j]);                                     \
            dhp[j] = (1.0f - m) * dhr[j];                                                  \
        }                                                                                  \
    }

#define SIMPLE_BACKWARD_SIGNATURE(name)                                                    \
    void name(const float *restrict gates, const float *restrict dh, const float *restrict mask, \
              float *restrict d_gates, float *restrict dh_prev, size_t batch, size_t units)

#define SIGMOID_BODY for (size_t i = 0; i < n; i++) y[i] = pr_sigmoid(x[i]);
#define TANH_BODY for (size_t i = 0; i < n; i++) y[i] = pr_tanh(x[i]);
#define UNARY_SIGNATURE(name) void name(const float *restrict x, float *restrict y, size_t n)

#if PR_X86
#define INSTANTIATE(stem, SIGNATURE, BODY)                                                 \
    static SIGNATURE(stem##_base) { BODY }                                                 \
    PR_AVX2 static SIGNATURE(stem##_avx2) { BODY }
#define DISPATCH(stem, ...)                                                                \
    if (pr_has_avx2()) stem##_avx2(__VA_ARGS__); else stem##_base(__VA_ARGS__);
#else
#define INSTANTIATE(stem, SIGNATURE, BODY) static SIGNATURE(stem##_base) { BODY }
#define DISPATCH(stem, ...) stem##_base(__VA_ARGS__);
#endif

INSTANTIATE(lstm_forward, LSTM_FORWARD_SIGNATURE, LSTM_FORWARD_BODY)
INSTANTIATE(lstm_backward, LSTM_BACKWARD_SIGNATURE, LSTM_BACKWARD_BODY)
INSTANTIATE(gru_forward, GRU_FORWARD_SIGNATURE, GRU_FORWARD_BODY)
INSTANTIATE(gru_backward, GRU_BACKWARD_SIGNATURE, GRU_BACKWARD_BODY)
INSTANTIATE(simple_forward, SIMPLE_FORWARD_SIGNATURE, SIMPLE_FORWARD_BODY)
INSTANTIATE(simple_backward, SIMPLE_BACKWARD_SIGNATURE, SIMPLE_BACKWARD_BODY)
INSTANTIATE(sigmoid, UNARY_SIGNATURE, SIGMOID_BODY)
INSTANTIATE(tanh, UNARY_SIGNATURE, TANH_BODY)

void pk_lstm_forward_step(float *gates, const float *c_prev, const float *h_prev, const float *mask,
                          float *c_out, float *h_out, size_t batch, size_t units) {
    DISPATCH(lstm_forward, gates, c_prev, h_prev, mask, c_out, h_out, batch, units)
}

void pk_lstm_backward_step(const float *gates, const float *c_prev, const float *c_t, const float *dh,
                           const float *dc, const float *mask, float *d_gates, float *dc_prev, float *dh_prev,
                           size_t batch, size_t units) {
    DISPATCH(lstm_backward, gates, c_prev, c_t, dh, dc, mask, d_gates, dc_prev, dh_prev, batch, units)
}

void pk_gru_forward_step(float *gates, const float *recurrent, const float *h_prev, const float *mask,
                         float *h_out, size_t batch, size_t units) {
    DISPATCH(gru_forward, gates, recurrent, h_prev, mask, h_out, batch, units)
}

void pk_gru_backward_step(const float *gates, const float *recurrent, const float *h_prev, const float *dh,
                          const float *mask, float *d_input, float *d_recurrent, float *dh_prev,
                          size_t batch, size_t units) {
    DISPATCH(gru_backward, gates, recurrent, h_prev, dh, mask, d_input, d_recurrent, dh_prev, batch, units)
}

void pk_simple_rnn_forward_step(float *gates, const float *h_prev, const float *mask, float *h_out,
                                size_t batch, size_t units) {
    DISPATCH(simple_forward, gates, h_prev, mask, h_out, batch, units)
}

void pk_simple_rnn_backward_step(const float *gates, const float *dh, const float *mask, float *d_gates,
                                 float *dh_prev, size_t batch, size_t units) {
    DISPATCH(simple_backward, gates, dh, mask, d_gates, dh_prev, batch, units)
}

void pk_sigmoid(const float *x, float *y, size_t n) { DISPATCH(sigmoid, x, y, n) }
void pk_tanh(const float *x, float *y, size_t n) { DISPATCH(tanh, x, y, n) }
