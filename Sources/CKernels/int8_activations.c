/* Activation quantisation of the int8 linear layers (see CKernelsInt8.h): per row (u8 with a zero
 * point per row) or per tensor (onnxruntime's `DynamicQuantizeLinear`: one scale and zero point for
 * the whole input), stored centred as int16 q − z in the micro-kernel's tile layout. The AVX2 and
 * portable code compute the same integers. */
#include "ck_q8_internal.h"
#include "ck_internal.h"
#include <float.h>
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* A row's scale (hi − lo) / 255; 1 when that is below FLT_MIN, where 1 / scale would overflow (a
 * row of zeros, or of values so tiny that they quantise to 0 either way). */
static float row_scale(float lo, float hi) {
    const float s = (hi - lo) / 255.0f;
    return s >= FLT_MIN ? s : 1.0f;
}

/* One row of `ck_q8_quantize_rows`, its zero point too. */
static void quantize_row(int k, const float *x, int16_t *out, float *scale, int *zero) {
    float lo = 0, hi = 0; /* the range holds 0, so zero is exact */
    for (int kk = 0; kk < k; kk++) {
        lo = fminf(lo, x[kk]);
        hi = fmaxf(hi, x[kk]);
    }
    const float s = row_scale(lo, hi);
    const int z = (int)lrintf(-lo / s);
    const float inv = 1.0f / s;
    for (int kk = 0; kk < k; kk++) {
        int v = (int)lrintf(x[kk] * inv) + z;
        out[kk] = (int16_t)((v < 0 ? 0 : (v > 255 ? 255 : v)) - z);
    }
    for (int kk = k; kk < ck_q8_round_up2(k); kk++) out[kk] = 0;
    *scale = s;
    *zero = z;
}

void ck_q8_quantize_rows(int m, int k, const float *a, ptrdiff_t lda, int16_t *q, float *scale) {
    int zero;
    for (int r = 0; r < m; r++) quantize_row(k, a + r * lda, q + (ptrdiff_t)r * ck_q8_round_up2(k), scale + r, &zero);
}

/* onnxruntime's parameters (GetQuantizationParameter, the ONNX DynamicQuantizeLinear definition):
 * the range widened to hold 0, s = (hi − lo) / 255 (1 for an all-zero input), z =
 * round_half_even(clamp(−lo / s, 0, 255)). */
static void tensor_parameters(float lo, float hi, float *scale, int *zero_point) {
    lo = fminf(lo, 0.0f);
    hi = fmaxf(hi, 0.0f);
    const float s = hi == lo ? 1.0f : (hi - lo) / 255.0f;
    const float z = fmaxf(0.0f, fminf(255.0f, 0.0f - lo / s));
    *scale = s;
    *zero_point = (int)nearbyintf(z); /* the default rounding mode: half to even */
}

/* One row with a fixed scale and zero point, as MLAS's QuantizeLinear: q − z =
 * round_half_even(clamp(x / s, −z, 255 − z)) (a division, not a multiplication by 1/s). */
static void quantize_row_fixed(int k, const float *x, float s, int z, int16_t *out) {
    const float lo = (float)-z, hi = (float)(255 - z);
    for (int kk = 0; kk < k; kk++) out[kk] = (int16_t)lrintf(fminf(fmaxf(x[kk] / s, lo), hi));
    for (int kk = k; kk < ck_q8_round_up2(k); kk++) out[kk] = 0;
}

static void row_range(int k, const float *x, float *lo, float *hi) {
    for (int kk = 0; kk < k; kk++) {
        *lo = fminf(*lo, x[kk]);
        *hi = fmaxf(*hi, x[kk]);
    }
}

#if defined(__x86_64__)
#define T256 __attribute__((target("avx2,fma")))

/* Eight int32 lanes pairs → sixteen int16 in order (packs works per 128-bit lane). */
T256 static inline __m256i pack16(__m256i q0, __m256i q1) {
    return _mm256_permute4x64_epi64(_mm256_packs_epi32(q0, q1), 0xD8);
}

/* `row_range` with AVX2: widens [*lo, *hi] to hold x[0..<k]. */
T256 static void row_range_avx2(int k, const float *x, float *lo, float *hi) {
    __m256 lo8 = _mm256_set1_ps(*lo), hi8 = _mm256_set1_ps(*hi);
    int kk = 0;
    for (; kk + 8 <= k; kk += 8) {
        const __m256 v = _mm256_loadu_ps(x + kk);
        lo8 = _mm256_min_ps(lo8, v);
        hi8 = _mm256_max_ps(hi8, v);
    }
    float lows[8], highs[8];
    _mm256_storeu_ps(lows, lo8);
    _mm256_storeu_ps(highs, hi8);
    for (int i = 0; i < 8; i++) {
        *lo = fminf(*lo, lows[i]);
        *hi = fmaxf(*hi, highs[i]);
    }
    row_range(k - kk, x + kk, lo, hi);
}

/* ck_q8_quantize_rows for one row with AVX2: the same scale, zero point and rounding (cvtps rounds
 * to nearest even, as lrintf in the default mode). */
T256 static void quantize_row_avx2(int k, const float *x, int16_t *out, float *scale, int *zero_point) {
    float lo = 0, hi = 0; /* the range holds 0, so zero is exact */
    row_range_avx2(k, x, &lo, &hi);
    const float s = row_scale(lo, hi);
    const int z = (int)lrintf(-lo / s);
    const float inv = 1.0f / s;
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256i vz = _mm256_set1_epi32(z), top = _mm256_set1_epi32(255), zero = _mm256_setzero_si256();
    int kk = 0;
    for (; kk + 16 <= k; kk += 16) {
        __m256i q0 = _mm256_add_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + kk), vinv)), vz);
        __m256i q1 = _mm256_add_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + kk + 8), vinv)), vz);
        q0 = _mm256_sub_epi32(_mm256_max_epi32(_mm256_min_epi32(q0, top), zero), vz);
        q1 = _mm256_sub_epi32(_mm256_max_epi32(_mm256_min_epi32(q1, top), zero), vz);
        _mm256_storeu_si256((__m256i *)(out + kk), pack16(q0, q1));
    }
    for (; kk < k; kk++) {
        int v = (int)lrintf(x[kk] * inv) + z;
        out[kk] = (int16_t)((v < 0 ? 0 : (v > 255 ? 255 : v)) - z);
    }
    for (int t = k; t < ck_q8_round_up2(k); t++) out[t] = 0;
    *scale = s;
    *zero_point = z;
}

/* quantize_row_fixed with AVX2 (vdivps, maxps/minps with the value first, as MLAS: a NaN clamps to −z). */
T256 static void quantize_row_fixed_avx2(int k, const float *x, float s, int z, int16_t *out) {
    const __m256 vs = _mm256_set1_ps(s), lo = _mm256_set1_ps((float)-z), hi = _mm256_set1_ps((float)(255 - z));
    int kk = 0;
    for (; kk + 16 <= k; kk += 16) {
        const __m256 v0 = _mm256_min_ps(_mm256_max_ps(_mm256_div_ps(_mm256_loadu_ps(x + kk), vs), lo), hi);
        const __m256 v1 = _mm256_min_ps(_mm256_max_ps(_mm256_div_ps(_mm256_loadu_ps(x + kk + 8), vs), lo), hi);
        _mm256_storeu_si256((__m256i *)(out + kk), pack16(_mm256_cvtps_epi32(v0), _mm256_cvtps_epi32(v1)));
    }
    quantize_row_fixed(k - kk, x + kk, s, z, out + kk);
    for (int t = k; t < ck_q8_round_up2(k); t++) out[t] = 0;
}

/* u[kk] = row[kk] + z (each in 0…255) for the first multiple of 16 inputs; returns how many. */
T256 static int to_u8_avx2(int k, const int16_t *row, int z, uint8_t *u) {
    const __m256i vz = _mm256_set1_epi16((short)z);
    int kk = 0;
    for (; kk + 16 <= k; kk += 16) {
        const __m256i v = _mm256_add_epi16(_mm256_loadu_si256((const __m256i *)(row + kk)), vz);
        _mm_storeu_si128((__m128i *)(u + kk), _mm_packus_epi16(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
    }
    return kk;
}
#endif

typedef struct {
    int m, k, avx2, per_tensor, quads, zero_point;
    float tensor_scale;
    const float *a;
    ptrdiff_t lda;
    void *q;
    float *scale;
    int32_t *zero;
    float *ranges; /* [tiles][2]: each row tile's min and max (per-tensor, first pass) */
} quantize_job;

static int tile_rows(const quantize_job *j, int task) { return j->m - task * CK_Q8_MR < CK_Q8_MR ? j->m - task * CK_Q8_MR : CK_Q8_MR; }

/* First per-tensor pass: the range of row tile `task`. */
static void range_task(void *ctx, int task, int thread) {
    (void)thread;
    const quantize_job *j = ctx;
    float lo = 0, hi = 0; /* the range holds 0 anyway */
    for (int r = task * CK_Q8_MR, end = r + tile_rows(j, task); r < end; r++) {
#if defined(__x86_64__)
        if (j->avx2) {
            row_range_avx2(j->k, j->a + r * j->lda, &lo, &hi);
            continue;
        }
#endif
        row_range(j->k, j->a + r * j->lda, &lo, &hi);
    }
    j->ranges[2 * task] = lo;
    j->ranges[2 * task + 1] = hi;
}

/* The row tile `task`: each row quantised, then interleaved into the micro-kernel's layout (see
 * ck_q8_quantize_tiles), so the tile's broadcasts walk one pointer. */
static void quantize_task(void *ctx, int task, int thread) {
    (void)thread;
    const quantize_job *j = ctx;
    const int kp = ck_q8_round_up2(j->k), kq = ck_q8_round_up4(j->k);
    const int r0 = task * CK_Q8_MR, rows = tile_rows(j, task);
    int16_t *row = ck_aligned_alloc((size_t)kq * sizeof(int16_t));
    for (int r = 0; r < rows; r++) {
        const float *x = j->a + (r0 + r) * j->lda;
        int z = j->zero_point;
        if (j->per_tensor) {
#if defined(__x86_64__)
            if (j->avx2) quantize_row_fixed_avx2(j->k, x, j->tensor_scale, j->zero_point, row);
            else
#endif
                quantize_row_fixed(j->k, x, j->tensor_scale, j->zero_point, row);
            j->scale[r0 + r] = j->tensor_scale;
        } else {
#if defined(__x86_64__)
            if (j->avx2) quantize_row_avx2(j->k, x, row, j->scale + r0 + r, &z);
            else
#endif
                quantize_row(j->k, x, row, j->scale + r0 + r, &z);
        }
        if (j->quads) {
            /* u8 = (q − z) + z, row-major; the padding is 0 (its weights are 0 too). */
            uint8_t *u = (uint8_t *)j->q + (ptrdiff_t)(r0 + r) * kq;
            int kk = 0;
#if defined(__x86_64__)
            if (j->avx2) kk = to_u8_avx2(j->k, row, z, u);
#endif
            for (; kk < j->k; kk++) u[kk] = (uint8_t)(row[kk] + z);
            for (; kk < kq; kk++) u[kk] = 0;
            j->zero[r0 + r] = z;
        } else {
            int16_t *tile = (int16_t *)j->q + (ptrdiff_t)r0 * kp;
            for (int g = 0; g < kp / 2; g++) memcpy(tile + ((ptrdiff_t)g * rows + r) * 2, row + 2 * g, 4);
        }
    }
    ck_aligned_free(row);
}

static void run_tasks(ck_pool *pool, int threaded, int tasks, void (*fn)(void *, int, int), void *ctx) {
    if (threaded && tasks > 1) {
        ck_pool_run(pool, tasks, fn, ctx);
    } else {
        for (int t = 0; t < tasks; t++) fn(ctx, t, 0);
    }
}

void ck_q8_quantize_tiles(ck_pool *pool, int threaded, int avx2, int quantization, int layout, int m, int k,
                          const float *a, ptrdiff_t lda, void *q, float *scale, int32_t *zero) {
    const int tasks = (m + CK_Q8_MR - 1) / CK_Q8_MR;
    quantize_job job = {.m = m, .k = k, .avx2 = avx2, .per_tensor = quantization == CK_Q8_PER_TENSOR,
                        .quads = layout == CK_Q8_QUADS, .a = a, .lda = lda, .q = q, .scale = scale, .zero = zero};
    if (job.per_tensor) {
        job.ranges = ck_aligned_alloc((size_t)tasks * 2 * sizeof(float));
        run_tasks(pool, threaded, tasks, range_task, &job);
        float lo = 0, hi = 0;
        for (int t = 0; t < tasks; t++) {
            lo = fminf(lo, job.ranges[2 * t]);
            hi = fmaxf(hi, job.ranges[2 * t + 1]);
        }
        ck_aligned_free(job.ranges);
        tensor_parameters(lo, hi, &job.tensor_scale, &job.zero_point);
    }
    run_tasks(pool, threaded, tasks, quantize_task, &job);
}

void ck_q8_quantize_tensor(int m, int k, const float *a, ptrdiff_t lda, int16_t *q, float *scale, int *zero_point) {
    float lo = 0, hi = 0;
    for (int r = 0; r < m; r++) row_range(k, a + r * lda, &lo, &hi);
    tensor_parameters(lo, hi, scale, zero_point);
    for (int r = 0; r < m; r++) quantize_row_fixed(k, a + r * lda, *scale, *zero_point, q + (ptrdiff_t)r * ck_q8_round_up2(k));
}
