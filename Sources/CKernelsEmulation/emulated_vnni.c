/* The VNNI int8 tile of CKernels (int8_vnni_tile.h) over emulated zmm registers (emulated_vnni.h). */
#include "CKernelsEmulation.h"
#include "emulated_vnni.h"

#define CK_VNNI_TARGET
#define CK_VNNI_INLINE static inline __attribute__((always_inline))
#include "../CKernels/int8_vnni_tile.h"

const ck_q8_vnni_tile_fn ck_emulated_q8_vnni_tile = q8_vnni_tile;
