/* The BF16 tile of CKernels (bf16_tile.h) over emulated zmm registers (emulated_bf16.h). */
#include "CKernelsEmulation.h"
#include "emulated_bf16.h"

#define CK_BF16_TARGET
#define CK_BF16_INLINE static inline __attribute__((always_inline))
#include "../CKernels/bf16_tile.h"

const ck_bf16_tile_fn ck_emulated_bf16_tile = ck_bf16_tile;
