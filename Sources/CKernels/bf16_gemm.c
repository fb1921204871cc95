/* bfloat16 linear layers (see CKernelsBF16.h): weight packing and rounding, the driver (activations
 * rounded to bf16 once per call, tasks of 64 channels × a block of rows on the pool), the portable
 * tile (the same fp32 sums in the same order as `vdpbf16ps`) and the portable epilogue. The native
 * tile, epilogue and rounding are in bf16_avx512.c. */
#include "ck_internal.h"
#include "ck_bf16_internal.h"
#include <math.h>
#include <string.h>

/* Rows per task: 16 row tiles, whose activations (96 × k bf16) stay in L2 while the task's weight
 * strip (64 channels × k) is read once per row tile, also from L2. */
#define BF16_ROW_BLOCK (16 * CK_BF16_MR)
#define BF16_COLUMNS CK_BF16_OUT_COLUMNS

static int round_up2(int k) { return (k + 1) & ~1; }

size_t ck_bf16_packed_count(int n, int k) {
    return (size_t)((n + CK_BF16_PANEL - 1) / CK_BF16_PANEL) * (size_t)round_up2(k) * CK_BF16_PANEL;
}

uint16_t ck_bf16_from_float(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    const uint32_t exponent = u & 0x7F800000u, mantissa = u & 0x007FFFFFu;
    if (exponent == 0) return (uint16_t)((u >> 16) & 0x8000u);          /* zero or denormal: ±0 */
    if (exponent == 0x7F800000u)                                        /* ±inf stays, NaN made quiet */
        return (uint16_t)((u >> 16) | (mantissa ? 0x0040u : 0));
    return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1)) >> 16);           /* nearest, ties to even */
}

/* bf16 bits as the fp32 they stand for (exact). */
static float bf16_to_float(uint16_t h) {
    const uint32_t u = (uint32_t)h << 16;
    float x;
    memcpy(&x, &u, 4);
    return x;
}

void ck_bf16_pack_weights_strided(const float *w, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k,
                                  uint16_t *packed) {
    const int pairs = round_up2(k) / 2;
    memset(packed, 0, ck_bf16_packed_count(n, k) * sizeof(uint16_t));
    for (int n0 = 0; n0 < n; n0 += CK_BF16_PANEL) {
        uint16_t *panel = packed + (ptrdiff_t)(n0 / CK_BF16_PANEL) * pairs * CK_BF16_PANEL * 2;
        const int width = n - n0 < CK_BF16_PANEL ? n - n0 : CK_BF16_PANEL;
        /* 16 × 16 blocks keep the reads of either layout and the writes within a few cache lines. */
        for (int k0 = 0; k0 < k; k0 += 16) {
            const int kb = k - k0 < 16 ? k - k0 : 16;
            for (int j = 0; j < width; j++) {
                const float *src = w + (ptrdiff_t)(n0 + j) * stride_n + (ptrdiff_t)k0 * stride_k;
                for (int kk = 0; kk < kb; kk++) {
                    const int e = k0 + kk;
                    panel[((e / 2) * CK_BF16_PANEL + j) * 2 + e % 2] = ck_bf16_from_float(src[kk * stride_k]);
                }
            }
        }
    }
}

/* The portable tile: per row, lane by lane over the 16·vectors channels (auto-vectorised), each pair's
 * odd product added first and then its even one, as `vdpbf16ps` adds them (the products of bf16
 * values are exact in fp32; denormal sums are not flushed here). */
static void portable_tile(int rows, int vectors, int pairs, const uint16_t *a, ptrdiff_t lda,
                          const uint16_t *panels, ptrdiff_t panel_stride, float *out) {
    for (int r = 0; r < rows; r++) {
        float *acc = out + r * BF16_COLUMNS;
        for (int c = 0; c < 16 * vectors; c++) acc[c] = 0.0f;
        for (int g = 0; g < pairs; g++) {
            const float a0 = bf16_to_float(a[r * lda + 2 * g]), a1 = bf16_to_float(a[r * lda + 2 * g + 1]);
            for (int v = 0; v < vectors; v++) {
                const uint16_t *w = panels + v * panel_stride + (ptrdiff_t)g * 32;
                float *s = acc + 16 * v;
                for (int j = 0; j < 16; j++) {
                    const float hi = a1 * bf16_to_float(w[2 * j + 1]), lo = a0 * bf16_to_float(w[2 * j]);
                    s[j] = (s[j] + hi) + lo;
                }
            }
        }
    }
}

ck_bf16_tile_fn ck_bf16_portable_tile(void) { return portable_tile; }

int ck_bf16_available(void) {
#if defined(__x86_64__)
    static int available = -1;
    int runs = __atomic_load_n(&available, __ATOMIC_RELAXED);
    if (runs < 0) {
        __builtin_cpu_init();
        runs = (ckernels_cpu_features() & CKERNELS_ISA_AVX512_BF16) && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
        __atomic_store_n(&available, runs, __ATOMIC_RELAXED);
    }
    return runs;
#else
    return 0;
#endif
}

static void portable_epilogue(int rows, int nr, const float *out, const float *bias, float *c, ptrdiff_t ldc,
                              int activation, int accumulate) {
    for (int r = 0; r < rows; r++) {
        float *row = c + (ptrdiff_t)r * ldc;
        for (int j = 0; j < nr; j++) {
            const float v = out[r * BF16_COLUMNS + j] + (bias ? bias[j] : 0.0f);
            row[j] = accumulate ? row[j] + v : ck_activate(v, activation);
        }
    }
}

typedef void (*epilogue_fn)(int rows, int nr, const float *out, const float *bias, float *c, ptrdiff_t ldc,
                            int activation, int accumulate);

typedef struct {
    ck_bf16_tile_fn tile;
    epilogue_fn epilogue;
    int m, n, k, kp, col_blocks, activation, accumulate, native_rounding;
    const float *a;
    ptrdiff_t lda, ldc;
    uint16_t *abf; /* a rounded to bf16: [m, kp], row-major, the tile's layout with lda = kp */
    const uint16_t *packed;
    const float *bias;
    float *c;
} bf16_job;

/* Rounds the rows of block `task` (BF16_ROW_BLOCK rows) of a to bf16, zero-padded to whole pairs. */
static void round_task(void *ctx, int task, int thread) {
    (void)thread;
    const bf16_job *j = ctx;
    const int m0 = task * BF16_ROW_BLOCK, rows = j->m - m0 < BF16_ROW_BLOCK ? j->m - m0 : BF16_ROW_BLOCK;
    const float *a = j->a + (ptrdiff_t)m0 * j->lda;
    uint16_t *dst = j->abf + (ptrdiff_t)m0 * j->kp;
#if defined(__x86_64__)
    if (j->native_rounding) {
        ck_bf16_convert_rows_avx512(rows, j->k, a, j->lda, dst, j->kp);
        return;
    }
#endif
    for (int r = 0; r < rows; r++) {
        for (int kk = 0; kk < j->k; kk++) dst[(ptrdiff_t)r * j->kp + kk] = ck_bf16_from_float(a[(ptrdiff_t)r * j->lda + kk]);
        if (j->kp > j->k) dst[(ptrdiff_t)r * j->kp + j->k] = 0;
    }
}

/* One task: the 64-channel column block task % col_blocks × the row block task / col_blocks, row
 * tile by row tile (balanced: 50 rows run as 6·5 + 5·4), so the column block's weight strip is
 * read from L2 after the first tile. Consecutive tasks share a row block's activations. */
static void linear_task(void *ctx, int task, int thread) {
    (void)thread;
    const bf16_job *j = ctx;
    const int cb = task % j->col_blocks, m0 = task / j->col_blocks * BF16_ROW_BLOCK;
    const int mb = j->m - m0 < BF16_ROW_BLOCK ? j->m - m0 : BF16_ROW_BLOCK;
    const int n0 = cb * BF16_COLUMNS, nr = j->n - n0 < BF16_COLUMNS ? j->n - n0 : BF16_COLUMNS;
    const int pairs = j->kp / 2, vectors = (nr + CK_BF16_PANEL - 1) / CK_BF16_PANEL;
    const ptrdiff_t panel_stride = (ptrdiff_t)pairs * CK_BF16_PANEL * 2;
    const uint16_t *panels = j->packed + (ptrdiff_t)(n0 / CK_BF16_PANEL) * panel_stride;
    _Alignas(64) float out[CK_BF16_MR * BF16_COLUMNS];
    CK_FOR_ROW_TILES(mb, CK_BF16_MR, row, rows) {
        const int r0 = m0 + row;
        j->tile(rows, vectors, pairs, j->abf + (ptrdiff_t)r0 * j->kp, j->kp, panels, panel_stride, out);
        j->epilogue(rows, nr, out, j->bias ? j->bias + n0 : NULL, j->c + (ptrdiff_t)r0 * j->ldc + n0, j->ldc,
                    j->activation, j->accumulate);
    }
}

void ck_bf16_linear_with_tile(ck_bf16_tile_fn tile, ck_pool *pool, int path, int m, int n, int k, const float *a,
                              ptrdiff_t lda, const uint16_t *packed, const float *bias, float *c, ptrdiff_t ldc,
                              int activation, int accumulate) {
    if (m <= 0 || n <= 0) return;
    const int kp = round_up2(k);
    const int vector = path >= CK_PATH_AVX512 && ck_path_available(CK_PATH_AVX512);
    bf16_job job = {
        .tile = tile ? tile : portable_tile, .epilogue = portable_epilogue, .m = m, .n = n, .k = k, .kp = kp,
        .col_blocks = (n + BF16_COLUMNS - 1) / BF16_COLUMNS, .activation = activation,
        .accumulate = accumulate, .native_rounding = vector && ck_bf16_available(), .a = a, .lda = lda, .ldc = ldc,
        .packed = packed, .bias = bias, .c = c,
    };
#if defined(__x86_64__)
    if (vector) job.epilogue = ck_bf16_epilogue_avx512;
#else
    (void)vector;
#endif
    job.abf = ck_aligned_alloc((size_t)m * (size_t)(kp > 0 ? kp : 1) * sizeof(uint16_t));
    const int threaded = pool && ck_pool_threads(pool) > 1 && 2.0 * m * n * k >= 4e5;
    const int row_blocks = (m + BF16_ROW_BLOCK - 1) / BF16_ROW_BLOCK, tasks = job.col_blocks * row_blocks;
    if (threaded) {
        ck_pool_run(pool, row_blocks, round_task, &job);
        ck_pool_run(pool, tasks, linear_task, &job);
    } else {
        for (int t = 0; t < row_blocks; t++) round_task(&job, t, 0);
        for (int t = 0; t < tasks; t++) linear_task(&job, t, 0);
    }
    ck_aligned_free(job.abf);
}

void ck_bf16_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                    const uint16_t *packed, const float *bias, float *c, ptrdiff_t ldc, int activation,
                    int accumulate) {
    const ck_bf16_tile_fn native = path >= CK_PATH_AVX512 ? ck_bf16_native_tile() : NULL;
    ck_bf16_linear_with_tile(native ? native : portable_tile, pool, path, m, n, k, a, lda, packed, bias, c, ldc,
                             activation, accumulate);
}
