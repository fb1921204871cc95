/* The native AVX-512 VNNI int8 tile (int8_vnni_tile.h), handed out only where the CPU runs
 * AVX-512 F, BW and VNNI, and the AVX-512 epilogue of the quads tiles: the zero-point correction
 * out − z·Σw, then the dequantisation in the order of the portable and AVX2 epilogues. */
#include "ck_internal.h"
#include "ck_q8_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))
#define CK_VNNI_INLINE static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vnni")))
#include "int8_vnni_tile.h"

#define I512 static inline __attribute__((always_inline, target("avx512f")))
#include "ck_avx512_math.h"

ck_q8_vnni_tile_fn ck_q8_vnni_native_tile(void) {
    __builtin_cpu_init();
    const int runs = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                  && __builtin_cpu_supports("avx512vnni");
    return runs ? q8_vnni_tile : NULL;
}

int ck_q8_vnni_epilogue_available(void) { return ck_path_available(CK_PATH_AVX512); }

__attribute__((target("avx512f"))) void ck_q8_vnni_epilogue_avx512(
    const int32_t *out, int rows, int nr, const int32_t *zero, const int32_t *sums, const float *ascale,
    const float *scales, const float *bias, float *c, ptrdiff_t ldc, int activation, int accumulate) {
    for (int v = 0; v * 16 < nr; v++) {
        const __mmask16 m = lanes(nr - 16 * v);
        const __m512i sum = _mm512_maskz_loadu_epi32(m, sums + 16 * v);
        const __m512 sw = _mm512_maskz_loadu_ps(m, scales + 16 * v);
        const __m512 b = bias ? _mm512_maskz_loadu_ps(m, bias + 16 * v) : _mm512_setzero_ps();
        for (int r = 0; r < rows; r++) {
            const __m512i exact = _mm512_sub_epi32(_mm512_loadu_si512((const void *)(out + r * CK_Q8_VNNI_COLUMNS + 16 * v)),
                                                   _mm512_mullo_epi32(_mm512_set1_epi32(zero[r]), sum));
            __m512 y = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(ascale[r]), sw), _mm512_cvtepi32_ps(exact));
            if (bias) y = _mm512_add_ps(y, b);
            float *row = c + (ptrdiff_t)r * ldc + 16 * v;
            y = accumulate ? _mm512_add_ps(y, _mm512_maskz_loadu_ps(m, row)) : activate512(y, activation);
            _mm512_mask_storeu_ps(row, m, y);
        }
    }
}
#else
ck_q8_vnni_tile_fn ck_q8_vnni_native_tile(void) { return NULL; }
int ck_q8_vnni_epilogue_available(void) { return 0; }
void ck_q8_vnni_epilogue_avx512(const int32_t *out, int rows, int nr, const int32_t *zero, const int32_t *sums,
                                const float *ascale, const float *scales, const float *bias, float *c, ptrdiff_t ldc,
                                int activation, int accumulate) {
    (void)out; (void)rows; (void)nr; (void)zero; (void)sums; (void)ascale; (void)scales; (void)bias; (void)c;
    (void)ldc; (void)activation; (void)accumulate;
}
#endif
