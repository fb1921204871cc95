/* A plain-C emulation of the AVX-512 types and instructions the BF16 tile uses (bf16_tile.h), each as
 * Intel's instruction reference defines it. The registers are GCC/Clang vector types (no
 * <immintrin.h>, no target attributes, so it runs on every CPU), which gives the tile's C casts of
 * __m512i to __m512bh their native meaning: the same 64 bytes, reinterpreted. */
#ifndef CK_EMULATED_BF16_H
#define CK_EMULATED_BF16_H
#include <math.h>
#include <stdint.h>
#include <string.h>

/* 64-byte vectors pass in memory without AVX-512; these never cross a translation unit (all static,
 * the exported tile takes pointers), so the ABI warning is moot here. */
#pragma clang diagnostic ignored "-Wpsabi"

typedef float __m512 __attribute__((vector_size(64), aligned(64)));
typedef long long __m512i __attribute__((vector_size(64), aligned(64)));
typedef uint16_t __m512bh __attribute__((vector_size(64), aligned(64))); /* 32 bf16 lanes */
typedef int32_t ck_emulated_dwords __attribute__((vector_size(64), aligned(64)));

/* VXORPS zmm, zmm, zmm: all zero. */
static inline __m512 _mm512_setzero_ps(void) { return (__m512){0}; }

/* VMOVDQU32 zmm, m512: 64 bytes from any address. */
static inline __m512i _mm512_loadu_si512(const void *p) {
    __m512i r;
    memcpy(&r, p, 64);
    return r;
}

/* VMOVUPS m512, zmm: 64 bytes to any address. */
static inline void _mm512_storeu_ps(void *p, __m512 v) { memcpy(p, &v, 64); }

/* VPBROADCASTD zmm, r32: x in each of the 16 dword lanes. */
static inline __m512i _mm512_set1_epi32(int32_t x) {
    ck_emulated_dwords r;
    for (int i = 0; i < 16; i++) r[i] = x;
    return (__m512i)r;
}

static inline uint32_t ck_emulated_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static inline float ck_emulated_float(uint32_t u) {
    float x;
    memcpy(&x, &u, 4);
    return x;
}

/* make_fp32(x) of the reference (the bf16 bits in the upper half of a dword) with DAZ: a denormal
 * input is a zero of its sign. */
static inline float ck_emulated_make_fp32(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    if ((u & 0x7F800000u) == 0) u &= 0x80000000u;
    return ck_emulated_float(u);
}

static inline int ck_emulated_is_nan(float x) { return (ck_emulated_bits(x) & 0x7FFFFFFFu) > 0x7F800000u; }

/* `c + a·b` as the reference's "FP32 FMA with daz in, ftz out and RNE rounding" (MXCSR not used):
 * one rounding to nearest even; an fp32 denormal addend read as zero and a result below FLT_MIN in
 * magnitude (tininess on the rounded result) flushed to a zero of its sign. A NaN operand gives that
 * NaN made quiet, a before b before c; an invalid operation (∞·0, ∞ − ∞) the default NaN
 * 0xFFC00000. */
static inline float ck_emulated_fma(float a, float b, float c) {
    if ((ck_emulated_bits(c) & 0x7F800000u) == 0) c = ck_emulated_float(ck_emulated_bits(c) & 0x80000000u);
    if (ck_emulated_is_nan(a)) return ck_emulated_float(ck_emulated_bits(a) | 0x00400000u);
    if (ck_emulated_is_nan(b)) return ck_emulated_float(ck_emulated_bits(b) | 0x00400000u);
    if (ck_emulated_is_nan(c)) return ck_emulated_float(ck_emulated_bits(c) | 0x00400000u);
    const float r = fmaf(a, b, c);
    if (ck_emulated_is_nan(r)) return ck_emulated_float(0xFFC00000u);
    if ((ck_emulated_bits(r) & 0x7F800000u) == 0) return ck_emulated_float(ck_emulated_bits(r) & 0x80000000u);
    return r;
}

/* VDPBF16PS zmm(src), zmm(a), zmm(b): for each dword lane i,
 *   src[i] += make_fp32(a.bf16[2i+1]) · make_fp32(b.bf16[2i+1])
 *   src[i] += make_fp32(a.bf16[2i+0]) · make_fp32(b.bf16[2i+0])
 * two fp32 FMAs in that order (the odd, upper, pair element first), so a NaN of the even products
 * takes priority over one of the odd products and of src, as the reference's table lists. Not
 * inlined: the tile's hundreds of call sites stay calls, so the test target compiles quickly. */
static __attribute__((noinline)) __m512 _mm512_dpbf16_ps(__m512 src, __m512bh a, __m512bh b) {
    __m512 r;
    for (int i = 0; i < 16; i++) {
        const float upper = ck_emulated_fma(ck_emulated_make_fp32(a[2 * i + 1]), ck_emulated_make_fp32(b[2 * i + 1]), src[i]);
        r[i] = ck_emulated_fma(ck_emulated_make_fp32(a[2 * i]), ck_emulated_make_fp32(b[2 * i]), upper);
    }
    return r;
}

#endif
