/* int8 linear layers (see CKernelsInt8.h): per-channel 8-bit weights, u8 activations quantised per
 * row or per tensor (int8_activations.c), int32 accumulation. Pairs weights: a portable tile and an
 * AVX2 tile (`vpmaddwd`) on the centred int16 activations. Quads weights: a portable tile and the
 * VNNI tile (`vpdpbusd`, int8_vnni.c) on the u8 activations, then the zero-point correction
 * Σ q·w − z·Σ w. Every tile computes the same integers; one epilogue dequantises. */
#include "ck_q8_internal.h"
#include "ck_internal.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define Q8_MR CK_Q8_MR
#ifndef Q8_ROW_BLOCK
#define Q8_ROW_BLOCK 60
#endif


typedef struct {
    int m, n, k, kp, panels, row_blocks, activation, accumulate;
    const void *q; /* int16 centred pairs, or u8 quads (ck_q8_quantize_tiles) */
    const float *ascale;
    const int32_t *zero;   /* quads: each row's zero point */
    const int8_t *packed;
    const float *scales, *bias;
    float *c;
    ptrdiff_t ldc;
    int avx2;
    /* quads */
    ck_q8_vnni_tile_fn tile;
    const int32_t *sums;
    int column_blocks;
    int avx512; /* the AVX-512 epilogue (with the zero-point correction) */
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
            else c[jj] = ck_activate(v, j->activation);
        }
    }
}

static void tile_scalar(const q8_job *j, int r0, int rows, int p, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
    const int8_t *panel = j->packed + (ptrdiff_t)p * j->kp * CK_Q8_PANEL;
    memset(acc, 0, sizeof(int32_t) * Q8_MR * CK_Q8_PANEL);
    for (int r = 0; r < rows; r++) {
        const int16_t *a = (const int16_t *)j->q + (ptrdiff_t)r0 * j->kp + 2 * r; /* the tile's layout, see ck_q8_quantize_tiles */
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
    const int16_t *a = (const int16_t *)j->q + (ptrdiff_t)r0 * j->kp; /* pairs of the tile's rows, group by group */
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

static void dequantize(const q8_job *j, int r0, int rows, int n0, int nr, int32_t acc[Q8_MR][CK_Q8_PANEL]) {
#if defined(__x86_64__)
    if (j->avx2) {
        epilogue_avx2(j, r0, rows, n0, nr, acc);
        return;
    }
#endif
    epilogue(j, r0, rows, n0, nr, acc);
}

/* Pairs: one task is rows [b·60, b·60 + 60) × one panel. */
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
        if (j->avx2) tile_avx2(j, r, rows, p, acc);
        else
#endif
            tile_scalar(j, r, rows, p, acc);
        dequantize(j, r, rows, n0, nr, acc);
    }
}

/* The portable quads tile, the naive twin of the VNNI one (same arguments, same integers). */
static void vnni_tile_portable(int rows, int vectors, int quads, const uint8_t *a, ptrdiff_t lda,
                               const int8_t *panels, ptrdiff_t panel_stride, int32_t *out) {
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vectors; v++)
            for (int jj = 0; jj < CK_Q8_PANEL; jj++) {
                int32_t s = 0;
                for (int g = 0; g < quads; g++)
                    for (int b = 0; b < 4; b++)
                        s += (int32_t)a[r * lda + (ptrdiff_t)g * 4 + b]
                           * panels[v * panel_stride + (ptrdiff_t)g * 64 + jj * 4 + b];
                out[r * CK_Q8_VNNI_COLUMNS + v * CK_Q8_PANEL + jj] = s;
            }
}

ck_q8_vnni_tile_fn ck_q8_vnni_portable_tile(void) { return vnni_tile_portable; }

/* Quads: one task is rows [b·60, b·60 + 60) × a block of 4 panels (64 channels), whose weights stay
 * in L2 across the block's row tiles. */
static void q8_quads_task(void *ctx, int task, int thread) {
    (void)thread;
    const q8_job *j = ctx;
    const int cb = task % j->column_blocks, block = task / j->column_blocks;
    const int p0 = cb * 4, vectors = j->panels - p0 < 4 ? j->panels - p0 : 4;
    const int m0 = block * Q8_ROW_BLOCK, m1 = m0 + Q8_ROW_BLOCK < j->m ? m0 + Q8_ROW_BLOCK : j->m;
    const int kq = ck_q8_round_up4(j->k);
    const ptrdiff_t panel_bytes = (ptrdiff_t)kq * CK_Q8_PANEL;
    int32_t out[Q8_MR * CK_Q8_VNNI_COLUMNS] __attribute__((aligned(64)));
    int32_t acc[Q8_MR][CK_Q8_PANEL];
    for (int r = m0; r < m1; r += Q8_MR) {
        const int rows = m1 - r < Q8_MR ? m1 - r : Q8_MR;
        const int n0 = p0 * CK_Q8_PANEL, nr = j->n - n0 < CK_Q8_VNNI_COLUMNS ? j->n - n0 : CK_Q8_VNNI_COLUMNS;
        j->tile(rows, vectors, kq / 4, (const uint8_t *)j->q + (ptrdiff_t)r * kq, kq, j->packed + p0 * panel_bytes,
                panel_bytes, out);
        if (j->avx512) {
            ck_q8_vnni_epilogue_avx512(out, rows, nr, j->zero + r, j->sums + n0, j->ascale + r, j->scales + n0,
                                       j->bias ? j->bias + n0 : NULL, j->c + (ptrdiff_t)r * j->ldc + n0, j->ldc,
                                       j->activation, j->accumulate);
            continue;
        }
        for (int v = 0; v < vectors; v++) {
            const int v0 = n0 + v * CK_Q8_PANEL, vr = j->n - v0 < CK_Q8_PANEL ? j->n - v0 : CK_Q8_PANEL;
            for (int rr = 0; rr < rows; rr++) {
                const int32_t z = j->zero[r + rr];
                for (int jj = 0; jj < CK_Q8_PANEL; jj++)
                    acc[rr][jj] = out[rr * CK_Q8_VNNI_COLUMNS + v * CK_Q8_PANEL + jj] - z * j->sums[v0 + jj];
            }
            dequantize(j, r, rows, v0, vr, acc);
        }
    }
}

static void q8_linear(ck_q8_vnni_tile_fn tile, ck_pool *pool, int path, int quantization, int layout, int m, int n,
                      int k, const float *a, ptrdiff_t lda, const int8_t *packed, const float *scales,
                      const float *bias, float *c, ptrdiff_t ldc, int activation, int accumulate) {
    if (m <= 0 || n <= 0) return;
    const int quads = layout == CK_Q8_QUADS;
    const int kp = ck_q8_round_up2(k), row_bytes = quads ? ck_q8_round_up4(k) : kp * (int)sizeof(int16_t);
    /* The activations, then the scales and zero points (offsets multiples of 4). */
    const size_t qbytes = ((size_t)m * row_bytes + 3) & ~(size_t)3;
    char *buffer = ck_aligned_alloc(qbytes + (size_t)m * (sizeof(float) + sizeof(int32_t)));
    float *ascale = (float *)(buffer + qbytes);
    int32_t *zero = (int32_t *)(ascale + m);
    const int avx2 = path != CK_PATH_SCALAR && ck_path_available(CK_PATH_AVX2);
    const int threaded = pool && ck_pool_threads(pool) > 1 && 2.0 * m * n * k >= 4e5;
    ck_q8_quantize_tiles(pool, threaded, avx2, quantization, layout, m, k, a, lda, buffer, ascale, zero);
    q8_job job = {
        .m = m, .n = n, .k = k, .kp = kp, .panels = (n + CK_Q8_PANEL - 1) / CK_Q8_PANEL,
        .row_blocks = (m + Q8_ROW_BLOCK - 1) / Q8_ROW_BLOCK, .activation = activation,
        .accumulate = accumulate, .q = buffer, .ascale = ascale, .zero = zero, .packed = packed,
        .scales = scales, .bias = bias, .c = c, .ldc = ldc, .avx2 = avx2,
    };
    void (*task)(void *, int, int) = q8_task;
    int tasks = job.panels * job.row_blocks;
    if (quads) {
        job.tile = tile;
        job.sums = ck_q8_row_sums(n, k, packed);
        job.avx512 = path >= CK_PATH_AVX512 && ck_q8_vnni_epilogue_available();
        job.column_blocks = (job.panels + 3) / 4;
        task = q8_quads_task;
        tasks = job.column_blocks * job.row_blocks;
    }
    if (threaded) {
        ck_pool_run(pool, tasks, task, &job);
    } else {
        for (int t = 0; t < tasks; t++) task(&job, t, 0);
    }
    ck_aligned_free(buffer);
}

void ck_q8_linear(ck_pool *pool, int path, int quantization, int layout, int m, int n, int k, const float *a,
                  ptrdiff_t lda, const int8_t *packed, const float *scales, const float *bias, float *c,
                  ptrdiff_t ldc, int activation, int accumulate) {
    ck_q8_vnni_tile_fn tile = NULL;
    if (layout == CK_Q8_QUADS) {
        tile = path >= CK_PATH_AVX512 ? ck_q8_vnni_native_tile() : NULL;
        if (!tile) tile = vnni_tile_portable;
    }
    q8_linear(tile, pool, path, quantization, layout, m, n, k, a, lda, packed, scales, bias, c, ldc, activation,
              accumulate);
}

void ck_q8_linear_with_tile(ck_q8_vnni_tile_fn tile, ck_pool *pool, int path, int quantization, int m, int n, int k,
                            const float *a, ptrdiff_t lda, const int8_t *packed, const float *scales,
                            const float *bias, float *c, ptrdiff_t ldc, int activation, int accumulate) {
    q8_linear(tile, pool, path, quantization, CK_Q8_QUADS, m, n, k, a, lda, packed, scales, bias, c, ldc, activation,
              accumulate);
}
