#ifndef CKERNELS_INT8_H
#define CKERNELS_INT8_H
/* int8 linear layers: weights quantised per output channel at load (symmetric, 7-bit: |q| ≤ 63, so
 * that AVX2's `vpmaddubsw` never saturates its int16 pair sums: 2·255·63 = 32130 < 32767), and
 * activations quantised per row on every call (asymmetric u8 with a zero point). Products are
 * accumulated exactly in int32 and dequantised in the epilogue with bias, activation or residual. */

#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

/* Output channels per int8 panel. */
#define CK_Q8_PANEL 16

/* Bytes of int8-packed weights [n, k]: ceil(n / 16) panels of ceil(k / 4) groups of 16 × 4 bytes. */
size_t ck_q8_packed_bytes(int n, int k);

/* Quantises w [n, k] (PyTorch's [out, in]) per output channel: scales[j] = max|w[j, :]| / 63,
 * q = round(w / scale). Writes the packed panels (panel p, group g, lane j, byte b holds
 * q[p·16 + j, 4g + b], zero beyond n and k), `scales` [n] and `sums` [n] (Σ_k q[j, k]). */
void ck_q8_pack_weights(const float *w, int n, int k, int8_t *packed, float *scales, int32_t *sums);

/* c[m, n] = act(dequant(quant(a[m, k]) · Qᵀ) + bias), or with `accumulate` c += … (identity
 * activation). `bias` may be NULL. path: CK_PATH_SCALAR (portable, the exact same integers) or any
 * AVX path (AVX2 `vpmaddubsw`/`vpmaddwd`). */
void ck_q8_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const int8_t *packed, const float *scales, const int32_t *sums, const float *bias,
                  float *c, ptrdiff_t ldc, int activation, int accumulate);

/* The per-row activation quantisation `ck_q8_linear` applies (for tests): q[m, kp] with
 * kp = k rounded up to 4 (padding = 0), scale[m] and zero point zp[m], x ≈ scale · (q − zp). */
void ck_q8_quantize_rows(int m, int k, const float *a, ptrdiff_t lda, uint8_t *q, float *scale, int32_t *zp);

#endif
