/* The native AVX-512 VNNI int8 tile (int8_vnni_tile.h), handed out only where the CPU runs
 * AVX-512 F, BW and VNNI. */
#include "ck_internal.h"
#include "CKernelsInt8.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define CK_VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))
#define CK_VNNI_INLINE static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vnni")))
#include "int8_vnni_tile.h"

ck_q8_vnni_tile_fn ck_q8_vnni_native_tile(void) {
    __builtin_cpu_init();
    const int runs = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                  && __builtin_cpu_supports("avx512vnni");
    return runs ? q8_vnni_tile : NULL;
}
#else
ck_q8_vnni_tile_fn ck_q8_vnni_native_tile(void) { return NULL; }
#endif
