#include "percept_convolution_kernels.h"
#include "vector8.h"
#include <string.h>

int pk_conv_direct_available(void) { return pk_has_avx2_fma(); }

/* The register blocks below are written once with their sizes as parameters and inlined into one
   function per size, where the loops over the block unroll and the accumulators stay in registers.
   A block of V vectors (of filters, or of a window row) takes up to widest(V) windows or kernel
   rows: its accumulators, the V vectors and one broadcast scalar fit in 16 AVX registers. */
static int widest(int V) { return V == 1 ? 12 : V == 2 ? 6 : V == 3 ? 4 : 2; }

typedef struct {
    size_t row;   /* floats from one row of the (padded) image to the next */
    size_t step;  /* floats from one window to the next along a row: sw · c */
    size_t span;  /* floats of one window row: kw · c */
    size_t spanP; /* span rounded up to a multiple of 8 */
    size_t cout, coutP;
    int kh, oh, ow, sh;
} shape;

int pk_conv_direct_padded_outputs(int cout) { return (cout + 7) / 8 * 8; }

static shape make_shape(pk_window g, int cout) {
    shape s;
    s.row = (size_t)g.w * g.c;
    s.step = (size_t)g.sw * g.c;
    s.span = (size_t)g.kw * g.c;
    s.spanP = (s.span + 7) / 8 * 8;
    s.cout = (size_t)cout;
    s.coutP = (size_t)pk_conv_direct_padded_outputs(cout);
    s.kh = g.kh, s.oh = g.oh, s.ow = g.ow, s.sh = g.sh;
    return s;
}

/* The extent the windows cover, padding included. */
static int covered_height(pk_window g) { return (g.oh - 1) * g.sh + g.kh; }
static int covered_width(pk_window g) { return (g.ow - 1) * g.sw + g.kw; }
static int needs_padding(pk_window g) {
    return g.pt > 0 || g.pl > 0 || covered_height(g) > g.h || covered_width(g) > g.w;
}
static size_t padded_floats(pk_window g) { return (size_t)covered_height(g) * covered_width(g) * g.c; }

size_t pk_conv_direct_scratch_floats(pk_window g, int cout) {
    return padded_floats(g) + 8 + (size_t)g.oh * g.ow * pk_conv_direct_padded_outputs(cout);
}

size_t pk_conv_direct_transposed_floats(pk_window g, int cout) {
    return (size_t)g.kh * cout * make_shape(g, cout).spanP;
}

/* Where the windows of one image are read: the image itself when they all lie inside it, else a
   zero-padded copy in scratch. *row receives the floats between rows. */
static const float *window_source(const float *x, float *scratch, pk_window g, size_t *row) {
    if (!needs_padding(g)) {
        *row = (size_t)g.w * g.c;
        return x;
    }
    const int hp = covered_height(g), wp = covered_width(g);
    const size_t c = (size_t)g.c;
    memset(scratch, 0, padded_floats(g) * sizeof(float));
    const int columns = g.w < wp - g.pl ? g.w : wp - g.pl;
    for (int y = 0; y < g.h && y + g.pt < hp; y++)
        memcpy(scratch + ((size_t)(y + g.pt) * wp + g.pl) * c, x + (size_t)y * g.w * c,
               (size_t)columns * c * sizeof(float));
    *row = (size_t)wp * c;
    return scratch;
}

void pk_conv_direct_pack(const float *kernel, const float *bias, float *packed, float *packed_bias, pk_window g,
                         int cout) {
    const size_t rows = (size_t)g.kh * g.kw * g.c, coutP = (size_t)pk_conv_direct_padded_outputs(cout);
    memset(packed, 0, rows * coutP * sizeof(float));
    memset(packed_bias, 0, coutP * sizeof(float));
    for (size_t r = 0; r < rows; r++) memcpy(packed + r * coutP, kernel + r * cout, (size_t)cout * sizeof(float));
    if (bias) memcpy(packed_bias, bias, (size_t)cout * sizeof(float));
}

void pk_conv_direct_pack_transposed(const float *kernel, float *transposed, pk_window g, int cout) {
    const shape s = make_shape(g, cout);
    memset(transposed, 0, pk_conv_direct_transposed_floats(g, cout) * sizeof(float));
    for (int ky = 0; ky < g.kh; ky++)
        for (int o = 0; o < cout; o++)
            for (size_t t = 0; t < s.span; t++)
                transposed[((size_t)ky * cout + o) * s.spanP + t] = kernel[((size_t)ky * s.span + t) * cout + o];
}

void pk_conv_direct_unpack(const float *packed, float *kernel, size_t rows, int cout) {
    const size_t coutP = (size_t)pk_conv_direct_padded_outputs(cout);
    for (size_t r = 0; r < rows; r++) memcpy(kernel + r * cout, packed + r * coutP, (size_t)cout * sizeof(float));
}

/* Stores the first `lanes` floats of v (all 8 when lanes is 8). */
PK_BLOCK void store_lanes(float *p, v8 v, int lanes) {
    if (lanes == 8) store8(p, v);
    else for (int i = 0; i < lanes; i++) p[i] = v[i];
}

/* X windows along a row (a: the first one's top-left value) times CB vectors of output channels
   (w: packed kernel at the first of them), plus the bias, then max(·, 0) if `rectify`; the last
   vector stores `lanes` floats.
   (With a single block of channels, whole vectors can be stored in increasing order, each window's
   extra lanes overwritten by the next window's.) */
PK_BLOCK void forward_block(const float *a, const float *w, const float *bias, float *out, const shape *s, int lanes,
                            int rectify, const int X, const int CB) {
    v8 acc[12];
    for (int c = 0; c < CB; c++)
        for (int j = 0; j < X; j++) acc[j * CB + c] = load8(bias + 8 * c);
    for (int ky = 0; ky < s->kh; ky++) {
        const float *ar = a + ky * s->row;
        const float *wr = w + ky * s->span * s->coutP;
        for (size_t t = 0; t < s->span; t++, wr += s->coutP) {
            v8 wv[4];
            for (int c = 0; c < CB; c++) wv[c] = load8(wr + 8 * c);
            for (int j = 0; j < X; j++) {
                const float v = ar[j * s->step + t];
                for (int c = 0; c < CB; c++) acc[j * CB + c] += v * wv[c];
            }
        }
    }
    if (rectify)
        for (int i = 0; i < X * CB; i++) acc[i] = select8(acc[i] > 0, acc[i], (v8){0});
    for (int j = 0; j < X; j++)
        for (int c = 0; c < CB; c++)
            store_lanes(out + j * s->cout + 8 * c, acc[j * CB + c], c < CB - 1 ? 8 : lanes);
}

/* T consecutive kernel rows of one window row (a: the value they multiply in the first window) times
   CB vectors of output channels of dy (stride coutP), summed over every window of the image and
   added to dw. */
PK_BLOCK void kernel_gradient_block(const float *a, const float *dy, float *dw, const shape *s, const int T,
                                    const int CB) {
    v8 acc[12];
    for (int j = 0; j < T; j++)
        for (int c = 0; c < CB; c++) acc[j * CB + c] = load8(dw + j * s->coutP + 8 * c);
    for (int oy = 0; oy < s->oh; oy++) {
        const float *ar = a + (size_t)oy * s->sh * s->row;
        const float *gr = dy + (size_t)oy * s->ow * s->coutP;
        for (int ox = 0; ox < s->ow; ox++, ar += s->step, gr += s->coutP) {
            v8 gv[4];
            for (int c = 0; c < CB; c++) gv[c] = load8(gr + 8 * c);
            for (int j = 0; j < T; j++) {
                const float v = ar[j];
                for (int c = 0; c < CB; c++) acc[j * CB + c] += v * gv[c];
            }
        }
    }
    for (int j = 0; j < T; j++)
        for (int c = 0; c < CB; c++) store8(dw + j * s->coutP + 8 * c, acc[j * CB + c]);
}

/* The gradients of X windows in consecutive output rows at one column (dy: the first one's, the
   others dy_stride floats apart) times VB vectors of one window row of the transposed kernel, added
   to where the windows lie (d: the first one's, the others d_stride floats apart, in later rows).
   Whole vectors are added: past a window's span the kernel is zero, so the extra lanes (at most 7)
   store back what they loaded. Every load comes before every store, and the stores go in increasing
   address order, so such a stale lane never overwrites a neighbour's new value. */
PK_BLOCK void input_gradient_block(const float *dy, size_t dy_stride, const float *wt, float *d, size_t d_stride,
                                   const shape *s, const int X, const int VB) {
    v8 acc[12];
    for (int i = 0; i < X * VB; i++) acc[i] = (v8){0};
    for (size_t o = 0; o < s->cout; o++) {
        v8 wv[4];
        for (int v = 0; v < VB; v++) wv[v] = load8(wt + o * s->spanP + 8 * v);
        for (int j = 0; j < X; j++) {
            const float b = dy[j * dy_stride + o];
            for (int v = 0; v < VB; v++) acc[j * VB + v] += b * wv[v];
        }
    }
    for (int j = 0; j < X; j++)
        for (int v = 0; v < VB; v++) acc[j * VB + v] += load8(d + j * d_stride + 8 * v);
    for (int j = 0; j < X; j++)
        for (int v = 0; v < VB; v++) store8(d + j * d_stride + 8 * v, acc[j * VB + v]);
}

/* One function per block size (first parameter: windows or kernel rows; second: vectors). */
#define PK_BLOCK_SIZES(M)                                                                          \
    M(1, 1) M(2, 1) M(3, 1) M(4, 1) M(5, 1) M(6, 1) M(7, 1) M(8, 1) M(9, 1) M(10, 1) M(11, 1)      \
    M(12, 1) M(1, 2) M(2, 2) M(3, 2) M(4, 2) M(5, 2) M(6, 2) M(1, 3) M(2, 3) M(3, 3) M(4, 3)        \
    M(1, 4) M(2, 4)

typedef void (*forward_fn)(const float *, const float *, const float *, float *, const shape *, int, int);
typedef void (*kernel_gradient_fn)(const float *, const float *, float *, const shape *);
typedef void (*input_gradient_fn)(const float *, size_t, const float *, float *, size_t, const shape *);

#define PK_FORWARD(X, CB)                                                                          \
    PK_TARGET static void forward_##X##_##CB(const float *a, const float *w, const float *b, float *o, \
                                             const shape *s, int lanes, int rectify) {             \
        forward_block(a, w, b, o, s, lanes, rectify, X, CB);                                       \
    }
#define PK_KERNEL_GRADIENT(T, CB)                                                                  \
    PK_TARGET static void kernel_gradient_##T##_##CB(const float *a, const float *g, float *dw,     \
                                                     const shape *s) {                             \
        kernel_gradient_block(a, g, dw, s, T, CB);                                                 \
    }
#define PK_INPUT_GRADIENT(X, VB)                                                                   \
    PK_TARGET static void input_gradient_##X##_##VB(const float *g, size_t gs, const float *wt,     \
                                                    float *d, size_t ds, const shape *s) {         \
        input_gradient_block(g, gs, wt, d, ds, s, X, VB);                                          \
    }
PK_BLOCK_SIZES(PK_FORWARD)
PK_BLOCK_SIZES(PK_KERNEL_GRADIENT)
PK_BLOCK_SIZES(PK_INPUT_GRADIENT)

#define PK_FORWARD_ENTRY(X, CB) [CB - 1][X - 1] = forward_##X##_##CB,
#define PK_KERNEL_GRADIENT_ENTRY(T, CB) [CB - 1][T - 1] = kernel_gradient_##T##_##CB,
#define PK_INPUT_GRADIENT_ENTRY(X, VB) [VB - 1][X - 1] = input_gradient_##X##_##VB,
static const forward_fn forward_blocks[4][12] = {PK_BLOCK_SIZES(PK_FORWARD_ENTRY)};
static const kernel_gradient_fn kernel_gradient_blocks[4][12] = {PK_BLOCK_SIZES(PK_KERNEL_GRADIENT_ENTRY)};
static const input_gradient_fn input_gradient_blocks[4][12] = {PK_BLOCK_SIZES(PK_INPUT_GRADIENT_ENTRY)};

static int smaller(int a, int b) { return a < b ? a : b; }

void pk_conv_direct_forward(const float *x, const float *packed, const float *packed_bias, int rectify, float *y,
                            float *scratch, size_t first, size_t end, pk_window g, int cout) {
    shape s = make_shape(g, cout);
    const size_t image = (size_t)g.h * g.w * g.c, outImage = (size_t)g.oh * g.ow * cout;
    const int vectors = (int)s.coutP / 8;
    for (size_t n = first; n < end; n++) {
        const float *source = window_source(x + n * image, scratch, g, &s.row);
        for (int oy = 0; oy < g.oh; oy++) {
            const float *a = source + (size_t)oy * g.sh * s.row;
            float *out = y + n * outImage + (size_t)oy * g.ow * cout;
            for (int c0 = 0; c0 < vectors; c0 += 4) {
                const int CB = smaller(4, vectors - c0);
                const int lanes = c0 + CB == vectors ? cout - 8 * (vectors - 1) : 8;
                for (int ox = 0; ox < g.ow; ox += widest(CB)) {
                    const int X = smaller(widest(CB), g.ow - ox);
                    /* With one block of channels, whole vectors where their extra lanes fall on
                       windows stored later in this image. */
                    const size_t block_end = ((size_t)oy * g.ow + ox + X) * cout;
                    const int whole = vectors <= 4 && block_end + 8 - lanes <= outImage;
                    forward_blocks[CB - 1][X - 1](a + ox * s.step, packed + 8 * c0, packed_bias + 8 * c0,
                                                  out + (size_t)ox * cout + 8 * c0, &s, whole ? 8 : lanes, rectify);
                }
            }
        }
    }
}

/* sum [width] += the rows [count][width], width a multiple of 8; four rows at a time, so that the
   additions do not wait for each other. */
PK_TARGET static void add_rows(float *sum, const float *rows, size_t count, size_t width) {
    for (size_t i = 0; i < width; i += 8) {
        v8 a = (v8){0}, b = (v8){0}, c = (v8){0}, d = (v8){0};
        size_t r = 0;
        for (; r + 4 <= count; r += 4) {
            a += load8(rows + r * width + i), b += load8(rows + (r + 1) * width + i);
            c += load8(rows + (r + 2) * width + i), d += load8(rows + (r + 3) * width + i);
        }
        for (; r < count; r++) a += load8(rows + r * width + i);
        store8(sum + i, load8(sum + i) + ((a + b) + (c + d)));
    }
}

/* padded [positions][coutP] = dy [positions][cout], zero where the output y (if given) is not
   positive. The lanes past cout are not used by the kernels (they only reach padded lanes of the
   sums, which are dropped), so whole vectors are copied wherever they stay inside dy. */
PK_TARGET static void prepare_gradient(const float *dy, const float *y, float *padded, size_t positions, size_t cout,
                                       size_t coutP) {
    const size_t total = positions * cout;
    size_t p = 0;
    for (; p < positions && p * cout + coutP <= total; p++)
        for (size_t i = 0; i < coutP; i += 8) {
            v8 g = load8(dy + p * cout + i);
            if (y) g = select8(load8(y + p * cout + i) > 0, g, (v8){0});
            store8(padded + p * coutP + i, g);
        }
    for (; p < positions; p++)
        for (size_t i = 0; i < coutP; i++) {
            const size_t at = p * cout + i;
            padded[p * coutP + i] = i < cout && (!y || y[at] > 0) ? dy[at] : 0;
        }
}

void pk_conv_direct_backward(const float *x, const float *dy, const float *y, const float *transposed, float *dkernel,
                             float *dbias, float *dx, float *scratch, size_t first, size_t end, pk_window g, int cout) {
    shape s = make_shape(g, cout);
    const size_t image = (size_t)g.h * g.w * g.c, positions = (size_t)g.oh * g.ow, c = (size_t)g.c;
    const int hp = covered_height(g), wp = covered_width(g);
    float *prepared = scratch + padded_floats(g) + 8;
    for (size_t n = first; n < end; n++) {
        /* The image's output gradient, rows of coutP floats. */
        const float *gy = dy + n * positions * cout;
        if (y || s.coutP != s.cout) {
            prepare_gradient(gy, y ? y + n * positions * cout : NULL, prepared, positions, s.cout, s.coutP);
            gy = prepared;
        }
        if (dkernel) {
            const float *source = window_source(x + n * image, scratch, g, &s.row);
            const int vectors = (int)s.coutP / 8;
            for (int c0 = 0; c0 < vectors; c0 += 4) {
                const int CB = smaller(4, vectors - c0);
                for (int ky = 0; ky < g.kh; ky++)
                    for (int t0 = 0; t0 < (int)s.span; t0 += widest(CB)) {
                        const int T = smaller(widest(CB), (int)s.span - t0);
                        kernel_gradient_blocks[CB - 1][T - 1](source + ky * s.row + t0, gy + 8 * c0,
                                                              dkernel + ((size_t)ky * s.span + t0) * s.coutP + 8 * c0, &s);
                    }
            }
        }
        if (dbias) add_rows(dbias, gy, positions, s.coutP);
        if (!dx) continue;
        /* The input gradient goes to the windows' extent, zero-padded, with room for the extra
           lanes of the last window, then the image part of it to dx. */
        const size_t row = (size_t)wp * c;
        const int vectors = (int)s.spanP / 8;
        memset(scratch, 0, (padded_floats(g) + 8) * sizeof(float));
        for (int ky = 0; ky < g.kh; ky++) {
            const float *wt = transposed + (size_t)ky * cout * s.spanP;
            for (int v0 = 0; v0 < vectors; v0 += 4) {
                const int VB = smaller(4, vectors - v0);
                /* Down the rows first: consecutive blocks then write disjoint rows, and a block
                   reads what its neighbour in the row wrote long after it was stored. */
                for (int ox = 0; ox < g.ow; ox++)
                    for (int oy = 0; oy < g.oh; oy += widest(VB)) {
                        const int X = smaller(widest(VB), g.oh - oy);
                        float *d = scratch + ((size_t)oy * g.sh + ky) * row + ox * s.step + 8 * v0;
                        input_gradient_blocks[VB - 1][X - 1](gy + ((size_t)oy * g.ow + ox) * s.coutP,
                                                             (size_t)g.ow * s.coutP, wt + 8 * v0, d, g.sh * row, &s);
                    }
            }
        }
        float *out = dx + n * image;
        const int columns = smaller(g.w, wp - g.pl);
        if (columns < g.w || g.h > hp - g.pt) memset(out, 0, image * sizeof(float));
        for (int yy = 0; yy < g.h && yy + g.pt < hp; yy++)
            memcpy(out + (size_t)yy * g.w * c, scratch + ((size_t)(yy + g.pt) * wp + g.pl) * c,
                   (size_t)columns * c * sizeof(float));
    }
}
