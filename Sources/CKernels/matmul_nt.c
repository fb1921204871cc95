/* a · bᵀ with b in row-major [n, k] (embeddings against embeddings): few rows of a take dot
 * products straight from b's rows (memory-bound scans); more rows pack chunks of b into panels
 * on the fly and run the GEMM tiles. Tasks split b's rows. */
#include "ck_internal.h"

enum { DOT_ROWS_MAX = 4, DOT_CHUNK = 64 };

typedef struct {
    const ck_ops *ops;
    int m, n, k, tasks, chunk_panels;
    const float *a, *b, *packed_a;
    ptrdiff_t lda, ldb, ldc;
    float *c;
} nt_job;

static void nt_dots_task(void *ctx, int task, int thread) {
    (void)thread;
    const nt_job *j = ctx;
    const int chunks = (j->n + DOT_CHUNK - 1) / DOT_CHUNK;
    const int c0 = (int)((long)chunks * task / j->tasks), c1 = (int)((long)chunks * (task + 1) / j->tasks);
    for (int ch = c0; ch < c1; ch++) {
        const int n0 = ch * DOT_CHUNK, nb = j->n - n0 < DOT_CHUNK ? j->n - n0 : DOT_CHUNK;
        for (int i = 0; i < j->m; i++)
            j->ops->dots(j->a + i * j->lda, j->b + n0 * j->ldb, j->ldb, nb, j->k, j->c + i * j->ldc + n0);
    }
}

static void nt_gemm_task(void *ctx, int task, int thread) {
    (void)thread;
    const nt_job *j = ctx;
    const int panels = (j->n + CK_PANEL - 1) / CK_PANEL;
    const int chunks = (panels + j->chunk_panels - 1) / j->chunk_panels;
    const int c0 = (int)((long)chunks * task / j->tasks), c1 = (int)((long)chunks * (task + 1) / j->tasks);
    if (c0 >= c1) return;
    const ptrdiff_t panel_floats = (ptrdiff_t)j->k * CK_PANEL;
    float *buffer = ck_aligned_alloc(sizeof(float) * (size_t)(panel_floats * j->chunk_panels));
    for (int ch = c0; ch < c1; ch++) {
        const int n0 = ch * j->chunk_panels * CK_PANEL;
        const int n1 = n0 + j->chunk_panels * CK_PANEL < j->n ? n0 + j->chunk_panels * CK_PANEL : j->n;
        for (int p0 = n0; p0 < n1; p0 += CK_PANEL)
            ck_pack_panel(j->b, j->ldb, j->n, j->k, p0, buffer + (p0 - n0) / CK_PANEL * panel_floats);
        ck_gemm_serial(j->ops, j->m, n1 - n0, j->k, j->a, j->lda, j->packed_a, buffer, panel_floats, CK_PANEL / 2,
                       (ptrdiff_t)j->k * (CK_PANEL / 2), NULL, j->c + n0, j->ldc, CK_ACT_IDENTITY, 0);
    }
    ck_aligned_free(buffer);
}

void ck_matmul_nt(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const float *b, ptrdiff_t ldb, float *c, ptrdiff_t ldc) {
    if (m <= 0 || n <= 0) return;
    const ck_ops *ops = ck_ops_for(path);
    const int threads = pool ? ck_pool_threads(pool) : 1;
    const double flops = 2.0 * m * n * k;
    nt_job job = {.ops = ops, .m = m, .n = n, .k = k, .a = a, .b = b, .lda = lda, .ldb = ldb, .ldc = ldc, .c = c};
    const int parallel = threads > 1 && flops >= 4e5;
    if (m <= DOT_ROWS_MAX) {
        const int chunks = (n + DOT_CHUNK - 1) / DOT_CHUNK;
        job.tasks = parallel ? (chunks < threads * 4 ? chunks : threads * 4) : 1;
        if (job.tasks > 1) ck_pool_run(pool, job.tasks, nt_dots_task, &job);
        else nt_dots_task(&job, 0, 0);
        return;
    }
    /* Packed chunk of b: ~128 KiB for few rows of a, ~1 MiB when a is tall enough to reuse it. */
    const size_t target = m > 256 ? 1024 * 1024 : 128 * 1024;
    int cp = (int)(target / (sizeof(float) * CK_PANEL * (size_t)(k > 0 ? k : 1)));
    const int panels = (n + CK_PANEL - 1) / CK_PANEL;
    if (cp < 1) cp = 1;
    if (parallel && cp * threads > panels) cp = (panels + threads - 1) / threads;
    if (cp < 1) cp = 1;
    job.chunk_panels = cp;
    const int chunks = (panels + cp - 1) / cp;
    job.tasks = parallel ? (chunks < threads * 4 ? chunks : threads * 4) : 1;
    float *packed_a = ck_pack_a_all(parallel ? pool : NULL, ops, m, k, a, lda);
    job.packed_a = packed_a;
    if (job.tasks > 1) ck_pool_run(pool, job.tasks, nt_gemm_task, &job);
    else nt_gemm_task(&job, 0, 0);
    ck_aligned_free(packed_a);
}
