/* The finiteness check of loaded weights: a branch-free pass over blocks (the compiler vectorises
 * it at the baseline ISA), then the exact index in the one block that holds a NaN or infinity. */
#include "CKernels.h"
#include <stdint.h>
#include <string.h>

enum { BLOCK = 4096 };

static int block_has_non_finite(const float *x, size_t n) {
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, x + i, sizeof bits);
        any |= (bits & 0x7f800000u) == 0x7f800000u; /* exponent all ones: infinity or NaN */
    }
    return any != 0;
}

ptrdiff_t ck_first_non_finite(const float *x, size_t n) {
    for (size_t start = 0; start < n; start += BLOCK) {
        const size_t count = n - start < BLOCK ? n - start : BLOCK;
        if (!block_has_non_finite(x + start, count)) continue;
        for (size_t i = start; i < start + count; i++) {
            uint32_t bits;
            memcpy(&bits, x + i, sizeof bits);
            if ((bits & 0x7f800000u) == 0x7f800000u) return (ptrdiff_t)i;
        }
    }
    return -1;
}
