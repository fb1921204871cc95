/* Per-output-channel weight quantisation for the int8 layers (`ck_q8_pack_weights`): a portable
 * row quantiser and its AVX2 twin, which computes the same bytes (IEEE division, then
 * round-half-to-even conversion: `lrintf` in the default rounding mode) eight at a time. */
#include "ck_q8_internal.h"
#include "ck_internal.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* max|row| / 127; 1 for a row of zeros, or of subnormals so small that the quotient underflows to
 * 0 (their quantised values are 0 instead of a division by zero). */
static float row_scale(float amax) {
    const float scale = amax / 127.0f;
    return scale > 0 ? scale : 1.0f;
}

/* clamp(round_half_even(x / scale), −127, 127). */
static inline int8_t quantize_value(float x, float scale) {
    const int v = (int)lrintf(x / scale);
    return (int8_t)(v > 127 ? 127 : (v < -127 ? -127 : v));
}

/* max |row[kk]| and q[kk] = clamp(round_half_even(row[kk] / scale), −127, 127); returns the scale. */
static float quantize_row_scalar(const float *row, int k, int8_t *q) {
    float amax = 0;
    for (int kk = 0; kk < k; kk++) amax = fmaxf(amax, fabsf(row[kk]));
    const float scale = row_scale(amax);
    for (int kk = 0; kk < k; kk++) q[kk] = quantize_value(row[kk], scale);
    return scale;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static float quantize_row_avx2(const float *row, int k, int8_t *q) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 m8 = _mm256_setzero_ps();
    int kk = 0;
    for (; kk + 8 <= k; kk += 8) m8 = _mm256_max_ps(m8, _mm256_andnot_ps(sign, _mm256_loadu_ps(row + kk)));
    float lanes[8];
    _mm256_storeu_ps(lanes, m8);
    float amax = 0;
    for (int i = 0; i < 8; i++) amax = fmaxf(amax, lanes[i]);
    for (; kk < k; kk++) amax = fmaxf(amax, fabsf(row[kk]));
    const float scale = row_scale(amax);
    const __m256 s = _mm256_set1_ps(scale);
    const __m256i hi = _mm256_set1_epi32(127), lo = _mm256_set1_epi32(-127);
    for (kk = 0; kk + 8 <= k; kk += 8) {
        __m256i v = _mm256_cvtps_epi32(_mm256_div_ps(_mm256_loadu_ps(row + kk), s)); /* MXCSR: nearest-even */
        v = _mm256_max_epi32(lo, _mm256_min_epi32(hi, v));
        const __m128i w16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64((__m128i *)(q + kk), _mm_packs_epi16(w16, w16));
    }
    for (; kk < k; kk++) q[kk] = quantize_value(row[kk], scale);
    return scale;
}
#endif

static void pack_weights(int layout, const float *w, int n0, int n, int total, int k, int8_t *packed, float *scales,
                         int avx2) {
    int8_t *q = ck_aligned_alloc((size_t)n * k + 1);
    for (int j = 0; j < n; j++) {
        const float *row = w + (ptrdiff_t)j * k;
#if defined(__x86_64__)
        if (avx2) {
            scales[j] = quantize_row_avx2(row, k, q + (ptrdiff_t)j * k);
            continue;
        }
#endif
        (void)avx2;
        scales[j] = quantize_row_scalar(row, k, q + (ptrdiff_t)j * k);
    }
    ck_q8_pack_rows(layout, q, n0, n, total, k, k, 1, packed);
    ck_aligned_free(q);
}

void ck_q8_pack_weights(int layout, const float *w, int n, int k, int8_t *packed, float *scales) {
    pack_weights(layout, w, 0, n, n, k, packed, scales, ck_path_available(CK_PATH_AVX2));
}

void ck_q8_pack_weights_part(int layout, const float *w, int n0, int n, int total, int k, int8_t *packed, float *scales) {
    pack_weights(layout, w, n0, n, total, k, packed, scales, ck_path_available(CK_PATH_AVX2));
}

void ck_q8_pack_weights_for_test(int portable, int layout, const float *w, int n, int k, int8_t *packed, float *scales) {
    pack_weights(layout, w, 0, n, n, k, packed, scales, !portable && ck_path_available(CK_PATH_AVX2));
}
