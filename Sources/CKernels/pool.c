/* A persistent worker pool: threads are created once; between jobs they spin ~2 ms with
 * sched_yield (a fork-join then costs ~1 µs), then sleep on a condition variable (waking costs
 * 30–55 µs on a VM). One caller owns the pool at a time; a concurrent caller runs its tasks
 * inline, so every kernel is safe to call from several threads.
 *
 * Workers *join* a job through one atomic word, and the caller waits only for the workers that
 * joined: a worker that is preempted (the other core busy) before it joins never holds the caller
 * up, so under contention a job costs at most what the caller alone would take. The word packs
 * the job's generation (high 32 bits), an OPEN flag and the number of joined workers; joining is a
 * CAS that succeeds only while the job is open, and the caller closes the job with a CAS only when
 * no worker is inside, so no worker can read the fields of a job being prepared. */
#define _GNU_SOURCE
#include "ck_internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };
static const long SPIN_NANOSECONDS = 2000000;
#define JOB_OPEN ((uint64_t)1 << 31)
#define JOB_ACTIVE_MASK (JOB_OPEN - 1)

struct ck_pool {
    atomic_int busy;          /* 1 while a caller owns the pool */
    _Atomic uint64_t job;     /* generation << 32 | OPEN | workers inside the job */
    atomic_int next_task;
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
    unsigned seen; /* the generation when it was created: it may join every later job */
} worker_arg;

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static unsigned generation_of(uint64_t job) { return (unsigned)(job >> 32); }

static void run_tasks(ck_pool *pool, int thread) {
    for (;;) {
        const int task = atomic_fetch_add_explicit(&pool->next_task, 1, memory_order_relaxed);
        if (task >= pool->count) return;
        pool->fn(pool->ctx, task, thread);
    }
}

/* Waits for a generation other than `seen`: spin first, then sleep. */
static unsigned await_job(ck_pool *pool, unsigned seen) {
    unsigned g = generation_of(atomic_load_explicit(&pool->job, memory_order_acquire));
    if (g != seen) return g;
    const long deadline = now_ns() + SPIN_NANOSECONDS;
    for (int i = 0;; i++) {
        g = generation_of(atomic_load_explicit(&pool->job, memory_order_acquire));
        if (g != seen) return g;
        if ((i & 63) == 63 && now_ns() > deadline) break;
        sched_yield();
    }
    pthread_mutex_lock(&pool->mutex);
    atomic_fetch_add(&pool->sleepers, 1);
    while ((g = generation_of(atomic_load(&pool->job))) == seen) pthread_cond_wait(&pool->wake, &pool->mutex);
    atomic_fetch_sub(&pool->sleepers, 1);
    pthread_mutex_unlock(&pool->mutex);
    return g;
}

/* Enters job `g` if it is still open; false when it has closed (or a later one began). */
static int join_job(ck_pool *pool, unsigned g) {
    uint64_t job = atomic_load(&pool->job);
    for (;;) {
        if (generation_of(job) != g || !(job & JOB_OPEN)) return 0;
        if (atomic_compare_exchange_weak(&pool->job, &job, job + 1)) return 1;
    }
}

static void *worker_main(void *raw) {
    worker_arg arg = *(worker_arg *)raw;
    free(raw);
    ck_pool *pool = arg.pool;
    unsigned seen = arg.seen;
    for (;;) {
        seen = await_job(pool, seen);
        if (!join_job(pool, seen)) continue;  /* too late: the caller finished without us */
        if (arg.index <= pool->participants) run_tasks(pool, arg.index);
        atomic_fetch_sub(&pool->job, 1);
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
        arg->seen = generation_of(atomic_load(&pool->job));
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
    /* The previous job is closed: no worker is inside it or can enter it, so the fields are ours. */
    pool->participants = threads - 1 < pool->workers ? threads - 1 : pool->workers;
    pool->count = count;
    pool->fn = fn;
    pool->ctx = ctx;
    atomic_store_explicit(&pool->next_task, 0, memory_order_relaxed);
    const unsigned g = generation_of(atomic_load(&pool->job)) + 1;
    atomic_store(&pool->job, ((uint64_t)g << 32) | JOB_OPEN); /* seq_cst: pairs with the sleepers check */
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->mutex);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->mutex);
    }
    run_tasks(pool, 0);
    /* Every task is claimed; close the job once the workers inside it have finished theirs. */
    uint64_t job = atomic_load(&pool->job);
    for (;;) {
        if ((job & JOB_ACTIVE_MASK) == 0) {
            if (atomic_compare_exchange_weak(&pool->job, &job, job & ~JOB_OPEN)) break;
            continue;
        }
        sched_yield();
        job = atomic_load(&pool->job);
    }
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
    atomic_store(&pool->job, (uint64_t)generation_of(atomic_load(&pool->job)) << 32); /* closed, empty */
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
    ck_keep_freed_activations();
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
