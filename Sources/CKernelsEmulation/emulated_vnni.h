/* A plain-C emulation of the AVX-512 instructions the VNNI int8 tile uses (int8_vnni_tile.h), each
 * as Intel's instruction reference defines it, over a 512-bit value held in memory. No
 * <immintrin.h>, no target attributes: it runs on every CPU. */
#ifndef CK_EMULATED_VNNI_H
#define CK_EMULATED_VNNI_H
#include <stdint.h>
#include <string.h>

typedef struct {
    uint8_t bytes[64];
} __m512i;

/* VPXORD zmm, zmm, zmm: all zero. */
static inline __m512i _mm512_setzero_si512(void) {
    __m512i r;
    memset(r.bytes, 0, 64);
    return r;
}

/* VMOVDQU32 zmm, m512: 64 bytes from any address. */
static inline __m512i _mm512_loadu_si512(const void *p) {
    __m512i r;
    memcpy(r.bytes, p, 64);
    return r;
}

/* VMOVDQU32 m512, zmm. */
static inline void _mm512_storeu_si512(void *p, __m512i v) { memcpy(p, v.bytes, 64); }

static inline int32_t lane32(__m512i v, int i) {
    int32_t x;
    memcpy(&x, v.bytes + 4 * i, 4);
    return x;
}

/* VPBROADCASTD zmm, r32: x in each of the 16 dword lanes. */
static inline __m512i _mm512_set1_epi32(int32_t x) {
    __m512i r;
    for (int i = 0; i < 16; i++) memcpy(r.bytes + 4 * i, &x, 4);
    return r;
}

/* VPDPBUSD zmm(src), zmm(a), zmm(b): for each dword lane i, the four products of a's unsigned bytes
 * with b's signed bytes (ZeroExtend16(a.byte[4i+j]) · SignExtend16(b.byte[4i+j])) added to src[i]
 * in 32 bits, wrapping (no saturation: that is VPDPBUSDS). */
static inline __m512i _mm512_dpbusd_epi32(__m512i src, __m512i a, __m512i b) {
    __m512i r;
    for (int i = 0; i < 16; i++) {
        uint32_t sum = (uint32_t)lane32(src, i);
        for (int j = 0; j < 4; j++) {
            const int32_t product = (int32_t)a.bytes[4 * i + j] * (int32_t)(int8_t)b.bytes[4 * i + j];
            sum += (uint32_t)product;
        }
        memcpy(r.bytes + 4 * i, &sum, 4);
    }
    return r;
}

#endif
