#ifndef CK_INTERNAL_H
#define CK_INTERNAL_H
/* Shared between the per-ISA kernel files and the drivers. Not part of the module's interface. */

#include "CKernels.h"
#include <math.h>
#include <stddef.h>

#define CK_INLINE static inline __attribute__((always_inline))

/* The activation `activation` (enum ck_activation) of one value with libm's expf and erfcf: the
 * portable epilogues' (fp32, int8, bf16). */
CK_INLINE float ck_activate(float v, int activation) {
    switch (activation) {
    case CK_ACT_QUICK_GELU: return v / (1.0f + expf(-1.702f * v));
    case CK_ACT_GELU: return 0.5f * v * erfcf(-v * 0.70710678118654752f);
    default: return v;
    }
}

/* What a tile does besides the product. */
typedef struct {
    const float *bias; /* at the tile's first column, or NULL; read only when `last` */
    int activation;    /* enum ck_activation, applied when `last` */
    int load_c;        /* start from c instead of zero */
    int last;          /* the last K block: apply bias and activation */
    const float *prefetch; /* the next block the driver will pass (same ldb and half), to bring into L2; or NULL */
} ck_epilogue;

/* c[m, nr] (=|+=) a[m, kc] · b[kc, nr] with epilogue, for one panel (1 ≤ nr ≤ 32) and any m:
 * the ISA's row tiles in an order that keeps the panel (or its halves) in L1.
 * `a` is packed by `ck_pack_a` with the ISA's `mr`. Columns [0, 16) of row kk are the 16 floats at
 * b + kk·ldb, columns [16, 32) those at b + half + kk·ldb, all readable (a packed panel has
 * ldb = 16 and half = 16·k; a row-major matrix has half = 16). */
typedef void (*ck_panel_fn)(int m, int nr, int kc, const float *a, const float *b, ptrdiff_t ldb,
                            ptrdiff_t half, float *c, ptrdiff_t ldc, const ck_epilogue *ep);

/* Balanced row tiles: 50 rows on 14-row tiles run as 13+13+12+12. */
#define CK_FOR_ROW_TILES(m, mr, row, rows)                                                        \
    for (int ck_tiles_ = ((m) + (mr)-1) / (mr), ck_t_ = 0, row = 0, rows = 0;                     \
         ck_t_ < ck_tiles_ && (rows = (m) / ck_tiles_ + (ck_t_ < (m) % ck_tiles_), 1);            \
         ck_t_++, row += rows)

typedef void (*ck_layer_norm_row_fn)(const float *x, int n, const float *w, const float *b,
                                     float eps, float *y);
/* y = softmax(scale · x[0..<n]); x and y may alias. */
typedef void (*ck_softmax_row_fn)(const float *x, int n, float scale, float *y);
typedef void (*ck_l2_row_fn)(const float *x, int n, float *y);
/* out[j] = a[0..<k] · b[j·ldb ..< j·ldb + k] for j < nb. */
typedef void (*ck_dots_fn)(const float *a, const float *b, ptrdiff_t ldb, int nb, int k, float *out);
/* One row tile of `ck_pack_a`: a[rows, kc] (row stride lda) to tile[kk·rows + r], rows ≤ mr. */
typedef void (*ck_pack_tile_fn)(int rows, int kc, const float *a, ptrdiff_t lda, float *tile);

typedef struct {
    int mr;     /* rows per tile */
    int kc_max; /* K block: the panel's share of L1 */
    ck_panel_fn panel;
    ck_layer_norm_row_fn layer_norm_row;
    ck_softmax_row_fn softmax_row;
    ck_l2_row_fn l2_row;
    ck_dots_fn dots;
    ck_pack_tile_fn pack_tile; /* NULL: the portable packer */
} ck_ops;

extern const ck_ops ck_ops_scalar;
#if defined(__x86_64__)
extern const ck_ops ck_ops_avx2;
extern const ck_ops ck_ops_avx512;
#endif

/* The ops of `path`, falling back to the best available one below it. */
const ck_ops *ck_ops_for(int path);

/* Single-threaded GEMM over pre-packed panels: c[m, n] = epilogue(a[m, k] · B) where panel p
 * (columns p·32…) starts at b + p·panel_stride, its rows are ldb floats apart and its right half
 * starts `half` floats after its left (see `ck_panel_fn`). `packed_all`
 * is A packed by `ck_pack_a_all` for the same ops, m and k, or NULL to pack A here. */
void ck_gemm_serial(const ck_ops *ops, int m, int n, int k, const float *a, ptrdiff_t lda,
                    const float *packed_all, const float *b, ptrdiff_t panel_stride, ptrdiff_t ldb,
                    ptrdiff_t half, const float *bias, float *c, ptrdiff_t ldc, int activation, int accumulate);

/* All of a[m, k] packed for `ck_gemm_serial`'s blocking (free with `ck_aligned_free`): shared by
 * tasks that split the columns, so A is packed once (on the pool's threads when `pool` is not NULL). */
float *ck_pack_a_all(ck_pool *pool, const ck_ops *ops, int m, int k, const float *a, ptrdiff_t lda);

/* Packs a[m, kc] (row stride lda) tile by tile for `CK_FOR_ROW_TILES(m, ops->mr)`: the tile at
 * `row` with `rows` rows starts at dst + row·kc and holds a[row + r, kk] at kk·rows + r. */
void ck_pack_a(const ck_ops *ops, int m, int kc, const float *a, ptrdiff_t lda, float *dst);

/* Packs columns [n0, n0 + 32) of the transposed `w` [n, k] into one panel: two halves [k, 16]
 * (the layout of `ck_pack_weights`; ldb = 16, half = 16·k). */
void ck_pack_panel(const float *w, ptrdiff_t ldw, int n, int k, int n0, float *panel);

#endif
