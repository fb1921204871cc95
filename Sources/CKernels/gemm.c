/* GEMM drivers: weight packing, cache blocking around the per-ISA tiles, and the split of a
 * product into pool tasks. Blocking: K in blocks small enough that a panel block stays in L1
 * (`ops.kc_max`), rows in chunks whose A block is ~256 KiB (L2), every panel of the chunk, then
 * the ISA's row tiles over that panel. */
#include "ck_internal.h"
#include <string.h>

enum { A_BLOCK_BYTES = 256 * 1024 };

size_t ck_packed_count(int n, int k) {
    return (size_t)((n + CK_PANEL - 1) / CK_PANEL) * (size_t)k * CK_PANEL;
}

/* Columns [n0, n0 + 32) of the transposed `w` (element (j, kk) at w[j·stride_n + kk·stride_k]) into
 * one panel: the one place that knows the panel layout (`ck_pack_panel` and both weight packers). */
CK_INLINE void pack_panel_strided(const float *w, ptrdiff_t stride_n, ptrdiff_t stride_k, int n, int k, int n0,
                                  float *panel) {
    enum { H = CK_PANEL / 2 };
    const int width = n - n0 < CK_PANEL ? n - n0 : CK_PANEL;
    if (width < CK_PANEL) memset(panel, 0, sizeof(float) * (size_t)k * CK_PANEL);
    /* 8 × 8 blocks keep both the reads and the writes within a few cache lines. */
    for (int k0 = 0; k0 < k; k0 += 8) {
        const int kb = k - k0 < 8 ? k - k0 : 8;
        for (int j = 0; j < width; j++) {
            const float *src = w + (ptrdiff_t)(n0 + j) * stride_n + (ptrdiff_t)k0 * stride_k;
            float *dst = panel + (ptrdiff_t)(j / H) * k * H + (ptrdiff_t)k0 * H + j % H;
            for (int kk = 0; kk < kb; kk++) dst[kk * H] = src[kk * stride_k];
        }
    }
}

void ck_pack_panel(const float *w, ptrdiff_t ldw, int n, int k, int n0, float *panel) {
    pack_panel_strided(w, ldw, 1, n, k, n0, panel);
}

void ck_pack_weights_strided(const float *w, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k, float *packed) {
    for (int n0 = 0; n0 < n; n0 += CK_PANEL)
        pack_panel_strided(w, stride_n, stride_k, n, k, n0, packed + (ptrdiff_t)(n0 / CK_PANEL) * k * CK_PANEL);
}

void ck_pack_weights(const float *w, int n, int k, float *packed) {
    ck_pack_weights_strided(w, n, k, k, 1, packed);
}

/* One tile of ROWS rows: sequential writes, the reads walk ROWS row streams. */
CK_INLINE void pack_tile(const int ROWS, int kc, const float *src, ptrdiff_t lda, float *tile) {
    for (int kk = 0; kk < kc; kk++, tile += ROWS)
        for (int r = 0; r < ROWS; r++) tile[r] = src[r * lda + kk];
}

void ck_pack_a(const ck_ops *ops, int m, int kc, const float *a, ptrdiff_t lda, float *dst) {
    CK_FOR_ROW_TILES(m, ops->mr, row, rows) {
        float *tile = dst + (ptrdiff_t)row * kc;
        const float *src = a + (ptrdiff_t)row * lda;
        if (ops->pack_tile) {
            ops->pack_tile(rows, kc, src, lda, tile);
            continue;
        }
        switch (rows) { /* constant row counts unroll the inner loop */
        case 14: pack_tile(14, kc, src, lda, tile); break;
        case 13: pack_tile(13, kc, src, lda, tile); break;
        case 12: pack_tile(12, kc, src, lda, tile); break;
        case 6: pack_tile(6, kc, src, lda, tile); break;
        case 5: pack_tile(5, kc, src, lda, tile); break;
        case 4: pack_tile(4, kc, src, lda, tile); break;
        default:
            for (int kk = 0; kk < kc; kk++, tile += rows)
                for (int r = 0; r < rows; r++) tile[r] = src[r * lda + kk];
        }
    }
}

void ck_pack_rows_for_test(int path, int portable, int m, int kc, const float *a, ptrdiff_t lda, float *dst) {
    ck_ops ops = *ck_ops_for(path);
    if (portable) ops.pack_tile = NULL;
    ck_pack_a(&ops, m, kc, a, lda, dst);
}

typedef struct {
    int kblocks, kc_base, mc_max;
} blocking;

static blocking blocking_for(const ck_ops *ops, int m, int k) {
    blocking b;
    /* A few rows (a short text at batch 1) are bound by streaming the weights: one K block walks
     * each packed panel front to back, a single sequential stream, where K blocks would hop. */
    b.kblocks = k <= 0 || m <= 2 * ops->mr ? 1 : (k + ops->kc_max - 1) / ops->kc_max;
    b.kc_base = k <= 0 ? 0 : (k + b.kblocks - 1) / b.kblocks;
    int mc = b.kc_base > 0 ? A_BLOCK_BYTES / (b.kc_base * (int)sizeof(float)) : m;
    mc = mc < ops->mr ? ops->mr : mc - mc % ops->mr;
    b.mc_max = mc > m ? m : mc;
    return b;
}

typedef struct {
    const ck_ops *ops;
    blocking bl;
    int m, k, chunks;
    const float *a;
    ptrdiff_t lda;
    float *packed;
} pack_a_job;

/* One (K block, row chunk) of `ck_pack_a_all`. */
static void pack_a_task(void *ctx, int task, int thread) {
    (void)thread;
    const pack_a_job *j = ctx;
    const int kb = task / j->chunks, m0 = task % j->chunks * j->bl.mc_max;
    const int k0 = kb * j->bl.kc_base;
    const int kc = j->k - k0 < j->bl.kc_base ? j->k - k0 : j->bl.kc_base;
    const int mc = j->m - m0 < j->bl.mc_max ? j->m - m0 : j->bl.mc_max;
    ck_pack_a(j->ops, mc, kc, j->a + (ptrdiff_t)m0 * j->lda + k0, j->lda,
              j->packed + (ptrdiff_t)k0 * j->m + (ptrdiff_t)m0 * kc);
}

float *ck_pack_a_all(ck_pool *pool, const ck_ops *ops, int m, int k, const float *a, ptrdiff_t lda) {
    pack_a_job job = {.ops = ops, .bl = blocking_for(ops, m, k), .m = m, .k = k, .a = a, .lda = lda};
    job.packed = ck_aligned_alloc(sizeof(float) * (size_t)m * (size_t)(k > 0 ? k : 1));
    job.chunks = (m + job.bl.mc_max - 1) / job.bl.mc_max;
    const int tasks = job.bl.kblocks * job.chunks;
    /* The other threads would wait while the caller packs a tall A alone: share it. */
    if (pool && ck_pool_threads(pool) > 1 && tasks > 1 && (size_t)m * (size_t)k >= 64 * 1024) {
        ck_pool_run(pool, tasks, pack_a_task, &job);
    } else {
        for (int t = 0; t < tasks; t++) pack_a_task(&job, t, 0);
    }
    return job.packed;
}

/* The weight block that follows panel p's block [k0, k0 + kc) in `ck_gemm_serial`'s loop order
 * (panels within a row chunk, then row chunks, then K blocks), for the tiles to prefetch while
 * they compute: the next panel's, else panel 0's (the next chunk, or the next K block), else none.
 * A task that holds one or two panels of a long K thus streams every block warm, not only the
 * blocks whose successor is a panel of the same K block. */
static const float *next_block(const float *b, ptrdiff_t panel_stride, ptrdiff_t ldb, int p, int panels,
                               int more_chunks, int kb, int kblocks, int k0, int kc) {
    if (p + 1 < panels) return b + (p + 1) * panel_stride + (ptrdiff_t)k0 * ldb;
    if (more_chunks) return b + (ptrdiff_t)k0 * ldb;
    if (kb + 1 < kblocks) return b + (ptrdiff_t)(k0 + kc) * ldb;
    return NULL;
}

void ck_gemm_serial(const ck_ops *ops, int m, int n, int k, const float *a, ptrdiff_t lda,
                    const float *packed_all, const float *b, ptrdiff_t panel_stride, ptrdiff_t ldb,
                    ptrdiff_t half, const float *bias, float *c, ptrdiff_t ldc, int activation, int accumulate) {
    if (m <= 0 || n <= 0) return;
    const int panels = (n + CK_PANEL - 1) / CK_PANEL;
    const blocking bl = blocking_for(ops, m, k);
    float *chunk = packed_all ? NULL
                              : ck_aligned_alloc(sizeof(float) * (size_t)bl.mc_max * (size_t)(bl.kc_base > 0 ? bl.kc_base : 1));
    for (int k0 = 0, kb = 0; kb < bl.kblocks; kb++, k0 += bl.kc_base) {
        const int kc = k - k0 < bl.kc_base ? k - k0 : bl.kc_base;
        for (int m0 = 0; m0 < m; m0 += bl.mc_max) {
            const int mc = m - m0 < bl.mc_max ? m - m0 : bl.mc_max;
            const float *pa = chunk;
            if (packed_all) pa = packed_all + (ptrdiff_t)k0 * m + (ptrdiff_t)m0 * kc;
            else ck_pack_a(ops, mc, kc, a + (ptrdiff_t)m0 * lda + k0, lda, chunk);
            for (int p = 0; p < panels; p++) {
                const int nr = n - p * CK_PANEL < CK_PANEL ? n - p * CK_PANEL : CK_PANEL;
                const ck_epilogue ep = {
                    .bias = bias ? bias + p * CK_PANEL : NULL,
                    .activation = activation,
                    .load_c = kb > 0 || accumulate,
                    .last = kb == bl.kblocks - 1,
                    .prefetch = next_block(b, panel_stride, ldb, p, panels, m0 + mc < m, kb, bl.kblocks, k0, kc),
                };
                ops->panel(mc, nr, kc, pa, b + p * panel_stride + (ptrdiff_t)k0 * ldb, ldb, half,
                           c + (ptrdiff_t)m0 * ldc + p * CK_PANEL, ldc, &ep);
            }
        }
    }
    ck_aligned_free(chunk);
}

/* ---- Threaded linear: a grid of row ranges × panel ranges ------------------------------------ */

typedef struct {
    const ck_ops *ops;
    int m, n, k, row_tasks, panel_tasks, panels;
    const float *a, *packed_a, *packed, *bias;
    ptrdiff_t lda, ldc;
    float *c;
    int activation, accumulate;
} linear_job;

/* [lo, hi) of part `i` of `parts` over `count` items, in units of `unit`. */
static void split(int count, int parts, int i, int unit, int *lo, int *hi) {
    const int units = (count + unit - 1) / unit;
    const int u0 = (int)((long)units * i / parts), u1 = (int)((long)units * (i + 1) / parts);
    *lo = u0 * unit < count ? u0 * unit : count;
    *hi = u1 * unit < count ? u1 * unit : count;
}

static void linear_task(void *ctx, int task, int thread) {
    (void)thread;
    const linear_job *j = ctx;
    int m0, m1, p0, p1;
    split(j->m, j->row_tasks, task / j->panel_tasks, j->ops->mr, &m0, &m1);
    split(j->panels, j->panel_tasks, task % j->panel_tasks, 1, &p0, &p1);
    const int n0 = p0 * CK_PANEL, n1 = p1 * CK_PANEL < j->n ? p1 * CK_PANEL : j->n;
    if (m1 <= m0 || n1 <= n0) return;
    ck_gemm_serial(j->ops, m1 - m0, n1 - n0, j->k, j->a + m0 * j->lda, j->lda, j->packed_a,
                   j->packed + (ptrdiff_t)p0 * j->k * CK_PANEL, (ptrdiff_t)j->k * CK_PANEL, CK_PANEL / 2,
                   (ptrdiff_t)j->k * (CK_PANEL / 2), j->bias ? j->bias + n0 : NULL, j->c + m0 * j->ldc + n0, j->ldc, j->activation,
                   j->accumulate);
}

/* Tall inputs split rows (each task packs only its rows of A, and streams every panel); up to 512
 * rows split panels over one shared packed A, so each panel is read once per row chunk instead of
 * once per task. About 3 tasks per thread balance a core that another process is using. */
static void task_grid(int m, int panels, int mr, int threads, int *row_tasks, int *panel_tasks) {
    const int want = threads * 3;
    const int row_tiles = (m + mr - 1) / mr;
    if (m > 512 && row_tiles >= want) {
        *row_tasks = want;
        *panel_tasks = 1;
    } else {
        /* Panel tasks share one packed A, so smaller ones cost nothing but a hand-out: 8 a thread
         * keep the wait for the last one short. */
        const int panel_want = threads * 8;
        *row_tasks = 1;
        *panel_tasks = panels < panel_want ? panels : panel_want;
    }
}

void ck_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
               const float *packed, const float *bias, float *c, ptrdiff_t ldc, int activation,
               int accumulate) {
    const ck_ops *ops = ck_ops_for(path);
    const int threads = pool ? ck_pool_threads(pool) : 1;
    const double flops = 2.0 * m * n * k;
    if (threads <= 1 || flops < 4e5) {
        ck_gemm_serial(ops, m, n, k, a, lda, NULL, packed, (ptrdiff_t)k * CK_PANEL, CK_PANEL / 2,
                       (ptrdiff_t)k * (CK_PANEL / 2), bias, c, ldc, activation, accumulate);
        return;
    }
    linear_job job = {
        .ops = ops, .m = m, .n = n, .k = k, .panels = (n + CK_PANEL - 1) / CK_PANEL,
        .a = a, .packed = packed, .bias = bias, .lda = lda, .ldc = ldc, .c = c,
        .activation = activation, .accumulate = accumulate,
    };
    task_grid(m, job.panels, ops->mr, threads, &job.row_tasks, &job.panel_tasks);
    float *packed_a = job.row_tasks == 1 ? ck_pack_a_all(pool, ops, m, k, a, lda) : NULL;
    job.packed_a = packed_a;
    ck_pool_run(pool, job.row_tasks * job.panel_tasks, linear_task, &job);
    ck_aligned_free(packed_a);
}
