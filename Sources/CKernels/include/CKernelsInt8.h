#ifndef CKERNELS_INT8_H
#define CKERNELS_INT8_H
/* int8 linear layers: weights quantised per output channel at load (symmetric 8-bit, |q| ≤ 127) or
 * packed as a file stores them (any int8, per-tensor or per-channel scale), activations quantised
 * on every call per row or per tensor (asymmetric u8 with a zero point, kept centred as int16
 * q − z so no zero-point correction is needed). Products are accumulated exactly in int32 with
 * AVX2 `vpmaddwd` on int16 pairs (no `vpmaddubsw` int16 saturation: |pair| ≤ 2·255·128; int32 holds
 * any k below 65 000) and dequantised in the epilogue with bias, activation or residual. */

#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

/* Output channels per int8 panel. */
#define CK_Q8_PANEL 16

/* Bytes of int8-packed weights [n, k]: ceil(n / 16) panels of ceil(k / 2) pairs of 16 × 2 bytes. */
size_t ck_q8_packed_bytes(int n, int k);

/* Quantises w [n, k] (PyTorch's [out, in]) per output channel: scales[j] = max|w[j, :]| / 127 (1 when that is 0),
 * q = round(w / scale). Writes the packed panels (panel p, pair g, lane j, byte b holds
 * q[p·16 + j, 2g + b], zero beyond n and k) and `scales` [n]. */
void ck_q8_pack_weights(const float *w, int n, int k, int8_t *packed, float *scales);

/* Test hook: `ck_q8_pack_weights` on the portable row quantiser (`portable` != 0) or on the best
 * one of this CPU, the twin the AVX2 quantiser is tested against. */
void ck_q8_pack_weights_for_test(int portable, const float *w, int n, int k, int8_t *packed, float *scales);

/* Packs int8 weights that are already quantised (e.g. `MatMulInteger` / `ConvInteger` initializers,
 * zero point already subtracted) into the panels of `ck_q8_pack_weights`: element (j, kk) of output
 * channel j and input kk is q[j·stride_n + kk·stride_k], so PyTorch's [out, in] has (k, 1) and
 * ONNX MatMul's B [in, out] has (1, n). Every int8 value, −128 included, is exact. The dequantisation
 * scales are the caller's (`scales` [n] of `ck_q8_linear`; broadcast a per-tensor scale). */
void ck_q8_pack_quantized(const int8_t *q, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k, int8_t *packed);

/* How `ck_q8_linear` quantises its input a[m, k]. */
enum ck_q8_quantization {
    /* One scale and zero point per row (this package's `--precision int8`). */
    CK_Q8_PER_ROW = 0,
    /* One scale and zero point for all m rows of the call: onnxruntime's `DynamicQuantizeLinear`
     * (see `ck_q8_quantize_tensor`), so dynamic-int8 ONNX exports give its integers. */
    CK_Q8_PER_TENSOR = 1,
};

/* c[m, n] = act(dequant(quant(a[m, k]) · Qᵀ) + bias), or with `accumulate` c += … (identity
 * activation), the input quantised as `quantization` says. `bias` may be NULL. path: CK_PATH_SCALAR
 * (portable, the exact same integers) or any AVX path (AVX2 `vpmaddwd`). */
void ck_q8_linear(ck_pool *pool, int path, int quantization, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const int8_t *packed, const float *scales, const float *bias, float *c, ptrdiff_t ldc,
                  int activation, int accumulate);

/* The per-row activation quantisation of `ck_q8_linear` (for tests): with s = (max − min) / 255
 * over the row and 0, z = round(−min / s), q[m, kp] = clamp(round(x / s) + z, 0, 255) − z as
 * int16 (kp = k rounded up to 2, padding 0), scale[m] = s; x ≈ s · q. */
void ck_q8_quantize_rows(int m, int k, const float *a, ptrdiff_t lda, int16_t *q, float *scale);

/* The per-tensor quantisation of `ck_q8_linear` (for tests), the ONNX `DynamicQuantizeLinear`
 * (opset 11) as onnxruntime computes it: over all of a[m, k] and 0, s = (max − min) / 255 (1 when
 * max = min), z = round_half_even(clamp(−min / s, 0, 255)), q[m, kp] = round_half_even(clamp(x / s,
 * −z, 255 − z)) (= u8 − z) as int16, padding 0. */
void ck_q8_quantize_tensor(int m, int k, const float *a, ptrdiff_t lda, int16_t *q, float *scale, int *zero_point);

#endif
