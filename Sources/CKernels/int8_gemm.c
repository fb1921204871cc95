/* int8 linear layers (see CKernelsInt8.h): per-channel 8-bit weights, u8 activations quantised per
 * row or per tensor (int8_activations.c, stored centred as int16), int32 accumulation. A portable
 * tile and an AVX2 tile (`vpmaddwd`) compute the same integers; the epilogue dequantises. */
#include "ck_q8_internal.h"
#include "ck_internal.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define Q8_MR CK_Q8_MR
#define Q8_ROW_BLOCK 60

#define round_up2 ck_q8_round_up2

size_t ck_q8_packed_bytes(int n, int k) {
    return (size_t)((n + CK_Q8_PANEL - 1) / CK_Q8_PANEL) * (size_t)round_up2(k) * CK_Q8_PANEL;
}

void ck_q8_pack_quantized(const int8_t *q, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k, int8_t *packed) {
    const int kp = round_up2(k);
    memset(packed, 0, ck_q8_packed_bytes(n, k));
    for (int n0 = 0; n0 < n; n0 += CK_Q8_PANEL) {
        int8_t *panel = packed + (ptrdiff_t)(n0 / CK_Q8_PANEL) * kp * CK_Q8_PANEL;
        const int width = n - n0 < CK_Q8_PANEL ? n - n0 : CK_Q8_PANEL;
        for (int kk = 0; kk < k; kk++) {
            const int8_t *src = q + (ptrdiff_t)n0 * stride_n + (ptrdiff_t)kk * stride_k;
            int8_t *dst = panel + (kk / 2) * CK_Q8_PANEL * 2 + kk % 2;
            for (int j = 0; j < width; j++) dst[j * 2] = src[(ptrdiff_t)j * stride_n];
        }
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

/* Dequantises acc[rows][16] of rows r0… and columns n0… (nr valid) into c: (a_scale · w_scale) ·
 * float(acc), then + bias, then the activation or the residual — for per-tensor inputs, the order of
 * onnxruntime's `Mul(Cast(MatMulInteger), Mul(x_scale, w_scale))`, `Add(bias)`, `Add(residual)`. */
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
        const int16_t *a = j->q + (ptrdiff_t)r0 * j->kp + 2 * r; /* the tile's layout, see ck_q8_quantize_tiles */
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

void ck_q8_linear(ck_pool *pool, int path, int quantization, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const int8_t *packed, const float *scales, const float *bias, float *c, ptrdiff_t ldc,
                  int activation, int accumulate) {
    if (m <= 0 || n <= 0) return;
    const int kp = round_up2(k);
    int16_t *q = ck_aligned_alloc((size_t)m * kp * sizeof(int16_t) + (size_t)m * sizeof(float));
    float *ascale = (float *)(q + (size_t)m * kp); /* m·kp is even: 4-byte aligned */
    const int avx2 = path != CK_PATH_SCALAR && ck_path_available(CK_PATH_AVX2);
    const int threaded = pool && ck_pool_threads(pool) > 1 && 2.0 * m * n * k >= 4e5;
    ck_q8_quantize_tiles(pool, threaded, avx2, quantization, m, k, a, lda, q, ascale);
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
