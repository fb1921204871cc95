/* Scan kernels: dot products of one query with every row of a contiguous matrix (the catalog
 * search). A scan of an L2-normalised [n, dim] matrix is bound by memory bandwidth, so each variant
 * only needs enough independent accumulators to keep the loads streaming. Dispatch is the one of
 * every kernel here: the caller's `ck_path`, capped at `ck_best_path()`. */
#include "ck_internal.h"
#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include "ck_avx2_math.h"
#endif

/* ---- portable ---------------------------------------------------------------------------- */

static float dot_f32_portable(const float *a, const float *b, size_t n) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int l = 0; l < 8; l++) acc[l] += a[j + l] * b[j + l];
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; j < n; j++) s += a[j] * b[j];
    return s;
}

static int32_t dot_i8_portable(const int8_t *a, const int8_t *b, size_t n) {
    int32_t s = 0;
    for (size_t j = 0; j < n; j++) s += (int32_t)a[j] * (int32_t)b[j];
    return s;
}

#if defined(__x86_64__)
/* ---- AVX2 + FMA -------------------------------------------------------------------------- */

__attribute__((target("avx2,fma"))) static float dot_f32_avx2(const float *a, const float *b, size_t n) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    size_t j = 0;
    for (; j + 32 <= n; j += 32) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8), a1);
        a2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 16), _mm256_loadu_ps(b + j + 16), a2);
        a3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 24), _mm256_loadu_ps(b + j + 24), a3);
    }
    for (; j + 8 <= n; j += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), a0);
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; j < n; j++) s += a[j] * b[j];
    return s;
}

/* |a|·(b·sign a) with maddubs: both factors ≤ 127 in magnitude, so the s16 pair sums (≤ 32,258) never
 * saturate; requires a, b in -127 … 127. */
__attribute__((target("avx2,fma"))) static int32_t dot_i8_avx2(const int8_t *a, const int8_t *b, size_t n) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    size_t j = 0;
    for (; j + 64 <= n; j += 64) {
        /* Two 512-byte rows ahead: measured 10-25 % faster on Zen 4 (the fp32 scan is slower with it). */
        _mm_prefetch((const char *)(a + j + 1024), _MM_HINT_T0);
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(a + j));
        __m256i x1 = _mm256_loadu_si256((const __m256i *)(a + j + 32));
        __m256i y0 = _mm256_loadu_si256((const __m256i *)(b + j));
        __m256i y1 = _mm256_loadu_si256((const __m256i *)(b + j + 32));
        __m256i p0 = _mm256_maddubs_epi16(_mm256_sign_epi8(x0, x0), _mm256_sign_epi8(y0, x0));
        __m256i p1 = _mm256_maddubs_epi16(_mm256_sign_epi8(x1, x1), _mm256_sign_epi8(y1, x1));
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(p0, ones));
        acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(p1, ones));
    }
    for (; j + 32 <= n; j += 32) {
        __m256i x0 = _mm256_loadu_si256((const __m256i *)(a + j));
        __m256i y0 = _mm256_loadu_si256((const __m256i *)(b + j));
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(x0, x0), _mm256_sign_epi8(y0, x0)), ones));
    }
    __m256i acc = _mm256_add_epi32(acc0, acc1);
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    int32_t total = _mm_cvtsi128_si32(s);
    for (; j < n; j++) total += (int32_t)a[j] * (int32_t)b[j];
    return total;
}

/* ---- AVX-512 ----------------------------------------------------------------------------- */

__attribute__((target("avx512f"))) static float dot_f32_avx512(const float *a, const float *b, size_t n) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    size_t j = 0;
    for (; j + 64 <= n; j += 64) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(b + j), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j + 16), _mm512_loadu_ps(b + j + 16), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j + 32), _mm512_loadu_ps(b + j + 32), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j + 48), _mm512_loadu_ps(b + j + 48), a3);
    }
    for (; j + 16 <= n; j += 16) a0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(b + j), a0);
    if (j < n) {
        __mmask16 m = (__mmask16)((1u << (n - j)) - 1u);
        a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + j), _mm512_maskz_loadu_ps(m, b + j), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

/* As the AVX2 kernel: |a| via abs, b·sign(a) by negating b where a < 0. */
__attribute__((target("avx512f,avx512bw"))) static int32_t dot_i8_avx512(const int8_t *a, const int8_t *b, size_t n) {
    const __m512i ones = _mm512_set1_epi16(1), zero = _mm512_setzero_si512();
    __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
    size_t j = 0;
    for (; j + 128 <= n; j += 128) {
        __m512i x0 = _mm512_loadu_si512((const void *)(a + j)), x1 = _mm512_loadu_si512((const void *)(a + j + 64));
        __m512i y0 = _mm512_loadu_si512((const void *)(b + j)), y1 = _mm512_loadu_si512((const void *)(b + j + 64));
        y0 = _mm512_mask_sub_epi8(y0, _mm512_movepi8_mask(x0), zero, y0);
        y1 = _mm512_mask_sub_epi8(y1, _mm512_movepi8_mask(x1), zero, y1);
        acc0 = _mm512_add_epi32(acc0, _mm512_madd_epi16(_mm512_maddubs_epi16(_mm512_abs_epi8(x0), y0), ones));
        acc1 = _mm512_add_epi32(acc1, _mm512_madd_epi16(_mm512_maddubs_epi16(_mm512_abs_epi8(x1), y1), ones));
    }
    for (; j + 64 <= n; j += 64) {
        __m512i x0 = _mm512_loadu_si512((const void *)(a + j)), y0 = _mm512_loadu_si512((const void *)(b + j));
        y0 = _mm512_mask_sub_epi8(y0, _mm512_movepi8_mask(x0), zero, y0);
        acc0 = _mm512_add_epi32(acc0, _mm512_madd_epi16(_mm512_maddubs_epi16(_mm512_abs_epi8(x0), y0), ones));
    }
    int32_t total = _mm512_reduce_add_epi32(_mm512_add_epi32(acc0, acc1));
    for (; j < n; j++) total += (int32_t)a[j] * (int32_t)b[j];
    return total;
}
#endif

/* ---- dispatch ---------------------------------------------------------------------------- */

typedef float (*dot_f32_fn)(const float *, const float *, size_t);
typedef int32_t (*dot_i8_fn)(const int8_t *, const int8_t *, size_t);

static int usable_path(int path) {
    const int best = ck_best_path();
    return path > best ? best : (path < CK_PATH_SCALAR ? CK_PATH_SCALAR : path);
}

static dot_f32_fn pick_f32(int path) {
#if defined(__x86_64__)
    switch (usable_path(path)) {
    case CK_PATH_AVX512: return dot_f32_avx512;
    case CK_PATH_AVX2: return dot_f32_avx2;
    }
#endif
    (void)path;
    return dot_f32_portable;
}

/* The int8 AVX-512 loop also needs AVX-512BW (every AVX-512 CPU but the Xeon Phi has it). */
static dot_i8_fn pick_i8(int path) {
#if defined(__x86_64__)
    switch (usable_path(path)) {
    case CK_PATH_AVX512:
        if (__builtin_cpu_supports("avx512bw")) return dot_i8_avx512;
        return dot_i8_avx2;
    case CK_PATH_AVX2: return dot_i8_avx2;
    }
#endif
    (void)path;
    return dot_i8_portable;
}

void ck_scan_dot_rows_f32(int path, const float *matrix, size_t rows, size_t dim, const float *query, float *scores) {
    dot_f32_fn dot = pick_f32(path);
    for (size_t r = 0; r < rows; r++) scores[r] = dot(matrix + r * dim, query, dim);
}

void ck_scan_dot_indexed_f32(int path, const float *matrix, size_t dim, const int32_t *indices, size_t count,
                             const float *query, float *scores) {
    dot_f32_fn dot = pick_f32(path);
    for (size_t i = 0; i < count; i++) scores[i] = dot(matrix + (size_t)indices[i] * dim, query, dim);
}

void ck_scan_dot_rows_i8(int path, const int8_t *matrix, size_t rows, size_t dim, const int8_t *query,
                         int32_t *scores) {
    dot_i8_fn dot = pick_i8(path);
    for (size_t r = 0; r < rows; r++) scores[r] = dot(matrix + r * dim, query, dim);
}

void ck_scan_dot_rows_i8_scaled(int path, const int8_t *matrix, size_t rows, size_t dim, const int8_t *query,
                                const float *row_scales, float query_scale, float *scores) {
    dot_i8_fn dot = pick_i8(path);
    for (size_t r = 0; r < rows; r++) scores[r] = (float)dot(matrix + r * dim, query, dim) * row_scales[r] * query_scale;
}

/* ---- quantisation ------------------------------------------------------------------------ */

static void quantize_row_portable(const float *x, size_t dim, float inv, int8_t *out) {
    for (size_t j = 0; j < dim; j++) {
        long q = lrintf(x[j] * inv); /* default rounding: nearest, ties to even */
        out[j] = (int8_t)(q > 127 ? 127 : (q < -127 ? -127 : q));
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static void quantize_row_avx2(const float *x, size_t dim, float inv, int8_t *out) {
    const __m256 scale = _mm256_set1_ps(inv);
    const __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127);
    size_t j = 0;
    for (; j + 8 <= dim; j += 8) {
        __m256i q = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + j), scale)); /* nearest-even */
        q = _mm256_min_epi32(_mm256_max_epi32(q, lo), hi);
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, q);
        for (int l = 0; l < 8; l++) out[j + l] = (int8_t)lanes[l];
    }
    quantize_row_portable(x + j, dim - j, inv, out + j);
}
#endif

void ck_scan_quantize_rows_i8(int path, const float *matrix, size_t rows, size_t dim, int8_t *out, float *scales) {
    path = usable_path(path);
    for (size_t r = 0; r < rows; r++) {
        const float *x = matrix + r * dim;
        float max_abs = 0;
        for (size_t j = 0; j < dim; j++) {
            float a = fabsf(x[j]);
            if (a > max_abs) max_abs = a;
        }
        scales[r] = max_abs / 127.0f;
        if (max_abs == 0) {
            for (size_t j = 0; j < dim; j++) out[r * dim + j] = 0;
            continue;
        }
        float inv = 127.0f / max_abs;
#if defined(__x86_64__)
        if (path >= CK_PATH_AVX2) { quantize_row_avx2(x, dim, inv, out + r * dim); continue; }
#endif
        quantize_row_portable(x, dim, inv, out + r * dim);
    }
}
