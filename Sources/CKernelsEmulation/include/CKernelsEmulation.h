#ifndef CKERNELS_EMULATION_H
#define CKERNELS_EMULATION_H
/* Test-only: the AVX-512 VNNI and BF16 micro-kernels of CKernels compiled a second time against a
 * plain-C emulation of the instructions they use (no <immintrin.h>, no target attributes), so their
 * logic is checked against the portable twins on every CPU, also one without those instructions.
 * Each emulated tile has the signature of its native twin and is passed to the drivers' test hooks
 * (`ck_q8_linear_with_tile`, `ck_bf16_linear_with_tile`). */

#include "CKernels.h"

/* The VNNI int8 tile (`vpdpbusd`) of int8_vnni_tile.h over emulated zmm registers. */
extern const ck_q8_vnni_tile_fn ck_emulated_q8_vnni_tile;

/* The BF16 tile (`vdpbf16ps`) of bf16_tile.h over emulated zmm registers. */
extern const ck_bf16_tile_fn ck_emulated_bf16_tile;

#endif
