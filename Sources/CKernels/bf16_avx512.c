/* The native AVX-512 BF16 half of the bf16 linear layers: the `vdpbf16ps` tile (bf16_tile.h compiled
 * for AVX-512 F/BW/VL/BF16), handed out only where the CPU runs it; the AVX-512F epilogue (bias,
 * activation, residual) over a stored tile; and the fp32 → bf16 activation rounding with
 * `vcvtne2ps2bf16`, which gives the bits of `ck_bf16_from_float`. */
#include "ck_internal.h"
#include "ck_bf16_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_BF16_ISA "avx512f,avx512bw,avx512vl,avx512bf16"
#define CK_BF16_TARGET __attribute__((target(CK_BF16_ISA)))
#define CK_BF16_INLINE static inline __attribute__((always_inline, target(CK_BF16_ISA)))
#include "bf16_tile.h"

#include "ck_avx512_math.h"

ck_bf16_tile_fn ck_bf16_native_tile(void) { return ck_bf16_available() ? ck_bf16_tile : NULL; }

/* 32 mask bits for the first n of 32 uint16 lanes. */
CK_BF16_INLINE __mmask32 lanes32(int n) {
    return n >= 32 ? (__mmask32)0xFFFFFFFFu : n <= 0 ? 0 : (__mmask32)((1u << n) - 1);
}

CK_BF16_TARGET void ck_bf16_convert_rows_avx512(int m, int k, const float *a, ptrdiff_t lda, uint16_t *dst, int kp) {
    for (int i = 0; i < m; i++) {
        const float *src = a + (ptrdiff_t)i * lda;
        uint16_t *row = dst + (ptrdiff_t)i * kp;
        int kk = 0;
        for (; kk + 32 <= k; kk += 32) {
            const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + kk + 16), _mm512_loadu_ps(src + kk));
            _mm512_storeu_si512((void *)(row + kk), (__m512i)v);
        }
        if (kk < kp) { /* the tail, and the padding zero of an odd k (masked loads read 0) */
            const __m512 lo = _mm512_maskz_loadu_ps(lanes(k - kk), src + kk);
            const __m512 hi = _mm512_maskz_loadu_ps(lanes(k - kk - 16), src + kk + 16);
            _mm512_mask_storeu_epi16(row + kk, lanes32(kp - kk), (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
        }
    }
}

/* One row of ACT's epilogue: `vectors` full or masked 16-lane groups. */
CK_BF16_INLINE void epilogue_row(const int ACT, int nr, const float *out, const __m512 *bias, float *c,
                                 int accumulate) {
    _Pragma("clang loop unroll(full)") for (int v = 0; v < 4; v++) {
        if (16 * v >= nr) break;
        const __mmask16 m = lanes(nr - 16 * v);
        const __m512 x = _mm512_add_ps(_mm512_load_ps(out + 16 * v), bias[v]);
        const __m512 y = accumulate ? _mm512_add_ps(_mm512_maskz_loadu_ps(m, c + 16 * v), x) : activate512(x, ACT);
        _mm512_mask_storeu_ps(c + 16 * v, m, y);
    }
}

CK_BF16_TARGET void ck_bf16_epilogue_avx512(int rows, int nr, const float *out, const float *bias, float *c,
                                            ptrdiff_t ldc, int activation, int accumulate) {
    __m512 b[4];
    for (int v = 0; v < 4; v++) b[v] = bias ? _mm512_maskz_loadu_ps(lanes(nr - 16 * v), bias + 16 * v) : _mm512_setzero_ps();
    if (accumulate) activation = CK_ACT_IDENTITY;
    for (int r = 0; r < rows; r++) {
        const float *o = out + r * CK_BF16_OUT_COLUMNS;
        float *row = c + (ptrdiff_t)r * ldc;
        switch (activation) { /* a constant activation per loop: the exp/erfc chains of a row overlap */
        case CK_ACT_QUICK_GELU: epilogue_row(CK_ACT_QUICK_GELU, nr, o, b, row, 0); break;
        case CK_ACT_GELU: epilogue_row(CK_ACT_GELU, nr, o, b, row, 0); break;
        default: epilogue_row(CK_ACT_IDENTITY, nr, o, b, row, accumulate); break;
        }
    }
}
#else
ck_bf16_tile_fn ck_bf16_native_tile(void) { return NULL; }
#endif
