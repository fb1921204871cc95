#include "CKernels.h"

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
