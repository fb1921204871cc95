/* int8 linear layers (see CKernelsInt8.h): per-channel 7-bit weights, per-row u8 activations,
 * int32 accumulation. A portable tile and an AVX2 tile (`vpmaddubsw` + `vpmaddwd`) compute the
 * same integers; the epilogue dequantises. */
#include "CKernelsInt8.h"
#include "ck_internal.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define Q8_MR 4
#define Q8_WMAX 63.0f
#define Q8_ROW_BLOCK 64

static int round_up4(int k) { return (k + 3) & ~3; }

size_t ck_q8_packed_bytes(int n, int k) {
    return (size_t)((n + CK_Q8_PANEL - 1) / CK_Q8_PANEL) * (size_t)round_up4(k) * CK_Q8_PANEL;
}

void ck_q8_pack_weights(const float *w, int n, int k, int8_t *packed, float *scales, int32_t *sums) {
    const int kp = round_up4(k);
    memset(packed, 0, ck_q8_packed_bytes(n, k));
    for (int j = 0; j < n; j++) {
        const float *row = w + (ptrdiff_t)j * k;
        float amax = 0;
        for (int kk = 0; kk < k; kk++) amax = fmaxf(amax, fabsf(row[kk]));
        const float scale = amax > 0 ? amax / Q8_WMAX : 1.0f;
        int8_t *panel = packed + (ptrdiff_t)(j / CK_Q8_PANEL) * kp * CK_Q8_PANEL;
        const int lane = j % CK_Q8_PANEL;
        int32_t sum = 0;
        for (int kk = 0; kk < k; kk++) {
            int q = (int)lrintf(row[kk] / scale);
            q = q > 63 ? 63 : (q < -63 ? -63 : q);
            panel[(kk / 4) * CK_Q8_PANEL * 4 + lane * 4 + kk % 4] = (int8_t)q;
            sum += q;
        }
        scales[j] = scale;
        sums[j] = sum;
    }
}

void ck_q8_quantize_rows(int m, int k, const float *a, ptrdiff_t lda, uint8_t *q, float *scale, int32_t *zp) {
    const int kp = round_up4(k);
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
        uint8_t *out = q + (ptrdiff_t)r * kp;
        for (int kk = 0; kk < k; kk++) {
            int v = (int)lrintf(x[kk] * inv) + z;
            out[kk] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
        for (int kk = k; kk < kp; kk++) out[kk] = 0;
        scale[r] = s;
        zp[r] = z;
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
    const uint8_t *q;
    const float *ascale;
    const int32_t *azp;
    const int8_t *packed;
    const float *scales, *bias;
    const int32_t *sums;
    float *c;
    ptrdiff_t ldc;
    int avx2;
} q8_job;

/* Dequantises acc[rows][16] of rows r0… and columns n0… (nr valid) into c. */
static void epilogue(const q8_job *j, int r0, int rows, int n0, int nr, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    for (int r = 0; r < rows; r++) {
        float *c = j->c + (ptrdiff_t)(r0 + r) * j->ldc + n0;
        const float sa = j->ascale[r0 + r];
        const int32_t z = j->azp[r0 + r];
        for (int jj = 0; jj < nr; jj++) {
            float v = sa * j->scales[n0 + jj] * (float)(acc[r][jj] - z * j->sums[n0 + jj]);
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
        const uint8_t *a = j->q + (ptrdiff_t)(r0 + r) * j->kp;
        for (int g = 0; g < j->kp / 4; g++) {
            const int8_t *w = panel + g * CK_Q8_PANEL * 4;
            for (int jj = 0; jj < CK_Q8_PANEL; jj++)
                for (int b = 0; b < 4; b++) acc[r][jj] += (int32_t)a[4 * g + b] * w[jj * 4 + b];
        }
    }
}

#if defined(__x86_64__)
#define T256 __attribute__((target("avx2,fma")))
#define I256 static inline __attribute__((always_inline, target("avx2,fma")))

I256 __m256i dot4(__m256i a, __m256i w, __m256i ones) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(a, w), ones);
}

/* The 4 × 16 tile, rows as a constant so accumulators stay in registers. */
I256 void tile_avx2_rows(const q8_job *j, int r0, int rows, int p, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    const int8_t *panel = j->packed + (ptrdiff_t)p * j->kp * CK_Q8_PANEL;
    const uint8_t *a0 = j->q + (ptrdiff_t)r0 * j->kp;
    const ptrdiff_t s = j->kp;
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const int groups = j->kp / 4;
    for (int g = 0; g < groups; g++) {
        const __m256i w0 = _mm256_load_si256((const __m256i *)(panel + g * 64));
        const __m256i w1 = _mm256_load_si256((const __m256i *)(panel + g * 64 + 32));
        int32_t v;
        memcpy(&v, a0 + 4 * g, 4);
        __m256i a = _mm256_set1_epi32(v);
        c00 = _mm256_add_epi32(c00, dot4(a, w0, ones));
        c01 = _mm256_add_epi32(c01, dot4(a, w1, ones));
        if (rows > 1) {
            memcpy(&v, a0 + s + 4 * g, 4);
            a = _mm256_set1_epi32(v);
            c10 = _mm256_add_epi32(c10, dot4(a, w0, ones));
            c11 = _mm256_add_epi32(c11, dot4(a, w1, ones));
        }
        if (rows > 2) {
            memcpy(&v, a0 + 2 * s + 4 * g, 4);
            a = _mm256_set1_epi32(v);
            c20 = _mm256_add_epi32(c20, dot4(a, w0, ones));
            c21 = _mm256_add_epi32(c21, dot4(a, w1, ones));
        }
        if (rows > 3) {
            memcpy(&v, a0 + 3 * s + 4 * g, 4);
            a = _mm256_set1_epi32(v);
            c30 = _mm256_add_epi32(c30, dot4(a, w0, ones));
            c31 = _mm256_add_epi32(c31, dot4(a, w1, ones));
        }
    }
    _mm256_storeu_si256((__m256i *)acc[0], c00);
    _mm256_storeu_si256((__m256i *)(acc[0] + 8), c01);
    _mm256_storeu_si256((__m256i *)acc[1], c10);
    _mm256_storeu_si256((__m256i *)(acc[1] + 8), c11);
    _mm256_storeu_si256((__m256i *)acc[2], c20);
    _mm256_storeu_si256((__m256i *)(acc[2] + 8), c21);
    _mm256_storeu_si256((__m256i *)acc[3], c30);
    _mm256_storeu_si256((__m256i *)(acc[3] + 8), c31);
}

T256 static void tile_avx2(const q8_job *j, int r0, int rows, int p, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    switch (rows) {
    case 4: tile_avx2_rows(j, r0, 4, p, acc); break;
    case 3: tile_avx2_rows(j, r0, 3, p, acc); break;
    case 2: tile_avx2_rows(j, r0, 2, p, acc); break;
    default: tile_avx2_rows(j, r0, 1, p, acc); break;
    }
}

/* exp(x) for the quick-GELU epilogue (Cephes-style range reduction, degree-5 polynomial). */
I256 __m256 exp_q8(__m256 x) {
    x = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(88.0f)), _mm256_set1_ps(-87.0f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

T256 static void epilogue_avx2(const q8_job *j, int r0, int rows, int n0, int nr, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    if (nr < CK_Q8_PANEL || j->activation == CK_ACT_GELU) {
        epilogue(j, r0, rows, n0, nr, acc);
        return;
    }
    for (int r = 0; r < rows; r++) {
        float *c = j->c + (ptrdiff_t)(r0 + r) * j->ldc + n0;
        const __m256 sa = _mm256_set1_ps(j->ascale[r0 + r]);
        const __m256i z = _mm256_set1_epi32(j->azp[r0 + r]);
        for (int h = 0; h < CK_Q8_PANEL; h += 8) {
            __m256i corrected = _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(acc[r] + h)),
                                                 _mm256_mullo_epi32(z, _mm256_loadu_si256((const __m256i *)(j->sums + n0 + h))));
            __m256 v = _mm256_mul_ps(_mm256_mul_ps(sa, _mm256_loadu_ps(j->scales + n0 + h)), _mm256_cvtepi32_ps(corrected));
            if (j->bias) v = _mm256_add_ps(v, _mm256_loadu_ps(j->bias + n0 + h));
            if (j->accumulate) {
                v = _mm256_add_ps(v, _mm256_loadu_ps(c + h));
            } else if (j->activation == CK_ACT_QUICK_GELU) {
                __m256 e = exp_q8(_mm256_mul_ps(v, _mm256_set1_ps(-1.702f)));
                v = _mm256_div_ps(v, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
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

void ck_q8_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const int8_t *packed, const float *scales, const int32_t *sums, const float *bias,
                  float *c, ptrdiff_t ldc, int activation, int accumulate) {
    if (m <= 0 || n <= 0) return;
    const int kp = round_up4(k);
    uint8_t *q = ck_aligned_alloc((size_t)m * kp + (size_t)m * 8);
    float *ascale = (float *)(q + (size_t)m * kp);
    int32_t *azp = (int32_t *)(ascale + m);
    /* (m·kp is a multiple of 4, so the scale and zero-point arrays are aligned.) */
    ck_q8_quantize_rows(m, k, a, lda, q, ascale, azp);
    q8_job job = {
        .m = m, .n = n, .k = k, .kp = kp, .panels = (n + CK_Q8_PANEL - 1) / CK_Q8_PANEL,
        .row_blocks = (m + Q8_ROW_BLOCK - 1) / Q8_ROW_BLOCK, .activation = activation,
        .accumulate = accumulate, .q = q, .ascale = ascale, .azp = azp, .packed = packed,
        .scales = scales, .bias = bias, .sums = sums, .c = c, .ldc = ldc,
        .avx2 = path != CK_PATH_SCALAR && ck_path_available(CK_PATH_AVX2),
    };
    const int tasks = job.panels * job.row_blocks;
    if (pool && ck_pool_threads(pool) > 1 && 2.0 * m * n * k >= 4e5) {
        ck_pool_run(pool, tasks, q8_task, &job);
    } else {
        for (int t = 0; t < tasks; t++) q8_task(&job, t, 0);
    }
    ck_aligned_free(q);
}
