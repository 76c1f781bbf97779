#ifndef PERCEPT_KERNEL_MAPS_H
#define PERCEPT_KERNEL_MAPS_H

#include <stddef.h>

/* Turn a block of dot products x_r . y_c (rows x cols, leading dimension ld, in place) into kernel
   values. Baseline and AVX2+FMA versions, chosen at run time. */

/* k = exp(-gamma * (row_norms[r] + col_norms[c] - 2 * dot)), the distance clamped at 0. */
void pk_rbf_from_dots(float *dots, size_t rows, size_t cols, size_t ld, const float *row_norms,
                      const float *col_norms, float gamma);

/* k = (gamma * dot + coef0)^degree, degree >= 1. */
void pk_polynomial_from_dots(float *dots, size_t rows, size_t cols, size_t ld, float gamma, float coef0,
                             int degree);

/* k = tanh(gamma * dot + coef0). */
void pk_sigmoid_from_dots(float *dots, size_t rows, size_t cols, size_t ld, float gamma, float coef0);

/* Squared Euclidean norm of each of the rows of x (rows x cols, contiguous). */
void pk_row_squared_norms(const float *x, size_t rows, size_t cols, float *out);

#endif
