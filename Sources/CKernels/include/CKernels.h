#ifndef CKERNELS_H
#define CKERNELS_H
/* ISA-specific micro-kernels with run-time CPU dispatch, and the worker pool that runs them.
 * Pure C; no Swift knowledge. All matrices are row-major fp32; `ld*` are row strides in floats. */

#include <stddef.h>

/* Bit set of instruction-set extensions this CPU supports, for dispatch and `fashionclip info`. */
enum ckernels_isa {
    CKERNELS_ISA_AVX2_FMA = 1 << 0,
    CKERNELS_ISA_AVX512F = 1 << 1,
    CKERNELS_ISA_AVX512_BF16 = 1 << 2,
    CKERNELS_ISA_AVX512_VNNI = 1 << 3,
    CKERNELS_ISA_NEON = 1 << 4,
};

/* The extensions supported by the running CPU (a combination of `enum ckernels_isa`). */
unsigned ckernels_cpu_features(void);

/* A code path: which family of micro-kernels runs. */
enum ck_path {
    CK_PATH_SCALAR = 0, /* portable C (auto-vectorised at the baseline ISA) */
    CK_PATH_AVX2 = 1,   /* AVX2 + FMA, 6×16 tiles */
    CK_PATH_AVX512 = 2, /* AVX-512F, 14×32 tiles */
};

/* The fastest path this CPU runs. */
int ck_best_path(void);
/* Whether `path` can run on this CPU. */
int ck_path_available(int path);

/* Element-wise activations of the GEMM epilogue. */
enum ck_activation {
    CK_ACT_IDENTITY = 0,
    CK_ACT_QUICK_GELU = 1, /* x · sigmoid(1.702 x) */
    CK_ACT_GELU = 2,       /* exact erf GELU */
};

/* ---- Packed weights ------------------------------------------------------------------------ */

/* Width of one packed panel (output features per panel). */
#define CK_PANEL 32

/* Floats needed to pack a [n, k] weight: ceil(n / 32) panels of 2 halves of k rows of 16 floats. */
size_t ck_packed_count(int n, int k);

/* Packs `w` [n, k] (PyTorch's [out, in]) into panels of two 16-column halves, each [k, 16]:
 * panel p, half h, row kk, lane j (at packed + (2p + h)·16k + 16kk + j) holds w[p·32 + 16h + j, kk],
 * zero beyond n. A half's rows are one contiguous 64-byte line each, so an AVX2 6×16 tile walks a
 * contiguous block that spreads over every L1 set, and an AVX-512 row reads one line per half.
 * `packed` holds `ck_packed_count(n, k)` floats, 64-byte aligned. */
void ck_pack_weights(const float *w, int n, int k, float *packed);

/* `ck_pack_weights` for a weight in any layout: element (j, kk) of output j and input kk is
 * w[j·stride_n + kk·stride_k], so [out, in] has (k, 1) and ONNX MatMul's B [in, out] has (1, n)
 * (packed without a transpose). */
void ck_pack_weights_strided(const float *w, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k, float *packed);

/* The index of the first NaN or infinity among x[0..<n], or -1 when all are finite. */
ptrdiff_t ck_first_non_finite(const float *x, size_t n);

/* Test hook: a[m, kc] (row stride lda) packed into row tiles as `path`'s GEMM packs its input
 * (`dst` holds m·kc floats); `portable` != 0 uses the portable packer on the same tiles, the twin
 * that an ISA's packer must match exactly. */
void ck_pack_rows_for_test(int path, int portable, int m, int kc, const float *a, ptrdiff_t lda, float *dst);

/* 64-byte aligned memory (aborts when out of memory, as Swift's allocations trap); free with
 * `ck_aligned_free`. */
void *ck_aligned_alloc(size_t bytes);
void ck_aligned_free(void *p);
/* Memory for packed weights, freed with `ck_weights_free(p, bytes)` (the same byte count): on Linux,
 * buffers of 4 MiB and more are a 2 MiB-aligned mapping of their own with their whole 2 MiB pages
 * marked for transparent huge pages, so that streaming the weights from DRAM walks one TLB entry per
 * 2 MiB instead of per 4 KiB. */
void *ck_weights_alloc(size_t bytes);
void ck_weights_free(void *p, size_t bytes);
/* Keeps freed blocks of up to 32 MB in the heap for reuse instead of unmapping and trimming them
 * (glibc's mmap and trim thresholds; nothing elsewhere, nor when GLIBC_TUNABLES sets malloc
 * tunables): called once when the shared pool is created. */
void ck_keep_freed_activations(void);
/* Returns the heap's free pages to the system (glibc keeps freed memory for reuse, resident, until
 * trimmed); nothing elsewhere. */
void ck_release_free_memory(void);

/* ---- Worker pool --------------------------------------------------------------------------- */

typedef struct ck_pool ck_pool;

/* The process-wide pool, created on first use with `ck_default_thread_count()` threads. */
ck_pool *ck_default_pool(void);
/* Threads a pool uses by default: FASHIONCLIP_THREADS if set to a positive integer, else the
 * number of CPUs this process may run on. */
int ck_default_thread_count(void);
/* Threads (the caller included) that jobs on `pool` use; `n` ≥ 1, workers are created lazily. */
void ck_pool_set_threads(ck_pool *pool, int n);
int ck_pool_threads(const ck_pool *pool);

/* Runs fn(ctx, task, thread) for every task in [0, count) across the pool, the caller taking
 * part, and returns when all are done. If another caller holds the pool, or `pool` is NULL,
 * every task runs on the calling thread. `thread` is in [0, threads) and unique among the
 * tasks running at one time. */
typedef void (*ck_task_fn)(void *ctx, int task, int thread);
void ck_pool_run(ck_pool *pool, int count, ck_task_fn fn, void *ctx);

/* ---- Benchmark probes ---------------------------------------------------------------------- */

/* The register-only probe loops: fp32 FMA (portable C, ymm, zmm), bf16 `vdpbf16ps` and int8
 * `vpdpbusd` on zmm. */
enum ck_probe {
    CK_PROBE_PORTABLE = 0,
    CK_PROBE_FMA_YMM = 1,
    CK_PROBE_FMA_ZMM = 2,
    CK_PROBE_BF16_ZMM = 3,
    CK_PROBE_VNNI_ZMM = 4,
};
/* Whether this CPU runs probe `kind`. */
int ck_probe_available(int kind);
/* Probe `kind` for `iterations` steps split over the pool's threads (the peak at the clock the cores
 * really run); returns the operations done (FLOPs; int8 multiply-adds count 2), 0 where the CPU
 * lacks the instruction. */
double ck_probe_dot(ck_pool *pool, int kind, long iterations);
/* The widest fp32 FMA loop of `path` (zmm on AVX-512, ymm on AVX2); returns the FLOPs done. */
double ck_probe_fma(ck_pool *pool, int path, long iterations);
/* The sum of data[0..<count], split over the pool's threads (a streaming read: DRAM bandwidth). */
float ck_probe_sum(ck_pool *pool, int path, const float *data, size_t count);

/* ---- Kernels (pool may be NULL: single thread) ----------------------------------------------- */

/* c[m, n] = act(a[m, k] · Wᵀ + bias) with W packed by `ck_pack_weights`; with `accumulate`,
 * c += a · Wᵀ + bias instead (activation must be identity). `bias` may be NULL. */
void ck_linear(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
               const float *packed, const float *bias, float *c, ptrdiff_t ldc, int activation,
               int accumulate);

/* c[m, n] = a[m, k] · b[n, k]ᵀ, packing b on the fly. */
void ck_matmul_nt(ck_pool *pool, int path, int m, int n, int k, const float *a, ptrdiff_t lda,
                  const float *b, ptrdiff_t ldb, float *c, ptrdiff_t ldc);

/* Layer norm of each row of x[rows, n] into y (may alias x). */
void ck_layer_norm(ck_pool *pool, int path, int rows, int n, const float *x, const float *weight,
                   const float *bias, float epsilon, float *y);

/* Softmax of each row of x[rows, n] into y (may alias x). */
void ck_softmax_rows(ck_pool *pool, int path, int rows, int n, const float *x, float *y);

/* Each row of x[rows, n] divided by its L2 norm into y (may alias x); zero rows stay zero. */
void ck_l2_normalize_rows(ck_pool *pool, int path, int rows, int n, const float *x, float *y);

/* Multi-head self-attention: qkv [batch·seq, 3·heads·head_dim] (rows q | k | v, heads contiguous)
 * → out [batch·seq, heads·head_dim]. Scores scaled by head_dim^-0.5; `causal` masks later keys. */
void ck_attention(ck_pool *pool, int path, int batch, int seq, int heads, int head_dim,
                  const float *qkv, float *out, int causal);

/* `ck_attention` for one query row per sequence: query_positions[b] (in 0..<seq) of sequence b
 * attends to the sequence's keys (those up to it when `causal`) → out [batch, heads·head_dim],
 * row b the same as row b·seq + query_positions[b] of `ck_attention`'s output. */
void ck_attention_rows(ck_pool *pool, int path, int batch, int seq, int heads, int head_dim,
                       const float *qkv, const int *query_positions, float *out, int causal);

/* int8 linear layers. */
#include "CKernelsInt8.h"
#include "CKernelsScan.h"
#include "CKernelsBF16.h"
/* Pillow's 8-bit resampler passes (image preprocessing). */
#include "CKernelsResample.h"

#endif
