#ifndef CK_Q8_INTERNAL_H
#define CK_Q8_INTERNAL_H
/* Shared by the int8 GEMM driver, the weight packing and the activation quantisation. Not part of
 * the module's interface. */

#include "CKernelsInt8.h"
#include <stdint.h>

/* Rows per int8 row tile (both layouts; CK_Q8_VNNI_MR is the same 6). */
#define CK_Q8_MR 6

/* k rounded up to a whole number of int16 pairs. */
static inline int ck_q8_round_up2(int k) { return (k + 1) & ~1; }
/* k rounded up to a whole number of byte quads. */
static inline int ck_q8_round_up4(int k) { return (k + 3) & ~3; }

/* Bytes of one 16-channel panel of k inputs in `layout`. */
size_t ck_q8_panel_bytes(int layout, int k);
/* The int32 row sums of quads weights [n, k] (after the panels). */
int32_t *ck_q8_row_sums(int n, int k, const int8_t *packed);

/* Packs q [n, k] (element (j, kk) at q[j·stride_n + kk·stride_k]) as the channels [n0, n0 + n) of a
 * layer of `total` outputs in `layout` (n0 a multiple of 16), their row sums too for quads. */
void ck_q8_pack_rows(int layout, const int8_t *q, int n0, int n, int total, int k, ptrdiff_t stride_n,
                     ptrdiff_t stride_k, int8_t *packed);

/* Quantises a[m, k] for `ck_q8_linear` (`quantization`: CK_Q8_PER_ROW or CK_Q8_PER_TENSOR) into
 * the micro-kernel's layout, row tile t (rows [t·6, t·6 + rows)) at t·6 rows of the output:
 * - CK_Q8_PAIRS: `q` is int16 q − z, the pair (2g, 2g + 1) of row r at (g·rows + r)·2 of the tile
 *   (kp = round_up2(k) values a row);
 * - CK_Q8_QUADS: `q` is u8 q row-major, kq = round_up4(k) bytes a row (padding 0), and `zero[m]`
 *   each row's zero point z.
 * `scale[m]` receives each row's scale (one value repeated for CK_Q8_PER_TENSOR). Runs on `pool`
 * when `threaded`. */
void ck_q8_quantize_tiles(ck_pool *pool, int threaded, int avx2, int quantization, int layout, int m, int k,
                          const float *a, ptrdiff_t lda, void *q, float *scale, int32_t *zero);

/* The AVX-512 epilogue of the quads tiles (int8_vnni.c): for the tile's rows [r0, r0 + rows) and
 * channels [n0, n0 + nr) (nr ≤ 64), c = act((sa·sw) · float(out − z·Σw) + bias), or c += … with
 * `accumulate`: the order of operations of the portable and AVX2 epilogues. */
void ck_q8_vnni_epilogue_avx512(const int32_t *out, int rows, int nr, const int32_t *zero, const int32_t *sums,
                                const float *ascale, const float *scales, const float *bias, float *c, ptrdiff_t ldc,
                                int activation, int accumulate);
/* Whether the AVX-512 epilogue runs here (AVX-512F). */
int ck_q8_vnni_epilogue_available(void);

#endif
