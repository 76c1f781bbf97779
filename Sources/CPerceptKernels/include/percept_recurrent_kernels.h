#ifndef PERCEPT_RECURRENT_KERNELS_H
#define PERCEPT_RECURRENT_KERNELS_H

#include <stddef.h>

/* The elementwise part of one time step of the recurrent cells, for a batch of `batch` rows of
   `units` hidden units. The matrix products (input projection, recurrent projection) are done by
   the caller through BLAS; these kernels apply the gate nonlinearities, the state update and the
   mask. `mask` holds one value per row (1 = real step, 0 = padded step: the state is carried
   unchanged and no gradient reaches the gates); NULL means every step is real.
   Gate layouts per row: LSTM [i | f | g | o], GRU [z | r | n], each block `units` wide. */

/* LSTM. `gates` [batch, 4·units] holds the pre-activations on entry and the activations on exit. */
void pk_lstm_forward_step(float *gates, const float *c_prev, const float *h_prev, const float *mask,
                          float *c_out, float *h_out, size_t batch, size_t units);

/* LSTM backward. dh, dc: gradients on h_t and c_t. Writes d_gates [batch, 4·units] (pre-activation
   gradients), dc_prev, and dh_prev = the part of the gradient on h_{t−1} that bypasses the
   recurrent product (the caller adds d_gates · Uᵀ). */
void pk_lstm_backward_step(const float *gates, const float *c_prev, const float *c_t, const float *dh,
                           const float *dc, const float *mask, float *d_gates, float *dc_prev, float *dh_prev,
                           size_t batch, size_t units);

/* GRU (reset gate applied after the recurrent product). `gates` [batch, 3·units] holds x·W + b on
   entry and the activations z, r, n on exit; `recurrent` [batch, 3·units] holds h_{t−1}·U + b_rec. */
void pk_gru_forward_step(float *gates, const float *recurrent, const float *h_prev, const float *mask,
                         float *h_out, size_t batch, size_t units);

/* GRU backward: writes d_input [batch, 3·units] (gradient of x·W + b), d_recurrent [batch,
   3·units] (gradient of h·U + b_rec) and dh_prev (the part not through U). */
void pk_gru_backward_step(const float *gates, const float *recurrent, const float *h_prev, const float *dh,
                          const float *mask, float *d_input, float *d_recurrent, float *dh_prev,
                          size_t batch, size_t units);

/* Simple RNN with tanh. `gates` [batch, units] holds the pre-activations on entry, tanh on exit. */
void pk_simple_rnn_forward_step(float *gates, const float *h_prev, const float *mask, float *h_out,
                                size_t batch, size_t units);

void pk_simple_rnn_backward_step(const float *gates, const float *dh, const float *mask, float *d_gates,
                                 float *dh_prev, size_t batch, size_t units);

/* y = σ(x) and y = tanh(x) elementwise, with a polynomial exp (relative error about 1e-7). */
void pk_sigmoid(const float *x, float *y, size_t n);
void pk_tanh(const float *x, float *y, size_t n);


#endif
