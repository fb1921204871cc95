#include "ck_internal.h"
#include <sys/mman.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdint.h>
#include <string.h>
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

#if defined(__linux__) && defined(MADV_HUGEPAGE)
enum { HUGE_PAGE = 2 << 20 };
/* Buffers of two huge pages or more get a mapping of their own (not the malloc heap, whose 2 MiB
 * alignment gaps other allocations would then fill and touch). */
static int weights_mapped(size_t bytes) { return bytes >= 2 * (size_t)HUGE_PAGE; }
static size_t page_rounded(size_t bytes) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (bytes + page - 1) / page * page;
}
#endif

void *ck_weights_alloc(size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (weights_mapped(bytes)) {
        /* Over-map by 2 MiB, keep the 2 MiB-aligned part and unmap the rest. Only whole 2 MiB pages are
         * marked, so the tail stays in 4 KiB pages and no huge page reaches past the buffer. */
        const size_t length = page_rounded(bytes), span = length + HUGE_PAGE;
        char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) abort(); /* out of memory, as Swift traps */
        char *p = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
        const size_t head = (size_t)(p - raw), tail = span - head - length;
        if (head) munmap(raw, head);
        if (tail) munmap(p + length, tail);
        madvise(p, bytes / HUGE_PAGE * HUGE_PAGE, MADV_HUGEPAGE); /* advice: ignored where THP is off */
        return p;
    }
#endif
    return ck_aligned_alloc(bytes);
}

void ck_weights_free(void *p, size_t bytes) {
    if (!p) return;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (weights_mapped(bytes)) {
        munmap(p, page_rounded(bytes));
        return;
    }
#endif
    ck_aligned_free(p);
}

void ck_keep_freed_activations(void) {
#if defined(__GLIBC__)
    /* A forward allocates and frees each layer's activations (0.1-20 MB). glibc maps blocks above
     * its mmap threshold on their own and trims the heap top above its trim threshold, so every
     * forward faulted ~11 MB of fresh zeroed pages per image (287 K faults in 4 s of image-b1, 11 %
     * of its time on Zen 4). Raising both keeps freed blocks in the heap for the next layer; blocks
     * above 32 MB (a catalog matrix) are still mapped on their own, and `ck_release_free_memory`
     * still returns the heap's free pages after a load. Settings given through GLIBC_TUNABLES win. */
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables && strstr(tunables, "glibc.malloc.")) return;
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}

void ck_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
