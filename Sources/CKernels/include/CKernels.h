#ifndef CKERNELS_H
#define CKERNELS_H
/* ISA-specific micro-kernels with run-time CPU dispatch. Pure C; no Swift knowledge. */

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

#endif
