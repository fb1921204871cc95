/* Multi-head self-attention on the GEMM tiles: per (sequence, head), pack Kᵀ into panels,
 * scores = Q · Kᵀ, masked scaled softmax per row, out = P · V (V read in place when the head
 * dimension is a multiple of the panel width). Tasks split the batch × heads pairs. With query
 * positions, each (sequence, head) computes the one query row asked for (a tower's last layer,
 * whose output is read at the pooled token only). */
#include "ck_internal.h"
#include <math.h>
#include <string.h>

typedef struct {
    const ck_ops *ops;
    int batch, seq, heads, head_dim, causal, tasks;
    const float *qkv;
    const int *query_positions; /* one per sequence, or NULL for every position */
    float *out;
} attention_job;

/* Packs v [rows, width] (row stride ldv) into row-major panels of 32 columns, zero-padded
 * (ldb = 32, half = 16). */
static void pack_rows(const float *v, ptrdiff_t ldv, int rows, int width, float *panels) {
    const int count = (width + CK_PANEL - 1) / CK_PANEL;
    for (int p = 0; p < count; p++) {
        const int w = width - p * CK_PANEL < CK_PANEL ? width - p * CK_PANEL : CK_PANEL;
        float *panel = panels + (ptrdiff_t)p * rows * CK_PANEL;
        for (int r = 0; r < rows; r++) {
            memcpy(panel + r * CK_PANEL, v + r * ldv + p * CK_PANEL, sizeof(float) * (size_t)w);
            memset(panel + r * CK_PANEL + w, 0, sizeof(float) * (size_t)(CK_PANEL - w));
        }
    }
}

static void attention_task(void *ctx, int task, int thread) {
    (void)thread;
    const attention_job *j = ctx;
    const int pairs = j->batch * j->heads;
    const int t0 = (int)((long)pairs * task / j->tasks), t1 = (int)((long)pairs * (task + 1) / j->tasks);
    if (t0 >= t1) return;
    const int s = j->seq, hd = j->head_dim, hidden = j->heads * hd;
    const ptrdiff_t stride = 3 * (ptrdiff_t)hidden;
    const int key_panels = (s + CK_PANEL - 1) / CK_PANEL, dim_panels = (hd + CK_PANEL - 1) / CK_PANEL;
    const int ld_scores = key_panels * CK_PANEL;
    const int v_in_place = hd % CK_PANEL == 0;
    const size_t kt_floats = (size_t)key_panels * hd * CK_PANEL;
    const int queries = j->query_positions ? 1 : s;
    const size_t score_floats = (size_t)queries * ld_scores;
    const size_t v_floats = v_in_place ? 0 : (size_t)dim_panels * s * CK_PANEL;
    float *scratch = ck_aligned_alloc(sizeof(float) * (kt_floats + score_floats + v_floats));
    float *kt = scratch, *scores = scratch + kt_floats, *vp = scores + score_floats;
    const float scale = 1.0f / sqrtf((float)hd);
    for (int t = t0; t < t1; t++) {
        const int b = t / j->heads, h = t % j->heads;
        const float *q = j->qkv + (ptrdiff_t)b * s * stride + (ptrdiff_t)h * hd;
        const float *k = q + hidden, *v = q + 2 * (ptrdiff_t)hidden;
        const int first = j->query_positions ? j->query_positions[b] : 0;
        for (int p = 0; p < key_panels; p++)
            ck_pack_panel(k, stride, s, hd, p * CK_PANEL, kt + (ptrdiff_t)p * hd * CK_PANEL);
        ck_gemm_serial(j->ops, queries, s, hd, q + (ptrdiff_t)first * stride, stride, NULL, kt, (ptrdiff_t)hd * CK_PANEL,
                       CK_PANEL / 2, (ptrdiff_t)hd * (CK_PANEL / 2), NULL, scores, ld_scores, CK_ACT_IDENTITY, 0);
        for (int r = 0; r < queries; r++) {
            float *row = scores + (ptrdiff_t)r * ld_scores;
            const int keys = j->causal ? first + r + 1 : s;
            j->ops->softmax_row(row, keys, scale, row);
            for (int c = keys; c < s; c++) row[c] = 0.0f;
        }
        const float *vb = v;
        ptrdiff_t panel_stride = CK_PANEL, ldb = stride;
        if (!v_in_place) {
            pack_rows(v, stride, s, hd, vp);
            vb = vp;
            panel_stride = (ptrdiff_t)s * CK_PANEL;
            ldb = CK_PANEL;
        }
        ck_gemm_serial(j->ops, queries, hd, s, scores, ld_scores, NULL, vb, panel_stride, ldb, CK_PANEL / 2, NULL,
                       j->out + (ptrdiff_t)b * queries * hidden + (ptrdiff_t)h * hd, hidden, CK_ACT_IDENTITY, 0);
    }
    ck_aligned_free(scratch);
}

void ck_attention(ck_pool *pool, int path, int batch, int seq, int heads, int head_dim,
                  const float *qkv, float *out, int causal) {
    ck_attention_rows(pool, path, batch, seq, heads, head_dim, qkv, NULL, out, causal);
}

void ck_attention_rows(ck_pool *pool, int path, int batch, int seq, int heads, int head_dim,
                       const float *qkv, const int *query_positions, float *out, int causal) {
    if (batch <= 0 || seq <= 0 || heads <= 0 || head_dim <= 0) return;
    attention_job job = {.ops = ck_ops_for(path), .batch = batch, .seq = seq, .heads = heads,
                         .head_dim = head_dim, .causal = causal, .qkv = qkv, .out = out,
                         .query_positions = query_positions};
    const int threads = pool ? ck_pool_threads(pool) : 1;
    const int pairs = batch * heads;
    const double flops = 4.0 * pairs * (query_positions ? 1 : seq) * seq * head_dim;
    job.tasks = 1;
    /* Up to 8 tasks a thread: 12 heads of one image as 8 tasks would leave half of them twice as long. */
    if (threads > 1 && flops >= 4e5) job.tasks = pairs < threads * 8 ? pairs : threads * 8;
    if (job.tasks > 1) ck_pool_run(pool, job.tasks, attention_task, &job);
    else attention_task(&job, 0, 0);
}
