#ifndef CK_BF16_INTERNAL_H
#define CK_BF16_INTERNAL_H
/* Shared by the bf16 GEMM driver (bf16_gemm.c) and its AVX-512 half (bf16_avx512.c). Not part of
 * the module's interface. */

#include "CKernelsBF16.h"

/* Columns of a tile's output rows: out[r·64 + c]. */
#define CK_BF16_OUT_COLUMNS 64

/* Rows a[0..<m, 0..<k] (row stride lda floats) rounded to bf16 into dst[m, kp] (kp = k rounded up
 * to 2, padding 0): the same bits as `ck_bf16_from_float`, with `vcvtne2ps2bf16`. */
void ck_bf16_convert_rows_avx512(int m, int k, const float *a, ptrdiff_t lda, uint16_t *dst, int kp);

/* c[rows, nr] (row stride ldc) = act(out + bias), or with `accumulate` c += out + bias, where out
 * is a tile's output (rows of CK_BF16_OUT_COLUMNS floats) and bias (may be NULL) is at the tile's
 * first column. */
void ck_bf16_epilogue_avx512(int rows, int nr, const float *out, const float *bias, float *c, ptrdiff_t ldc,
                             int activation, int accumulate);

#endif
