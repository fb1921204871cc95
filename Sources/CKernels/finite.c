/* The finiteness check of loaded weights: a branch-free pass over blocks (the compiler vectorises
 * it at the baseline ISA), then the exact index in the one block that holds a NaN or infinity. */
#include "CKernels.h"
#include <stdint.h>
#include <string.h>

enum { BLOCK = 4096 };

/* Exponent all ones: infinity or NaN. */
static inline int is_non_finite(const float *x) {
    uint32_t bits;
    memcpy(&bits, x, sizeof bits);
    return (bits & 0x7f800000u) == 0x7f800000u;
}

static int block_has_non_finite(const float *x, size_t n) {
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++) any |= (uint32_t)is_non_finite(x + i);
    return any != 0;
}

ptrdiff_t ck_first_non_finite(const float *x, size_t n) {
    for (size_t start = 0; start < n; start += BLOCK) {
        const size_t count = n - start < BLOCK ? n - start : BLOCK;
        if (!block_has_non_finite(x + start, count)) continue;
        for (size_t i = start; i < start + count; i++)
            if (is_non_finite(x + i)) return (ptrdiff_t)i;
    }
    return -1;
}
