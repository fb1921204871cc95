/* Benchmark probes: what this CPU does at most, for the benchmarks' "% of peak" figures. Register-only
 * loops of 12 independent accumulators (the peak at the clock the cores really run, boost included,
 * where /proc/cpuinfo reports the base clock) for fp32 FMA on ymm and on zmm, bf16 `vdpbf16ps` and
 * int8 `vpdpbusd` (zmm), and a streaming read (the DRAM bandwidth the weights of a batch-1 forward
 * are bound by), each split over the pool's threads. The dot-product loops are inline assembly, so
 * the compiler can neither fold a loop-invariant product nor merge chains. */
#include "ck_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef struct {
    long iterations;
    int tasks, avx2, kind;
    const float *data;
    size_t count;
    float sink[256];
} probe_job;

#if defined(__x86_64__)
/* 12 independent accumulators: enough to cover 2 pipes × 4-6 cycles of FMA latency. */
__attribute__((target("avx2,fma"))) static float fma_avx2(long n) {
    __m256 acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps(0.001f * (float)i);
    const __m256 b = _mm256_set1_ps(0.9999f), c = _mm256_set1_ps(0.0001f);
    for (long i = 0; i < n; i++) {
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 12; j++) acc[j] = _mm256_fmadd_ps(acc[j], b, c);
    }
    __m256 s = acc[0];
    for (int j = 1; j < 12; j++) s = _mm256_add_ps(s, acc[j]);
    return _mm256_cvtss_f32(s);
}

/* 12 accumulators of one dot-product instruction `OP` on zmm registers, n iterations. */
#define CK_PROBE_ZMM_LOOP(OP)                                                                      \
    __asm__ volatile("vpxord %%zmm0, %%zmm0, %%zmm0\n\t"                                          \
                     "vmovaps %%zmm0, %%zmm1\n\tvmovaps %%zmm0, %%zmm2\n\tvmovaps %%zmm0, %%zmm3\n\t" \
                     "vmovaps %%zmm0, %%zmm4\n\tvmovaps %%zmm0, %%zmm5\n\tvmovaps %%zmm0, %%zmm6\n\t" \
                     "vmovaps %%zmm0, %%zmm7\n\tvmovaps %%zmm0, %%zmm8\n\tvmovaps %%zmm0, %%zmm9\n\t" \
                     "vmovaps %%zmm0, %%zmm10\n\tvmovaps %%zmm0, %%zmm11\n\t"                         \
                     "vpxord %%zmm12, %%zmm12, %%zmm12\n\tvpxord %%zmm13, %%zmm13, %%zmm13\n\t"       \
                     "1:\n\t"                                                                       \
                     OP " %%zmm12, %%zmm13, %%zmm0\n\t" OP " %%zmm12, %%zmm13, %%zmm1\n\t"           \
                     OP " %%zmm12, %%zmm13, %%zmm2\n\t" OP " %%zmm12, %%zmm13, %%zmm3\n\t"           \
                     OP " %%zmm12, %%zmm13, %%zmm4\n\t" OP " %%zmm12, %%zmm13, %%zmm5\n\t"           \
                     OP " %%zmm12, %%zmm13, %%zmm6\n\t" OP " %%zmm12, %%zmm13, %%zmm7\n\t"           \
                     OP " %%zmm12, %%zmm13, %%zmm8\n\t" OP " %%zmm12, %%zmm13, %%zmm9\n\t"           \
                     OP " %%zmm12, %%zmm13, %%zmm10\n\t" OP " %%zmm12, %%zmm13, %%zmm11\n\t"         \
                     "dec %0\n\tjnz 1b\n\t"                                                          \
                     : "+r"(n)                                                                     \
                     :                                                                             \
                     : "zmm0", "zmm1", "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7", "zmm8",     \
                       "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", "cc")

__attribute__((target("avx512f"))) static void fma_zmm(long n) { if (n > 0) CK_PROBE_ZMM_LOOP("vfmadd231ps"); }
__attribute__((target("avx512f,avx512bf16"))) static void bf16_zmm(long n) { if (n > 0) CK_PROBE_ZMM_LOOP("vdpbf16ps"); }
__attribute__((target("avx512f,avx512vnni"))) static void vnni_zmm(long n) { if (n > 0) CK_PROBE_ZMM_LOOP("vpdpbusd"); }

__attribute__((target("avx2"))) static float sum_avx2(const float *x, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + i));
        s1 = _mm256_add_ps(s1, _mm256_loadu_ps(x + i + 8));
        s2 = _mm256_add_ps(s2, _mm256_loadu_ps(x + i + 16));
        s3 = _mm256_add_ps(s3, _mm256_loadu_ps(x + i + 24));
    }
    float t = _mm256_cvtss_f32(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) t += x[i];
    return t;
}
#endif

static float fma_portable(long n) {
    float acc[32];
    for (int i = 0; i < 32; i++) acc[i] = 0.001f * (float)i;
    for (long i = 0; i < n; i++)
        for (int j = 0; j < 32; j++) acc[j] = acc[j] * 0.9999f + 0.0001f;
    float s = 0;
    for (int j = 0; j < 32; j++) s += acc[j];
    return s;
}

static float sum_portable(const float *x, size_t n) {
    float s[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++) s[l] += x[i + l];
    float t = 0;
    for (int l = 0; l < 8; l++) t += s[l];
    for (; i < n; i++) t += x[i];
    return t;
}

static void fma_task(void *ctx, int task, int thread) {
    (void)thread;
    probe_job *j = ctx;
    const long n = j->iterations / j->tasks;
#if defined(__x86_64__)
    switch (j->kind) {
    case CK_PROBE_FMA_ZMM: fma_zmm(n); return;
    case CK_PROBE_BF16_ZMM: bf16_zmm(n); return;
    case CK_PROBE_VNNI_ZMM: vnni_zmm(n); return;
    default: break;
    }
    if (j->avx2) { j->sink[task] = fma_avx2(n); return; }
#endif
    j->sink[task] = fma_portable(n);
}

static void sum_task(void *ctx, int task, int thread) {
    (void)thread;
    probe_job *j = ctx;
    const size_t lo = j->count * (size_t)task / (size_t)j->tasks, hi = j->count * (size_t)(task + 1) / (size_t)j->tasks;
#if defined(__x86_64__)
    if (j->avx2) { j->sink[task] = sum_avx2(j->data + lo, hi - lo); return; }
#endif
    j->sink[task] = sum_portable(j->data + lo, hi - lo);
}

static int probe_tasks(ck_pool *pool) {
    const int threads = pool ? ck_pool_threads(pool) : 1;
    return threads < 256 ? threads : 256;
}

int ck_probe_available(int kind) {
    const unsigned f = ckernels_cpu_features();
    switch (kind) {
    case CK_PROBE_FMA_YMM: return (f & CKERNELS_ISA_AVX2_FMA) != 0;
    case CK_PROBE_FMA_ZMM: return (f & CKERNELS_ISA_AVX512F) != 0;
    case CK_PROBE_BF16_ZMM: return (f & CKERNELS_ISA_AVX512F) && (f & CKERNELS_ISA_AVX512_BF16);
    case CK_PROBE_VNNI_ZMM: return (f & CKERNELS_ISA_AVX512F) && (f & CKERNELS_ISA_AVX512_VNNI);
    default: return 0;
    }
}

/* Operations one iteration does: 12 instructions × lanes × operations a lane. */
static double operations_per_iteration(int kind, int avx2) {
    switch (kind) {
    case CK_PROBE_FMA_ZMM: return 12 * 16 * 2;  /* 16 fp32 lanes, multiply + add */
    case CK_PROBE_BF16_ZMM: return 12 * 16 * 4; /* 16 lanes, 2 bf16 products and 2 adds */
    case CK_PROBE_VNNI_ZMM: return 12 * 16 * 8; /* 16 lanes, 4 u8·s8 products and 4 adds */
    default: return avx2 ? 12 * 8 * 2 : 32 * 2;
    }
}

double ck_probe_dot(ck_pool *pool, int kind, long iterations) {
    if (kind != CK_PROBE_PORTABLE && !ck_probe_available(kind)) return 0;
    probe_job job = {.tasks = probe_tasks(pool), .avx2 = kind == CK_PROBE_FMA_YMM, .kind = kind};
    job.iterations = iterations / job.tasks * job.tasks;
    if (job.tasks > 1) ck_pool_run(pool, job.tasks, fma_task, &job);
    else fma_task(&job, 0, 0);
    volatile float keep = job.sink[0];
    (void)keep;
    return (double)job.iterations * operations_per_iteration(kind, job.avx2);
}

double ck_probe_fma(ck_pool *pool, int path, long iterations) {
    int kind = CK_PROBE_PORTABLE;
    if (path >= CK_PATH_AVX512 && ck_probe_available(CK_PROBE_FMA_ZMM)) kind = CK_PROBE_FMA_ZMM;
    else if (path >= CK_PATH_AVX2 && ck_probe_available(CK_PROBE_FMA_YMM)) kind = CK_PROBE_FMA_YMM;
    return ck_probe_dot(pool, kind, iterations);
}

float ck_probe_sum(ck_pool *pool, int path, const float *data, size_t count) {
    probe_job job = {.tasks = probe_tasks(pool), .avx2 = path != CK_PATH_SCALAR && ck_path_available(CK_PATH_AVX2),
                     .data = data, .count = count};
    if (job.tasks > 1) ck_pool_run(pool, job.tasks, sum_task, &job);
    else sum_task(&job, 0, 0);
    float total = 0;
    for (int t = 0; t < job.tasks; t++) total += job.sink[t];
    return total;
}
