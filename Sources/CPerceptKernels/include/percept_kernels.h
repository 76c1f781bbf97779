#ifndef PERCEPT_KERNELS_H
#define PERCEPT_KERNELS_H

#include <stddef.h>

/* Hot elementwise kernels. Each has a baseline version and an AVX2+FMA version chosen at run time,
   so the library builds for baseline x86-64 (and other architectures) without compiler flags. */

/* Adam step over n elements: m, v and p updated in place from gradient g scaled by grad_scale. */
void pk_adam_update(float *p, const float *g, float *m, float *v, size_t n, float beta1, float beta2,
                    float step_size, float inverse_root_correction, float epsilon, float grad_scale);

/* Sum of squares, accumulated in double across float blocks. */
double pk_sum_squares(const float *x, size_t n);

/* y = max(x, 0). */
void pk_relu(const float *x, float *y, size_t n);

/* out = g where y > 0, else 0. */
void pk_relu_backward(const float *g, const float *y, float *out, size_t n);

/* out[j] = sum over rows of x[row * cols + j]. */
void pk_column_sums(const float *x, size_t rows, size_t cols, float *out);

/* y += alpha * x. */
void pk_axpy(float *y, const float *x, float alpha, size_t n);

/* Asks the C allocator (glibc) to serve every block from the heap and never give freed memory back
   to the system, so that the large buffers every training step allocates are reused without fresh
   page faults. Returns 1 when applied, 0 where unsupported. */
int pk_keep_freed_memory(void);

#endif
