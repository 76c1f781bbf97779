#ifndef PERCEPT_CONVOLUTION_KERNELS_H
#define PERCEPT_CONVOLUTION_KERNELS_H

#include "percept_image_kernels.h"

/* Direct 2-D convolution (cross-correlation) of NHWC images, without a patch matrix: each window is
   read where it lies in the image (or in a zero-padded copy of it) and multiplied by the kernel in
   registers, eight output channels per vector. Meant for layers with few channels, where a patch
   matrix costs more to build than its product and the products are too thin for BLAS.

   The kernel [kh][kw][c][cout] is used in packed forms (see the pack functions): rows of cout
   padded with zeros to a multiple of 8 (coutP). Every function works on the images [first, end),
   like the image kernels, with `scratch` of pk_conv_direct_scratch_floats floats of its own. */

/* 1 when the direct kernels can run here (x86-64 with AVX2 and FMA, for which they are compiled,
   or any other architecture, where the vectors map to its own), 0 when callers must use patches. */
int pk_conv_direct_available(void);

/* The output channels rounded up to a multiple of 8. */
int pk_conv_direct_padded_outputs(int cout);

/* The floats of scratch each function needs for one image. */
size_t pk_conv_direct_scratch_floats(pk_window g, int cout);

/* packed [kh·kw·c][coutP] and packed_bias [coutP] (zeros where bias is NULL) from the kernel
   [kh·kw·c][cout] and bias [cout]. */
void pk_conv_direct_pack(const float *kernel, const float *bias, float *packed, float *packed_bias, pk_window g,
                         int cout);

/* transposed [kh][cout][spanP] from the kernel, where span = kw·c and spanP rounds it up to a
   multiple of 8: row (ky, o) holds kernel[ky][kx][ci][o] at kx·c + ci, zeros after span. */
void pk_conv_direct_pack_transposed(const float *kernel, float *transposed, pk_window g, int cout);

/* The floats of the transposed kernel: kh · cout · spanP. */
size_t pk_conv_direct_transposed_floats(pk_window g, int cout);

/* y [n][oh][ow][cout] = the windows of x [n][h][w][c] times packed, plus packed_bias; then
   max(y, 0) where rectify is not 0 (a convolution with ReLU). */
void pk_conv_direct_forward(const float *x, const float *packed, const float *packed_bias, int rectify, float *y,
                            float *scratch, size_t first, size_t end, pk_window g, int cout);

/* The gradients of pk_conv_direct_forward given dy [n][oh][ow][cout], the gradient of its output;
   with y (its rectified output) given, dy counts only where y is positive. Each of these is skipped
   where NULL:
     dkernel [kh·kw·c][coutP] += the windows of x times dy, summed over the images;
     dbias [coutP] += dy summed over the images' positions;
     dx [n][h][w][c] (overwritten) = every dy times the transposed kernel, added to the window it
     came from. */
void pk_conv_direct_backward(const float *x, const float *dy, const float *y, const float *transposed, float *dkernel,
                             float *dbias, float *dx, float *scratch, size_t first, size_t end, pk_window g, int cout);

/* kernel [rows][cout] = packed [rows][coutP] without its padding. */
void pk_conv_direct_unpack(const float *packed, float *kernel, size_t rows, int cout);

#endif
