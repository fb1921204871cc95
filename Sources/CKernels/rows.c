/* Row-wise kernels (layer norm, softmax, L2 normalisation) split over the pool by row ranges. */
#include "ck_internal.h"

enum { ROW_KERNEL_PARALLEL_MIN = 32 * 1024 }; /* elements; below this a fork-join costs more */

typedef enum { ROWS_LAYER_NORM, ROWS_SOFTMAX, ROWS_L2 } rows_kind;

typedef struct {
    const ck_ops *ops;
    rows_kind kind;
    int rows, n, tasks;
    const float *x, *weight, *bias;
    float epsilon;
    float *y;
} rows_job;

static void rows_task(void *ctx, int task, int thread) {
    (void)thread;
    const rows_job *j = ctx;
    const int r0 = (int)((long)j->rows * task / j->tasks), r1 = (int)((long)j->rows * (task + 1) / j->tasks);
    for (int r = r0; r < r1; r++) {
        const float *x = j->x + (ptrdiff_t)r * j->n;
        float *y = j->y + (ptrdiff_t)r * j->n;
        switch (j->kind) {
        case ROWS_LAYER_NORM: j->ops->layer_norm_row(x, j->n, j->weight, j->bias, j->epsilon, y); break;
        case ROWS_SOFTMAX: j->ops->softmax_row(x, j->n, 1.0f, y); break;
        case ROWS_L2: j->ops->l2_row(x, j->n, y); break;
        }
    }
}

static void run_rows(ck_pool *pool, rows_job *job) {
    if (job->rows <= 0 || job->n <= 0) return;
    const int threads = pool ? ck_pool_threads(pool) : 1;
    const long elements = (long)job->rows * job->n;
    job->tasks = 1;
    if (threads > 1 && elements >= ROW_KERNEL_PARALLEL_MIN)
        job->tasks = job->rows < threads * 2 ? job->rows : threads * 2;
    if (job->tasks > 1) ck_pool_run(pool, job->tasks, rows_task, job);
    else rows_task(job, 0, 0);
}

void ck_layer_norm(ck_pool *pool, int path, int rows, int n, const float *x, const float *weight,
                   const float *bias, float epsilon, float *y) {
    rows_job job = {.ops = ck_ops_for(path), .kind = ROWS_LAYER_NORM, .rows = rows, .n = n, .x = x,
                    .weight = weight, .bias = bias, .epsilon = epsilon, .y = y};
    run_rows(pool, &job);
}

void ck_softmax_rows(ck_pool *pool, int path, int rows, int n, const float *x, float *y) {
    rows_job job = {.ops = ck_ops_for(path), .kind = ROWS_SOFTMAX, .rows = rows, .n = n, .x = x, .y = y};
    run_rows(pool, &job);
}

void ck_l2_normalize_rows(ck_pool *pool, int path, int rows, int n, const float *x, float *y) {
    rows_job job = {.ops = ck_ops_for(path), .kind = ROWS_L2, .rows = rows, .n = n, .x = x, .y = y};
    run_rows(pool, &job);
}
