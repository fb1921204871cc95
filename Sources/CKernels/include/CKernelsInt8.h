#ifndef CKERNELS_INT8_H
#define CKERNELS_INT8_H
/* int8 linear layers: weights quantised per output channel at load (symmetric 8-bit, |q| ≤ 127) or
 * packed as a file stores them (any int8, per-tensor or per-channel scale), activations quantised
 * on every call per row or per tensor (asymmetric u8 with a zero point z). Products are accumulated
 * exactly in int32, in one of two weight layouts (`enum ck_q8_layout`):
 * - pairs: AVX2 `vpmaddwd` on int16 pairs of the centred activations q − z (no `vpmaddubsw` int16
 *   saturation: |pair| ≤ 2·255·128; int32 holds any k below 65 000), so no zero-point correction;
 * - quads: AVX-512 VNNI `vpdpbusd`, u8 activations q × s8 weights in groups of 4 (int32 sums, no
 *   saturation), then Σ q·w − z·Σ w with the weights' row sums stored beside the panels: the same
 *   integers as the pairs layout.
 * Both are dequantised in the same epilogue with bias, activation or residual. */

#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

/* Output channels per int8 panel. */
#define CK_Q8_PANEL 16

/* How int8 weights are packed (each `ck_q8_*` function that takes packed weights takes their layout). */
enum ck_q8_layout {
    /* Panel p, pair g, lane j, byte b holds q[p·16 + j, 2g + b]: ceil(n / 16) panels of ceil(k / 2)
     * pairs of 16 × 2 bytes (AVX2 `vpmaddwd`, and the portable tile). */
    CK_Q8_PAIRS = 0,
    /* Panel p, quad g, lane j, byte b holds q[p·16 + j, 4g + b]: ceil(n / 16) panels of ceil(k / 4)
     * quads of 16 × 4 bytes, then the int32 row sums Σ_kk q[j, kk] of the ceil(n / 16)·16 channels
     * (AVX-512 VNNI `vpdpbusd`, and the portable tile). */
    CK_Q8_QUADS = 1,
};

/* The layout this CPU multiplies fastest: quads where AVX-512 VNNI runs, pairs elsewhere. */
int ck_q8_best_layout(void);
/* Whether this CPU runs the VNNI tile (AVX-512 F, BW and VNNI). */
int ck_q8_vnni_available(void);

/* Bytes of int8-packed weights [n, k] in `layout` (the row sums included), a multiple of 64. */
size_t ck_q8_packed_bytes(int layout, int n, int k);
/* Quantises w [n, k] (PyTorch's [out, in]) per output channel: scales[j] = max|w[j, :]| / 127 (1 when that is 0),
 * q = round(w / scale). Writes the packed panels in `layout` (zero beyond n and k) and `scales` [n]. */
void ck_q8_pack_weights(int layout, const float *w, int n, int k, int8_t *packed, float *scales);

/* `ck_q8_pack_weights` of w [n, k], the rows [n0, n0 + n) of a fused layer of `total` outputs (n0 a
 * multiple of 16; q | k | v packed side by side): their panels and row sums, into the whole layer's
 * packed buffer, `scales` [n] at the part's first channel. */
void ck_q8_pack_weights_part(int layout, const float *w, int n0, int n, int total, int k, int8_t *packed, float *scales);

/* Test hook: `ck_q8_pack_weights` on the portable row quantiser (`portable` != 0) or on the best
 * one of this CPU, the twin the AVX2 quantiser is tested against. */
void ck_q8_pack_weights_for_test(int portable, int layout, const float *w, int n, int k, int8_t *packed, float *scales);

/* Packs int8 weights that are already quantised (e.g. `MatMulInteger` / `ConvInteger` initializers,
 * zero point already subtracted) into the panels of `ck_q8_pack_weights`: element (j, kk) of output
 * channel j and input kk is q[j·stride_n + kk·stride_k], so PyTorch's [out, in] has (k, 1) and
 * ONNX MatMul's B [in, out] has (1, n). Every int8 value, −128 included, is exact. The dequantisation
 * scales are the caller's (`scales` [n] of `ck_q8_linear`; broadcast a per-tensor scale). */
void ck_q8_pack_quantized(int layout, const int8_t *q, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k, int8_t *packed);

/* Rows per VNNI row tile. */
#define CK_Q8_VNNI_MR 6
/* Output channels of a VNNI tile at most (4 panels). */
#define CK_Q8_VNNI_COLUMNS 64

/* The VNNI micro-kernel (`vpdpbusd`): out[r·64 + c] = Σ_kk u[r, kk]·q[c, kk] in int32 (r < rows ≤ 6,
 * c < 16·vectors, 1 ≤ vectors ≤ 4) over `quads` groups of 4 inputs. `a` holds the row tile's u8
 * activations row-major, quad g of row r at a[r·lda + 4g] (lda a multiple of 4 bytes); `panels` is
 * the first of `vectors` quads panels, `panel_stride` bytes apart. No zero-point correction, no
 * epilogue. */
typedef void (*ck_q8_vnni_tile_fn)(int rows, int vectors, int quads, const uint8_t *a, ptrdiff_t lda,
                                   const int8_t *panels, ptrdiff_t panel_stride, int32_t *out);
/* The tiles, for tests: the portable one (the naive twin), and the native one (NULL where this CPU
 * has no VNNI or the build is not x86-64). */
ck_q8_vnni_tile_fn ck_q8_vnni_portable_tile(void);
ck_q8_vnni_tile_fn ck_q8_vnni_native_tile(void);

/* How `ck_q8_linear` quantises its input a[m, k]. */
enum ck_q8_quantization {
    /* One scale and zero point per row (this package's `--precision int8`). */
    CK_Q8_PER_ROW = 0,
    /* One scale and zero point for all m rows of the call: onnxruntime's `DynamicQuantizeLinear`
     * (see `ck_q8_quantize_tensor`), so dynamic-int8 ONNX exports give its integers. */
    CK_Q8_PER_TENSOR = 1,
};

/* c[m, n] = act(dequant(quant(a[m, k]) · Qᵀ) + bias), or with `accumulate` c += … (identity
 * activation), the input quantised as `quantization` says, the weights packed in `layout`. `bias`
 * may be NULL. path: CK_PATH_SCALAR (portable, the exact same integers) or any AVX path: pairs on
 * AVX2 `vpmaddwd`; quads on VNNI `vpdpbusd` from CK_PATH_AVX512 on a CPU with VNNI, on the portable
 * tile otherwise. Every path and layout computes the same integers. */
void ck_q8_linear(ck_pool *pool, int path, int quantization, int layout, int m, int n, int k, const float *a,
                  ptrdiff_t lda, const int8_t *packed, const float *scales, const float *bias, float *c,
                  ptrdiff_t ldc, int activation, int accumulate);

/* Test hook: `ck_q8_linear` on quads weights with the given VNNI tile (native, portable or an
 * emulation) and the epilogue of `path`. */
void ck_q8_linear_with_tile(ck_q8_vnni_tile_fn tile, ck_pool *pool, int path, int quantization, int m, int n, int k,
                            const float *a, ptrdiff_t lda, const int8_t *packed, const float *scales,
                            const float *bias, float *c, ptrdiff_t ldc, int activation, int accumulate);

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
