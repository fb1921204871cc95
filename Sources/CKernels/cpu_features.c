#include "ck_internal.h"
#include <sys/mman.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

unsigned ckernels_cpu_features(void) {
    unsigned features = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) features |= CKERNELS_ISA_AVX2_FMA;
    if (__builtin_cpu_supports("avx512f")) features |= CKERNELS_ISA_AVX512F;
    if (__builtin_cpu_supports("avx512bf16")) features |= CKERNELS_ISA_AVX512_BF16;
    if (__builtin_cpu_supports("avx512vnni")) features |= CKERNELS_ISA_AVX512_VNNI;
#elif defined(__aarch64__)
    features |= CKERNELS_ISA_NEON;
#endif
    return features;
}

int ck_path_available(int path) {
    const unsigned features = ckernels_cpu_features();
    switch (path) {
    case CK_PATH_SCALAR: return 1;
#if defined(__x86_64__)
    case CK_PATH_AVX2: return (features & CKERNELS_ISA_AVX2_FMA) != 0;
    case CK_PATH_AVX512: return (features & CKERNELS_ISA_AVX512F) != 0;
#endif
    default: (void)features; return 0;
    }
}

int ck_best_path(void) {
    static int best = -1;
    int path = __atomic_load_n(&best, __ATOMIC_RELAXED);
    if (path < 0) {
        path = ck_path_available(CK_PATH_AVX512) ? CK_PATH_AVX512
             : ck_path_available(CK_PATH_AVX2)   ? CK_PATH_AVX2
                                                 : CK_PATH_SCALAR;
        __atomic_store_n(&best, path, __ATOMIC_RELAXED);
    }
    return path;
}

const ck_ops *ck_ops_for(int path) {
    if (path > ck_best_path()) path = ck_best_path();
    switch (path) {
#if defined(__x86_64__)
    case CK_PATH_AVX512: return &ck_ops_avx512;
    case CK_PATH_AVX2: return &ck_ops_avx2;
#endif
    default: return &ck_ops_scalar;
    }
}

void *ck_aligned_alloc(size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes ? bytes : 64) != 0) abort(); /* out of memory, as Swift traps */
    return p;
}

void ck_aligned_free(void *p) { free(p); }

void *ck_weights_alloc(size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Only buffers of two huge pages or more: only whole 2 MiB pages are marked, so the tail stays
     * in 4 KiB pages and no huge page reaches past the buffer (the RSS stays the weights' size). */
    enum { HUGE = 2 << 20 };
    if (bytes >= 2 * (size_t)HUGE) {
        void *p = NULL;
        if (posix_memalign(&p, HUGE, bytes) != 0) abort(); /* out of memory, as Swift traps */
        madvise(p, bytes / HUGE * HUGE, MADV_HUGEPAGE);    /* advice: ignored where THP is off */
        return p;
    }
#endif
    return ck_aligned_alloc(bytes);
}

void ck_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
