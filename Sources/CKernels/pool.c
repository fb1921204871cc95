/* A persistent worker pool: threads are created once; between jobs they spin ~2 ms with
 * sched_yield (a fork-join then costs ~1 µs), then sleep on a condition variable (waking costs
 * 30–55 µs on a VM). One caller owns the pool at a time; a concurrent caller runs its tasks
 * inline, so every kernel is safe to call from several threads. */
#define _GNU_SOURCE
#include "ck_internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };
static const long SPIN_NANOSECONDS = 2000000;

struct ck_pool {
    atomic_int busy;          /* 1 while a caller owns the pool */
    atomic_uint generation;   /* bumped once per job */
    atomic_int next_task;
    atomic_int pending;       /* workers that have not yet finished (or skipped) the job */
    atomic_int sleepers;
    atomic_int threads;       /* participants per job, the caller included */
    int workers;              /* worker threads created so far */
    int participants;         /* workers taking part in the current job */
    int count;
    ck_task_fn fn;
    void *ctx;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
};

typedef struct {
    ck_pool *pool;
    int index;     /* 1-based; the caller is thread 0 */
    unsigned seen; /* the generation when it was created: it joins every later job */
} worker_arg;

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void run_tasks(ck_pool *pool, int thread) {
    for (;;) {
        const int task = atomic_fetch_add_explicit(&pool->next_task, 1, memory_order_relaxed);
        if (task >= pool->count) return;
        pool->fn(pool->ctx, task, thread);
    }
}

/* Waits for a generation other than `seen`: spin first, then sleep. */
static unsigned await_job(ck_pool *pool, unsigned seen) {
    unsigned g = atomic_load_explicit(&pool->generation, memory_order_acquire);
    if (g != seen) return g;
    const long deadline = now_ns() + SPIN_NANOSECONDS;
    for (int i = 0;; i++) {
        g = atomic_load_explicit(&pool->generation, memory_order_acquire);
        if (g != seen) return g;
        if ((i & 63) == 63 && now_ns() > deadline) break;
        sched_yield();
    }
    pthread_mutex_lock(&pool->mutex);
    atomic_fetch_add(&pool->sleepers, 1);
    while ((g = atomic_load(&pool->generation)) == seen) pthread_cond_wait(&pool->wake, &pool->mutex);
    atomic_fetch_sub(&pool->sleepers, 1);
    pthread_mutex_unlock(&pool->mutex);
    return g;
}

static void *worker_main(void *raw) {
    worker_arg arg = *(worker_arg *)raw;
    free(raw);
    ck_pool *pool = arg.pool;
    unsigned seen = arg.seen;
    for (;;) {
        seen = await_job(pool, seen);
        /* Every worker acknowledges every job, so none can see a later job's fields early. */
        if (arg.index <= pool->participants) run_tasks(pool, arg.index);
        atomic_fetch_sub_explicit(&pool->pending, 1, memory_order_release);
    }
    return NULL;
}

/* Creates workers up to `threads - 1`; called only by the owner, between jobs. */
static void grow(ck_pool *pool, int threads) {
    while (pool->workers < threads - 1) {
        worker_arg *arg = malloc(sizeof *arg);
        if (!arg) abort();
        arg->pool = pool;
        arg->index = pool->workers + 1;
        arg->seen = atomic_load(&pool->generation);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        const int failed = pthread_create(&thread, &attr, worker_main, arg);
        pthread_attr_destroy(&attr);
        if (failed) { /* run with the workers we have */
            free(arg);
            atomic_store(&pool->threads, pool->workers + 1);
            return;
        }
        pool->workers++;
    }
}

void ck_pool_run(ck_pool *pool, int count, ck_task_fn fn, void *ctx) {
    int expected = 0;
    if (!pool || count <= 1 || atomic_load(&pool->threads) <= 1 ||
        !atomic_compare_exchange_strong(&pool->busy, &expected, 1)) {
        for (int task = 0; task < count; task++) fn(ctx, task, 0);
        return;
    }
    const int threads = atomic_load(&pool->threads);
    grow(pool, threads);
    pool->participants = threads - 1 < pool->workers ? threads - 1 : pool->workers;
    pool->count = count;
    pool->fn = fn;
    pool->ctx = ctx;
    atomic_store_explicit(&pool->next_task, 0, memory_order_relaxed);
    atomic_store_explicit(&pool->pending, pool->workers, memory_order_relaxed);
    atomic_fetch_add(&pool->generation, 1); /* seq_cst: pairs with the sleepers check below */
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->mutex);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->mutex);
    }
    run_tasks(pool, 0);
    while (atomic_load_explicit(&pool->pending, memory_order_acquire) > 0) sched_yield();
    atomic_store_explicit(&pool->busy, 0, memory_order_release);
}

int ck_default_thread_count(void) {
    const char *env = getenv("FASHIONCLIP_THREADS");
    if (env && *env) {
        char *end = NULL;
        const long n = strtol(env, &end, 10);
        if (end && *end == 0 && n > 0) return n > MAX_THREADS ? MAX_THREADS : (int)n;
    }
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return n > MAX_THREADS ? MAX_THREADS : n;
    }
#endif
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static ck_pool *shared_pool;

/* A forked child has none of the parent's workers: start it with an empty pool. */
static void reset_in_child(void) {
    ck_pool *pool = shared_pool;
    if (!pool) return;
    pool->workers = 0;
    atomic_store(&pool->busy, 0);
    atomic_store(&pool->sleepers, 0);
    pthread_mutex_init(&pool->mutex, NULL);
    pthread_cond_init(&pool->wake, NULL);
}

static void create_shared_pool(void) {
    ck_pool *pool = calloc(1, sizeof *pool);
    if (!pool) abort();
    pthread_mutex_init(&pool->mutex, NULL);
    pthread_cond_init(&pool->wake, NULL);
    atomic_store(&pool->threads, ck_default_thread_count());
    shared_pool = pool;
    pthread_atfork(NULL, NULL, reset_in_child);
}

ck_pool *ck_default_pool(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, create_shared_pool);
    return shared_pool;
}

void ck_pool_set_threads(ck_pool *pool, int n) {
    atomic_store(&pool->threads, n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n);
}

int ck_pool_threads(const ck_pool *pool) { return atomic_load(&((ck_pool *)pool)->threads); }
