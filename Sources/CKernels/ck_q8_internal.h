#ifndef CK_Q8_INTERNAL_H
#define CK_Q8_INTERNAL_H
/* Shared by the int8 GEMM driver and the activation quantisation. Not part of the module's interface. */

#include "CKernelsInt8.h"

/* Rows per int8 row tile. */
#define CK_Q8_MR 6

/* k rounded up to a whole number of int16 pairs. */
static inline int ck_q8_round_up2(int k) { return (k + 1) & ~1; }

/* Quantises a[m, k] for `ck_q8_linear` (`quantization`: CK_Q8_PER_ROW or CK_Q8_PER_TENSOR) into
 * the micro-kernel's layout: the row tile t (rows [t·6, t·6 + rows)) starts at q + t·6·kp and holds
 * the pair (2g, 2g + 1) of its row r at (g·rows + r)·2. `scale[m]` receives each row's scale (one
 * value repeated for CK_Q8_PER_TENSOR). Runs on `pool` when `threaded`. */
void ck_q8_quantize_tiles(ck_pool *pool, int threaded, int avx2, int quantization, int m, int k,
                          const float *a, ptrdiff_t lda, int16_t *q, float *scale);

#endif
