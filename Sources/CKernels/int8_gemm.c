/* int8 linear layers (see CKernelsInt8.h): per-channel 8-bit weights, per-row u8 activations
 * (stored centred as int16), int32 accumulation. A portable tile and an AVX2 tile (`vpmaddwd`)
 * compute the same integers; the epilogue dequantises. */
#include "CKernelsInt8.h"
#include "ck_internal.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define Q8_MR 6
#define Q8_ROW_BLOCK 60

static int round_up2(int k) { return (k + 1) & ~1; }

size_t ck_q8_packed_bytes(int n, int k) {
    return (size_t)((n + CK_Q8_PANEL - 1) / CK_Q8_PANEL) * (size_t)round_up2(k) * CK_Q8_PANEL;
}

void ck_q8_pack_weights(const float *w, int n, int k, int8_t *packed, float *scales) {
    const int kp = round_up2(k);
    memset(packed, 0, ck_q8_packed_bytes(n, k));
    for (int j = 0; j < n; j++) {
        const float *row = w + (ptrdiff_t)j * k;
        float amax = 0;
        for (int kk = 0; kk < k; kk++) amax = fmaxf(amax, fabsf(row[kk]));
        const float scale = amax > 0 ? amax / 127.0f : 1.0f;
        int8_t *panel = packed + (ptrdiff_t)(j / CK_Q8_PANEL) * kp * CK_Q8_PANEL;
        const int lane = j % CK_Q8_PANEL;
        for (int kk = 0; kk < k; kk++) {
            int q = (int)lrintf(row[kk] / scale);
            q = q > 127 ? 127 : (q < -127 ? -127 : q);
            panel[(kk / 2) * CK_Q8_PANEL * 2 + lane * 2 + kk % 2] = (int8_t)q;
        }
        scales[j] = scale;
    }
}

void ck_q8_quantize_rows(int m, int k, const float *a, ptrdiff_t lda, int16_t *q, float *scale) {
    const int kp = round_up2(k);
    for (int r = 0; r < m; r++) {
        const float *x = a + r * lda;
        float lo = 0, hi = 0; /* the range holds 0, so zero is exact */
        for (int kk = 0; kk < k; kk++) {
            lo = fminf(lo, x[kk]);
            hi = fmaxf(hi, x[kk]);
        }
        const float s = hi > lo ? (hi - lo) / 255.0f : 1.0f;
        const int z = (int)lrintf(-lo / s);
        const float inv = 1.0f / s;
        int16_t *out = q + (ptrdiff_t)r * kp;
        for (int kk = 0; kk < k; kk++) {
            int v = (int)lrintf(x[kk] * inv) + z;
            out[kk] = (int16_t)((v < 0 ? 0 : (v > 255 ? 255 : v)) - z);
        }
        for (int kk = k; kk < kp; kk++) out[kk] = 0;
        scale[r] = s;
    }
}

static float activate(float v, int activation) {
    switch (activation) {
    case CK_ACT_QUICK_GELU: return v / (1.0f + expf(-1.702f * v));
    case CK_ACT_GELU: return 0.5f * v * erfcf(-v * 0.70710678118654752f);
    default: return v;
    }
}

typedef struct {
    int m, n, k, kp, panels, row_blocks, activation, accumulate;
    const int16_t *q;
    const float *ascale;
    const int8_t *packed;
    const float *scales, *bias;
    float *c;
    ptrdiff_t ldc;
    int avx2;
} q8_job;

/* Dequantises acc[rows][16] of rows r0… and columns n0… (nr valid) into c. */
static void epilogue(const q8_job *j, int r0, int rows, int n0, int nr, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    for (int r = 0; r < rows; r++) {
        float *c = j->c + (ptrdiff_t)(r0 + r) * j->ldc + n0;
        const float sa = j->ascale[r0 + r];
        for (int jj = 0; jj < nr; jj++) {
            float v = sa * j->scales[n0 + jj] * (float)acc[r][jj];
            if (j->bias) v += j->bias[n0 + jj];
            if (j->accumulate) c[jj] += v;
            else c[jj] = activate(v, j->activation);
        }
    }
}

static void tile_scalar(const q8_job *j, int r0, int rows, int p, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    const int8_t *panel = j->packed + (ptrdiff_t)p * j->kp * CK_Q8_PANEL;
    memset(acc, 0, sizeof(int32_t) * Q8_MR * CK_Q8_PANEL);
    for (int r = 0; r < rows; r++) {
        const int16_t *a = j->q + (ptrdiff_t)r0 * j->kp + 2 * r; /* the tile's layout, see quantize_task */
        for (int g = 0; g < j->kp / 2; g++) {
            const int8_t *w = panel + g * CK_Q8_PANEL * 2;
            const int16_t *pair = a + (ptrdiff_t)g * rows * 2;
            for (int jj = 0; jj < CK_Q8_PANEL; jj++)
                acc[r][jj] += (int32_t)pair[0] * w[jj * 2] + (int32_t)pair[1] * w[jj * 2 + 1];
        }
    }
}

#if defined(__x86_64__)
#define T256 __attribute__((target("avx2,fma")))
#define I256 static inline __attribute__((always_inline, target("avx2,fma")))
#include "ck_avx2_math.h"

/* The ROWS × 16 tile: int16 activation pairs broadcast against sign-extended weight pairs with
 * `vpmaddwd` (exact: |(q − z)·w| pair sums ≤ 2·255·127), accumulators in registers. */
I256 void tile_avx2_rows(const q8_job *j, int r0, const int rows, int p, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    const int8_t *panel = j->packed + (ptrdiff_t)p * j->kp * CK_Q8_PANEL;
    const int16_t *a = j->q + (ptrdiff_t)r0 * j->kp; /* pairs of the tile's rows, group by group */
    __m256i c[Q8_MR][2];
    for (int r = 0; r < rows; r++) c[r][0] = c[r][1] = _mm256_setzero_si256();
    const int groups = j->kp / 2;
    for (int g = 0; g < groups; g++) {
        const __m256i w0 = _mm256_cvtepi8_epi16(_mm_load_si128((const __m128i *)(panel + g * 32)));
        const __m256i w1 = _mm256_cvtepi8_epi16(_mm_load_si128((const __m128i *)(panel + g * 32 + 16)));
        for (int r = 0; r < rows; r++) {
            int32_t v;
            memcpy(&v, a + 2 * r, 4);
            const __m256i b = _mm256_set1_epi32(v);
            c[r][0] = _mm256_add_epi32(c[r][0], _mm256_madd_epi16(b, w0));
            c[r][1] = _mm256_add_epi32(c[r][1], _mm256_madd_epi16(b, w1));
        }
        a += 2 * rows;
    }
    for (int r = 0; r < rows; r++) {
        _mm256_storeu_si256((__m256i *)acc[r], c[r][0]);
        _mm256_storeu_si256((__m256i *)(acc[r] + 8), c[r][1]);
    }
}

T256 static void tile_avx2(const q8_job *j, int r0, int rows, int p, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    switch (rows) {
    case 6: tile_avx2_rows(j, r0, 6, p, acc); break;
    case 5: tile_avx2_rows(j, r0, 5, p, acc); break;
    case 4: tile_avx2_rows(j, r0, 4, p, acc); break;
    case 3: tile_avx2_rows(j, r0, 3, p, acc); break;
    case 2: tile_avx2_rows(j, r0, 2, p, acc); break;
    default: tile_avx2_rows(j, r0, 1, p, acc); break;
    }
}

T256 static void epilogue_avx2(const q8_job *j, int r0, int rows, int n0, int nr, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    if (nr < CK_Q8_PANEL) {
        epilogue(j, r0, rows, n0, nr, acc);
        return;
    }
    for (int r = 0; r < rows; r++) {
        float *c = j->c + (ptrdiff_t)(r0 + r) * j->ldc + n0;
        const __m256 sa = _mm256_set1_ps(j->ascale[r0 + r]);
        for (int h = 0; h < CK_Q8_PANEL; h += 8) {
            const __m256i total = _mm256_loadu_si256((const __m256i *)(acc[r] + h));
            __m256 v = _mm256_mul_ps(_mm256_mul_ps(sa, _mm256_loadu_ps(j->scales + n0 + h)), _mm256_cvtepi32_ps(total));
            if (j->bias) v = _mm256_add_ps(v, _mm256_loadu_ps(j->bias + n0 + h));
            if (j->accumulate) {
                v = _mm256_add_ps(v, _mm256_loadu_ps(c + h));
            } else {
                v = activate256(v, j->activation);
            }
            _mm256_storeu_ps(c + h, v);
        }
    }
}
#endif

#if defined(__x86_64__)
/* ck_q8_quantize_rows for one row with AVX2: the same scale, zero point and rounding (cvtps rounds
 * to nearest even, as lrintf in the default mode). */
T256 static void quantize_row_avx2(int k, const float *x, int16_t *out, float *scale) {
    __m256 lo8 = _mm256_setzero_ps(), hi8 = _mm256_setzero_ps();
    int kk = 0;
    for (; kk + 8 <= k; kk += 8) {
        const __m256 v = _mm256_loadu_ps(x + kk);
        lo8 = _mm256_min_ps(lo8, v);
        hi8 = _mm256_max_ps(hi8, v);
    }
    float lows[8], highs[8];
    _mm256_storeu_ps(lows, lo8);
    _mm256_storeu_ps(highs, hi8);
    float lo = 0, hi = 0;
    for (int i = 0; i < 8; i++) {
        lo = fminf(lo, lows[i]);
        hi = fmaxf(hi, highs[i]);
    }
    for (int t = kk; t < k; t++) {
        lo = fminf(lo, x[t]);
        hi = fmaxf(hi, x[t]);
    }
    const float s = hi > lo ? (hi - lo) / 255.0f : 1.0f;
    const int z = (int)lrintf(-lo / s);
    const float inv = 1.0f / s;
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256i vz = _mm256_set1_epi32(z), top = _mm256_set1_epi32(255), zero = _mm256_setzero_si256();
    kk = 0;
    for (; kk + 16 <= k; kk += 16) {
        __m256i q0 = _mm256_add_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + kk), vinv)), vz);
        __m256i q1 = _mm256_add_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + kk + 8), vinv)), vz);
        q0 = _mm256_sub_epi32(_mm256_max_epi32(_mm256_min_epi32(q0, top), zero), vz);
        q1 = _mm256_sub_epi32(_mm256_max_epi32(_mm256_min_epi32(q1, top), zero), vz);
        /* packs works per 128-bit lane: put the four quarters back in order. */
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(q0, q1), 0xD8);
        _mm256_storeu_si256((__m256i *)(out + kk), packed);
    }
    for (; kk < k; kk++) {
        int v = (int)lrintf(x[kk] * inv) + z;
        out[kk] = (int16_t)((v < 0 ? 0 : (v > 255 ? 255 : v)) - z);
    }
    for (int t = k; t < round_up2(k); t++) out[t] = 0;
    *scale = s;
}
#endif

typedef struct {
    int m, k, avx2;
    const float *a;
    ptrdiff_t lda;
    int16_t *q;
    float *scale;
} quantize_job;

/* The row tile [t·6, t·6 + rows): each row quantised, then interleaved into the micro-kernel's
 * layout, which starts at q + t·6·kp and holds the pair (2g, 2g + 1) of row r at (g·rows + r)·2, so the
 * tile's broadcasts walk one pointer. (Row blocks are multiples of 6 rows, so tiles never straddle.) */
static void quantize_task(void *ctx, int task, int thread) {
    (void)thread;
    const quantize_job *j = ctx;
    const int kp = round_up2(j->k);
    const int r0 = task * Q8_MR, rows = j->m - r0 < Q8_MR ? j->m - r0 : Q8_MR;
    int16_t *tile = j->q + (ptrdiff_t)r0 * kp;
    int16_t *row = ck_aligned_alloc((size_t)kp * sizeof(int16_t));
    for (int r = 0; r < rows; r++) {
#if defined(__x86_64__)
        if (j->avx2) {
            quantize_row_avx2(j->k, j->a + (r0 + r) * j->lda, row, j->scale + r0 + r);
        } else
#endif
        {
            ck_q8_quantize_rows(1, j->k, j->a + (r0 + r) * j->lda, j->lda, row, j->scale + r0 + r);
        }
        for (int g = 0; g < kp / 2; g++) memcpy(tile + ((ptrdiff_t)g * rows + r) * 2, row + 2 * g, 4);
    }
    ck_aligned_free(row);
}

/* One task: rows [b·64, b·64 + 64) × one panel. */
static void q8_task(void *ctx, int task, int thread) {
    (void)thread;
    const q8_job *j = ctx;
    const int p = task % j->panels, block = task / j->panels;
    const int m0 = block * Q8_ROW_BLOCK, m1 = m0 + Q8_ROW_BLOCK < j->m ? m0 + Q8_ROW_BLOCK : j->m;
    const int n0 = p * CK_Q8_PANEL, nr = j->n - n0 < CK_Q8_PANEL ? j->n - n0 : CK_Q8_PANEL;
    int32_t acc[Q8_MR][CK_Q8_PANEL];
    for (int r = m0; r < m1; r += Q8_MR) {
        const int rows = m1 - r < Q8_MR ? m1 - r : Q8_MR;
#if defined(__x86_64__)
        if (j->avx2) {
            tile_avx2(j, r, rows, p, acc);
            epilogue_avx2(j, r, rows, n0, nr, acc);
            continue;
        }
#endif
        tile_scalar(j, r, rows, p, acc);
        epilogue(j, r, rows, n0, nr, acc);
    }
}

void ck_q8_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const int8_t *packed, const float *scales, const float *bias, float *c, ptrdiff_t ldc,
                  int activation, int accumulate) {
    if (m <= 0 || n <= 0) return;
    const int kp = round_up2(k);
    int16_t *q = ck_aligned_alloc((size_t)m * kp * sizeof(int16_t) + (size_t)m * sizeof(float));
    float *ascale = (float *)(q + (size_t)m * kp); /* m·kp is even: 4-byte aligned */
    const int avx2 = path != CK_PATH_SCALAR && ck_path_available(CK_PATH_AVX2);
    const int threaded = pool && ck_pool_threads(pool) > 1 && 2.0 * m * n * k >= 4e5;
    quantize_job quantize = {.m = m, .k = k, .avx2 = avx2, .a = a, .lda = lda, .q = q, .scale = ascale};
    const int quantize_tasks = (m + Q8_MR - 1) / Q8_MR;
    if (threaded && quantize_tasks > 1) {
        ck_pool_run(pool, quantize_tasks, quantize_task, &quantize);
    } else {
        for (int t = 0; t < quantize_tasks; t++) quantize_task(&quantize, t, 0);
    }
    q8_job job = {
        .m = m, .n = n, .k = k, .kp = kp, .panels = (n + CK_Q8_PANEL - 1) / CK_Q8_PANEL,
        .row_blocks = (m + Q8_ROW_BLOCK - 1) / Q8_ROW_BLOCK, .activation = activation,
        .accumulate = accumulate, .q = q, .ascale = ascale, .packed = packed,
        .scales = scales, .bias = bias, .c = c, .ldc = ldc, .avx2 = avx2,
    };
    const int tasks = job.panels * job.row_blocks;
    if (threaded) {
        ck_pool_run(pool, tasks, q8_task, &job);
    } else {
        for (int t = 0; t < tasks; t++) q8_task(&job, t, 0);
    }
    ck_aligned_free(q);
}
