/* The AVX-512 BF16 tile (`ck_bf16_tile_fn`): up to CK_BF16_MR = 6 rows × 64 channels of fp32 sums
 * in 24 zmm accumulators, one `vdpbf16ps` (16 lanes, each the two products of a bf16 pair added to
 * an fp32 sum) per row and 16 channels for each pair of inputs.
 *
 * Compiled twice: natively by bf16_avx512.c (<immintrin.h>, CK_BF16_TARGET = the target attribute)
 * and by the test-only CKernelsEmulation against a plain-C emulation (emulated_bf16.h) of exactly
 * what is used here: the types __m512, __m512i, __m512bh, C casts of __m512i to __m512bh (a
 * reinterpretation of the 64 bytes), _mm512_setzero_ps, _mm512_loadu_si512, _mm512_set1_epi32,
 * _mm512_dpbf16_ps and _mm512_storeu_ps. Include after those and after defining CK_BF16_TARGET
 * (the tile's attributes) and CK_BF16_INLINE (an always-inline helper). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Columns of the tile's output rows (`out[r·64 + c]`). */
#ifndef CK_BF16_OUT_COLUMNS
#define CK_BF16_OUT_COLUMNS 64
#endif

/* One pair step g: the V weight vectors of pair g, then per row the broadcast pair against each. */
#define CK_BF16_STEP(g)                                                                           \
    do {                                                                                          \
        __m512bh w_[4];                                                                           \
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)                            \
            w_[v] = (__m512bh)_mm512_loadu_si512((const void *)(panels + v * panel_stride + (ptrdiff_t)(g) * 32)); \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS; r++) {                       \
            int32_t pair_;                                                                        \
            memcpy(&pair_, a + r * lda + (ptrdiff_t)(g) * 2, 4);                                  \
            const __m512bh x_ = (__m512bh)_mm512_set1_epi32(pair_);                               \
            _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)                        \
                acc[r][v] = _mm512_dpbf16_ps(acc[r][v], w_[v], x_);                               \
        }                                                                                         \
    } while (0)

/* The tile for a constant row count and vector count, so the accumulators stay in registers; the
 * pair loop is unrolled by 4 (the broadcasts' and loads' offsets fold into the addressing). */
CK_BF16_INLINE void ck_bf16_tile_rv(const int ROWS, const int V, int pairs, const uint16_t *a, ptrdiff_t lda,
                                    const uint16_t *panels, ptrdiff_t panel_stride, float *out) {
    __m512 acc[CK_BF16_MR][4];
    _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS; r++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++) acc[r][v] = _mm512_setzero_ps();
    int g = 0;
    for (; g + 4 <= pairs; g += 4) {
        CK_BF16_STEP(g);
        CK_BF16_STEP(g + 1);
        CK_BF16_STEP(g + 2);
        CK_BF16_STEP(g + 3);
    }
    for (; g < pairs; g++) CK_BF16_STEP(g);
    _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS; r++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)
            _mm512_storeu_ps(out + r * CK_BF16_OUT_COLUMNS + v * 16, acc[r][v]);
}

#define CK_BF16_ROWS(R)                                                                           \
    case R:                                                                                       \
        switch (vectors) {                                                                        \
        case 4: ck_bf16_tile_rv(R, 4, pairs, a, lda, panels, panel_stride, out); break;           \
        case 3: ck_bf16_tile_rv(R, 3, pairs, a, lda, panels, panel_stride, out); break;           \
        case 2: ck_bf16_tile_rv(R, 2, pairs, a, lda, panels, panel_stride, out); break;           \
        default: ck_bf16_tile_rv(R, 1, pairs, a, lda, panels, panel_stride, out); break;          \
        }                                                                                         \
        break;

/* A constant row count per case: a run-time one would keep the accumulators in memory. */
CK_BF16_TARGET static void ck_bf16_tile(int rows, int vectors, int pairs, const uint16_t *a, ptrdiff_t lda,
                                        const uint16_t *panels, ptrdiff_t panel_stride, float *out) {
    switch (rows) {
        CK_BF16_ROWS(6) CK_BF16_ROWS(5) CK_BF16_ROWS(4) CK_BF16_ROWS(3) CK_BF16_ROWS(2)
    default:
        CK_BF16_ROWS(1)
    }
}
