#ifndef CKERNELS_BF16_H
#define CKERNELS_BF16_H
/* bfloat16 linear layers (`--precision bf16`): weights rounded to bf16 once at packing, activations
 * rounded to bf16 on every call, products of bf16 pairs summed in fp32 (AVX-512 `vdpbf16ps`), bias
 * and activation in fp32. bf16 keeps fp32's exponent range with an 8-bit significand (relative
 * rounding error ≤ 2^-8), so a product of two bf16 values is exact in fp32 (barring underflow). */

#include <stddef.h>
#include <stdint.h>
#include "CKernels.h"

/* Output channels per bf16 panel (one zmm of 16 fp32 lanes, each lane a bf16 pair of consecutive k). */
#define CK_BF16_PANEL 16
/* Rows per bf16 row tile (6 rows × 4 panels: 24 zmm accumulators). */
#define CK_BF16_MR 6

/* uint16 elements of bf16-packed weights [n, k]: ceil(n/16) panels × ceil(k/2) pairs × 16 lanes × 2. */
size_t ck_bf16_packed_count(int n, int k);

/* Rounds x to bfloat16 bits as `vcvtneps2bf16` does (the same bits): round to nearest even; a NaN
 * stays a NaN, made quiet; ±inf stays; zeros and fp32 denormals become a zero of the same sign. */
uint16_t ck_bf16_from_float(float x);

/* Packs w (element (j, kk) of output j and input kk at w[j·stride_n + kk·stride_k]: PyTorch's
 * [out, in] has (k, 1), ONNX MatMul's B [in, out] has (1, n)) rounded to bf16: panel p, pair g,
 * lane j, element e (at packed[((p·ceil(k/2) + g)·16 + j)·2 + e]) holds bf16(w[p·16 + j, 2g + e]),
 * zero beyond n and k. `packed` holds ck_bf16_packed_count(n, k) elements, 64-byte aligned. */
void ck_bf16_pack_weights_strided(const float *w, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k,
                                  uint16_t *packed);

/* The micro-kernel: out[r·64 + c] (r < rows ≤ CK_BF16_MR, c < 16·vectors, 1 ≤ vectors ≤ 4) =
 * Σ_g a_r,g · w_c,g in fp32 over `pairs` bf16 pairs, where the activations are row-major: the pair
 * (2g, 2g + 1) of row r is a[r·lda + 2g], a[r·lda + 2g + 1] (lda even, in uint16 elements), and
 * `panels` is the first of `vectors` consecutive 16-channel panels, `panel_stride` elements apart
 * (pairs·32 in a packed weight), lane c % 16 of panel c / 16. Each pair is added as `vdpbf16ps`
 * does: the odd (high) product first, then the even (low) one, each rounded to fp32 (the native and
 * emulated tiles also flush denormal inputs and results to zero, as the instruction does; the
 * portable one does not). Pure: no bias, no activation; columns beyond 16·vectors are not written. */
typedef void (*ck_bf16_tile_fn)(int rows, int vectors, int pairs, const uint16_t *a, ptrdiff_t lda,
                                const uint16_t *panels, ptrdiff_t panel_stride, float *out);

/* c[m, n] = act(bf16(a)[m, k] · bf16(W)ᵀ + bias) (fp32 products and sums, bias and activation in
 * fp32), or with `accumulate` c += bf16(a) · bf16(W)ᵀ + bias (identity activation). `bias` may be
 * NULL. path: CK_PATH_SCALAR or CK_PATH_AVX2 → the portable tile and epilogue; CK_PATH_AVX512 →
 * the `vdpbf16ps` tile when this CPU has AVX512_BF16 (else the portable tile) and the AVX-512F
 * epilogue. Threaded over `pool` (may be NULL) when 2·m·n·k ≥ 4e5. */
void ck_bf16_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                    const uint16_t *packed, const float *bias, float *c, ptrdiff_t ldc, int activation,
                    int accumulate);

/* Test hook: `ck_bf16_linear` with the given tile (native, portable or emulated; NULL: the portable
 * one) and the epilogue of `path`. */
void ck_bf16_linear_with_tile(ck_bf16_tile_fn tile, ck_pool *pool, int path, int m, int n, int k, const float *a,
                              ptrdiff_t lda, const uint16_t *packed, const float *bias, float *c, ptrdiff_t ldc,
                              int activation, int accumulate);

/* The tiles, for tests: the portable one (plain C, the same sums in the same order), and the native
 * `vdpbf16ps` one (NULL where this CPU lacks AVX512_BF16, or off x86-64). */
ck_bf16_tile_fn ck_bf16_portable_tile(void);
ck_bf16_tile_fn ck_bf16_native_tile(void);

/* Whether this CPU runs the `vdpbf16ps` tile (AVX-512 F, BW, VL and BF16). */
int ck_bf16_available(void);

#endif
