#include "percept_image_kernels.h"
#include "vector8.h"
#include <float.h>
#include <string.h>

/* The range [lo, hi) of window offsets k (0 ≤ k < extent) whose input index base + k lies inside
   [0, size). */
static inline void valid_range(int base, int extent, int size, int *lo, int *hi) {
    *lo = base < 0 ? -base : 0;
    *hi = base + extent > size ? size - base : extent;
    if (*hi < *lo) *hi = *lo;
}

/* Copies count floats in blocks of 8 and 4 (fixed-size copies the compiler turns into vector
   moves) and a scalar tail: the runs here are short (kw·c floats, often 5 to 30). */
static inline void copy_floats(float *restrict d, const float *restrict s, size_t count) {
    for (; count >= 8; count -= 8, d += 8, s += 8) memcpy(d, s, 8 * sizeof(float));
    if (count >= 4) {
        memcpy(d, s, 4 * sizeof(float));
        d += 4, s += 4, count -= 4;
    }
    for (size_t i = 0; i < count; i++) d[i] = s[i];
}

/* Zeroes count floats the same way (the runs of padding are as short). */
static inline void zero_floats(float *restrict d, size_t count) {
    static const float zeros[8] = {0};
    for (; count >= 8; count -= 8, d += 8) memcpy(d, zeros, 8 * sizeof(float));
    for (size_t i = 0; i < count; i++) d[i] = 0;
}

void pk_im2col_nhwc(const float *x, float *cols, size_t first, size_t end, pk_window g) {
    const size_t c = (size_t)g.c, w = (size_t)g.w;
    const size_t image = (size_t)g.h * w * c;
    const size_t row = (size_t)g.kh * g.kw * c;
    const size_t span = (size_t)g.kw * c;
    for (size_t n = first; n < end; n++) {
        const float *src = x + n * image;
        float *out = cols + n * (size_t)g.oh * g.ow * row;
        for (int oy = 0; oy < g.oh; oy++) {
            const int iy0 = oy * g.sh - g.pt;
            for (int ox = 0; ox < g.ow; ox++, out += row) {
                const int ix0 = ox * g.sw - g.pl;
                int xlo, xhi;
                valid_range(ix0, g.kw, g.w, &xlo, &xhi);
                const int inside = xlo == 0 && xhi == g.kw;
                for (int ky = 0; ky < g.kh; ky++) {
                    const int iy = iy0 + ky;
                    float *dst = out + (size_t)ky * span;
                    if (iy < 0 || iy >= g.h) {
                        zero_floats(dst, span);
                        continue;
                    }
                    const float *line = src + (size_t)iy * w * c;
                    if (inside) {
                        copy_floats(dst, line + (size_t)ix0 * c, span);
                        continue;
                    }
                    if (xlo > 0) zero_floats(dst, (size_t)xlo * c);
                    if (xhi > xlo) copy_floats(dst + (size_t)xlo * c, line + (size_t)(ix0 + xlo) * c, (size_t)(xhi - xlo) * c);
                    if (xhi < g.kw) zero_floats(dst + (size_t)xhi * c, (size_t)(g.kw - xhi) * c);
                }
            }
        }
    }
}

void pk_col2im_nhwc(const float *cols, float *dx, size_t first, size_t end, pk_window g) {
    const size_t image = (size_t)g.h * g.w * g.c;
    const size_t row = (size_t)g.kh * g.kw * g.c;
    const size_t span = (size_t)g.kw * g.c;
    for (size_t n = first; n < end; n++) {
        float *restrict dst = dx + n * image;
        memset(dst, 0, image * sizeof(float));
        const float *restrict in = cols + n * (size_t)g.oh * g.ow * row;
        for (int oy = 0; oy < g.oh; oy++) {
            const int iy0 = oy * g.sh - g.pt;
            for (int ox = 0; ox < g.ow; ox++) {
                const int ix0 = ox * g.sw - g.pl;
                int xlo, xhi;
                valid_range(ix0, g.kw, g.w, &xlo, &xhi);
                for (int ky = 0; ky < g.kh; ky++) {
                    const int iy = iy0 + ky;
                    if (iy < 0 || iy >= g.h || xhi <= xlo) continue;
                    const float *restrict s = in + (size_t)ky * span + (size_t)xlo * g.c;
                    float *restrict d = dst + ((size_t)iy * g.w + ix0 + xlo) * g.c;
                    const size_t count = (size_t)(xhi - xlo) * g.c;
                    for (size_t i = 0; i < count; i++) d[i] += s[i];
                }
                in += row;
            }
        }
    }
}

/* The 2 × 2 window at input offset o00, eight channels per vector: the maxima to o and the offsets
   of the winners (the first maximum) to a. The last vector's lanes past c read and write the next
   pixel; the caller makes sure those stay inside the image and are written again later. */
PK_TARGET static void maxpool_2x2_vectors(const float *src, float *o, int32_t *a, int32_t o00, int w, int c) {
    const int32_t offsets[4] = {o00, o00 + c, o00 + w * c, o00 + w * c + c};
    const v8i lane = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int k = 0; k < c; k += 8) {
        v8 best = load8(src + offsets[0] + k);
        v8i at = lane + (offsets[0] + k);
        for (int i = 1; i < 4; i++) {
            const v8 value = load8(src + offsets[i] + k);
            const v8i better = value > best;
            best = select8(better, value, best);
            at = select8i(better, lane + (offsets[i] + k), at);
        }
        store8(o + k, best);
        store8i(a + k, at);
    }
}

void pk_maxpool_nhwc(const float *x, float *y, int32_t *arg, size_t first, size_t end, pk_window g) {
    const int vectors = pk_has_avx2_fma();
    const size_t image = (size_t)g.h * g.w * g.c;
    const size_t outImage = (size_t)g.oh * g.ow * g.c;
    const size_t cP = ((size_t)g.c + 7) / 8 * 8;
    for (size_t n = first; n < end; n++) {
        const float *src = x + n * image;
        float *out = y + n * outImage;
        int32_t *where = arg + n * outImage;
        for (int oy = 0; oy < g.oh; oy++) {
            int ylo, yhi;
            valid_range(oy * g.sh - g.pt, g.kh, g.h, &ylo, &yhi);
            for (int ox = 0; ox < g.ow; ox++) {
                int xlo, xhi;
                valid_range(ox * g.sw - g.pl, g.kw, g.w, &xlo, &xhi);
                const size_t position = ((size_t)oy * g.ow + ox) * g.c;
                float *restrict o = out + position;
                int32_t *restrict a = where + position;
                if (yhi <= ylo || xhi <= xlo) {
                    for (int ci = 0; ci < g.c; ci++) { o[ci] = 0; a[ci] = -1; }
                    continue;
                }
                if (ylo == 0 && xlo == 0 && yhi == 2 && xhi == 2 && g.kh == 2 && g.kw == 2) {
                    /* The common 2 × 2 window inside the image, in the same order as below. */
                    const int iy = oy * g.sh - g.pt, ix = ox * g.sw - g.pl;
                    const int32_t o00 = (int32_t)(((size_t)iy * g.w + ix) * g.c), o01 = o00 + g.c;
                    const int32_t o10 = o00 + g.w * g.c, o11 = o10 + g.c;
                    if (vectors && position + cP <= outImage && (size_t)o11 + cP <= image) {
                        maxpool_2x2_vectors(src, o, a, o00, g.w, g.c);
                        continue;
                    }
                    for (int ci = 0; ci < g.c; ci++) {
                        float best = src[o00 + ci];
                        int32_t at = o00 + ci;
                        if (src[o01 + ci] > best) best = src[o01 + ci], at = o01 + ci;
                        if (src[o10 + ci] > best) best = src[o10 + ci], at = o10 + ci;
                        if (src[o11 + ci] > best) best = src[o11 + ci], at = o11 + ci;
                        o[ci] = best;
                        a[ci] = at;
                    }
                    continue;
                }
                int first = 1;
                for (int ky = ylo; ky < yhi; ky++) {
                    const int iy = oy * g.sh - g.pt + ky;
                    for (int kx = xlo; kx < xhi; kx++) {
                        const int ix = ox * g.sw - g.pl + kx;
                        const int32_t offset = (int32_t)(((size_t)iy * g.w + ix) * g.c);
                        const float *restrict s = src + offset;
                        if (first) {
                            for (int ci = 0; ci < g.c; ci++) { o[ci] = s[ci]; a[ci] = offset + ci; }
                            first = 0;
                            continue;
                        }
                        /* The first maximum wins ties. */
                        for (int ci = 0; ci < g.c; ci++) {
                            const int better = s[ci] > o[ci];
                            o[ci] = better ? s[ci] : o[ci];
                            a[ci] = better ? offset + ci : a[ci];
                        }
                    }
                }
            }
        }
    }
}

void pk_maxpool_backward_nhwc(const float *dy, const int32_t *arg, float *dx, size_t first, size_t end,
                              pk_window g) {
    const size_t image = (size_t)g.h * g.w * g.c;
    const size_t outImage = (size_t)g.oh * g.ow * g.c;
    for (size_t n = first; n < end; n++) {
        float *d = dx + n * image;
        memset(d, 0, image * sizeof(float));
        const float *gy = dy + n * outImage;
        const int32_t *a = arg + n * outImage;
        for (size_t i = 0; i < outImage; i++)
            if (a[i] >= 0) d[a[i]] += gy[i];
    }
}

void pk_avgpool_nhwc(const float *x, float *y, size_t first, size_t end, pk_window g) {
    const size_t image = (size_t)g.h * g.w * g.c;
    const size_t outImage = (size_t)g.oh * g.ow * g.c;
    for (size_t n = first; n < end; n++) {
        const float *src = x + n * image;
        float *out = y + n * outImage;
        for (int oy = 0; oy < g.oh; oy++) {
            int ylo, yhi;
            valid_range(oy * g.sh - g.pt, g.kh, g.h, &ylo, &yhi);
            for (int ox = 0; ox < g.ow; ox++) {
                int xlo, xhi;
                valid_range(ox * g.sw - g.pl, g.kw, g.w, &xlo, &xhi);
                float *o = out + ((size_t)oy * g.ow + ox) * g.c;
                for (int ci = 0; ci < g.c; ci++) o[ci] = 0;
                for (int ky = ylo; ky < yhi; ky++) {
                    const int iy = oy * g.sh - g.pt + ky;
                    for (int kx = xlo; kx < xhi; kx++) {
                        const float *s = src + ((size_t)iy * g.w + ox * g.sw - g.pl + kx) * g.c;
                        for (int ci = 0; ci < g.c; ci++) o[ci] += s[ci];
                    }
                }
                const int cells = (yhi - ylo) * (xhi - xlo);
                const float scale = cells > 0 ? 1.0f / (float)cells : 0.0f;
                for (int ci = 0; ci < g.c; ci++) o[ci] *= scale;
            }
        }
    }
}

void pk_avgpool_backward_nhwc(const float *dy, float *dx, size_t first, size_t end, pk_window g) {
    const size_t image = (size_t)g.h * g.w * g.c;
    const size_t outImage = (size_t)g.oh * g.ow * g.c;
    for (size_t n = first; n < end; n++) {
        float *d = dx + n * image;
        memset(d, 0, image * sizeof(float));
        const float *gy = dy + n * outImage;
        for (int oy = 0; oy < g.oh; oy++) {
            int ylo, yhi;
            valid_range(oy * g.sh - g.pt, g.kh, g.h, &ylo, &yhi);
            for (int ox = 0; ox < g.ow; ox++) {
                int xlo, xhi;
                valid_range(ox * g.sw - g.pl, g.kw, g.w, &xlo, &xhi);
                const int cells = (yhi - ylo) * (xhi - xlo);
                if (cells == 0) continue;
                const float scale = 1.0f / (float)cells;
                const float *o = gy + ((size_t)oy * g.ow + ox) * g.c;
                for (int ky = ylo; ky < yhi; ky++) {
                    const int iy = oy * g.sh - g.pt + ky;
                    for (int kx = xlo; kx < xhi; kx++) {
                        float *s = d + ((size_t)iy * g.w + ox * g.sw - g.pl + kx) * g.c;
                        for (int ci = 0; ci < g.c; ci++) s[ci] += o[ci] * scale;
                    }
                }
            }
        }
    }
}
