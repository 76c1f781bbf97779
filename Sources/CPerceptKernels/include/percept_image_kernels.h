#ifndef PERCEPT_IMAGE_KERNELS_H
#define PERCEPT_IMAGE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Kernels of convolution and pooling on NHWC images (batch, height, width, channels; channels
   contiguous). Every function works on the images [first, end) of the batch, so that callers can
   split a batch between threads: the ranges never write to the same memory. */

/* The geometry of a sliding window over an image: input h × w × c, window kh × kw, strides sh, sw,
   padding top / left pt, pl (zeros, or ignored cells for pooling), output oh × ow. */
typedef struct {
    int h, w, c;
    int kh, kw;
    int sh, sw;
    int pt, pl;
    int oh, ow;
} pk_window;

/* Patch matrix: row (n·oh + oy)·ow + ox holds the window at (oy, ox) of image n, ordered
   (ky, kx, channel), kh·kw·c values; cells outside the image are zero. */
void pk_im2col_nhwc(const float *x, float *cols, size_t first, size_t end, pk_window g);

/* The adjoint of pk_im2col_nhwc: dx (zeroed here for the images in range) receives the sum of every
   patch cell that was copied from it. */
void pk_col2im_nhwc(const float *cols, float *dx, size_t first, size_t end, pk_window g);

/* Max pooling per channel; arg receives, for each output, the offset of the winner inside its image
   (cells outside the image never win). */
void pk_maxpool_nhwc(const float *x, float *y, int32_t *arg, size_t first, size_t end, pk_window g);

/* dx (zeroed here for the images in range) receives each output gradient at its winner. */
void pk_maxpool_backward_nhwc(const float *dy, const int32_t *arg, float *dx, size_t first, size_t end,
                              pk_window g);

/* Average pooling per channel over the cells of each window that lie inside the image. */
void pk_avgpool_nhwc(const float *x, float *y, size_t first, size_t end, pk_window g);

/* dx (zeroed here for the images in range) receives dy / (cells in the window) at every cell. */
void pk_avgpool_backward_nhwc(const float *dy, float *dx, size_t first, size_t end, pk_window g);


#endif
