/* The AVX-512 VNNI int8 tile (`ck_q8_vnni_tile_fn`): up to 6 rows × 64 channels of int32 sums in 24
 * zmm accumulators, one `vpdpbusd` (u8 activations × s8 weights, four products a lane, exact) per
 * row and 16 channels for each quad of inputs.
 *
 * Compiled twice: natively by int8_vnni.c (<immintrin.h>, CK_VNNI_TARGET = the target attribute)
 * and by the test-only CKernelsEmulation against a plain-C emulation of the five intrinsics used
 * here (_mm512_setzero_si512, _mm512_loadu_si512, _mm512_set1_epi32, _mm512_dpbusd_epi32,
 * _mm512_storeu_si512), so its logic is tested on CPUs without VNNI too. Include after those and
 * after defining CK_VNNI_TARGET and CK_VNNI_INLINE. */
#include <stdint.h>
#include <string.h>

/* The tile for a constant row count and vector count, so the accumulators stay in registers. */
CK_VNNI_INLINE void q8_vnni_tile_rv(const int ROWS, const int V, int quads, const uint8_t *a, ptrdiff_t lda,
                                    const int8_t *panels, ptrdiff_t panel_stride, int32_t *out) {
    __m512i acc[CK_Q8_VNNI_MR][4];
    _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS; r++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++) acc[r][v] = _mm512_setzero_si512();
    for (int g = 0; g < quads; g++) {
        __m512i w[4];
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)
            w[v] = _mm512_loadu_si512((const void *)(panels + v * panel_stride + (ptrdiff_t)g * 64));
        _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS; r++) {
            int32_t quad;
            memcpy(&quad, a + r * lda + (ptrdiff_t)g * 4, 4);
            const __m512i x = _mm512_set1_epi32(quad);
            _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)
                acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], x, w[v]);
        }
    }
    _Pragma("clang loop unroll(full)") for (int r = 0; r < ROWS; r++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)
            _mm512_storeu_si512((void *)(out + r * CK_Q8_VNNI_COLUMNS + v * 16), acc[r][v]);
}

#define CK_VNNI_ROWS(R)                                                                           \
    case R:                                                                                       \
        switch (vectors) {                                                                        \
        case 4: q8_vnni_tile_rv(R, 4, quads, a, lda, panels, panel_stride, out); break;                \
        case 3: q8_vnni_tile_rv(R, 3, quads, a, lda, panels, panel_stride, out); break;                \
        case 2: q8_vnni_tile_rv(R, 2, quads, a, lda, panels, panel_stride, out); break;                \
        default: q8_vnni_tile_rv(R, 1, quads, a, lda, panels, panel_stride, out); break;               \
        }                                                                                         \
        break;

CK_VNNI_TARGET static void q8_vnni_tile(int rows, int vectors, int quads, const uint8_t *a, ptrdiff_t lda,
                                        const int8_t *panels, ptrdiff_t panel_stride, int32_t *out) {
    switch (rows) {
        CK_VNNI_ROWS(6) CK_VNNI_ROWS(5) CK_VNNI_ROWS(4) CK_VNNI_ROWS(3) CK_VNNI_ROWS(2)
    default:
        CK_VNNI_ROWS(1)
    }
}
