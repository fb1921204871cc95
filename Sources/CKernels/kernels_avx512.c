/* AVX-512F kernels: a 14×32 GEMM tile (28 zmm accumulators), vector exp/erfc for the epilogue,
 * and the row kernels (layer norm, softmax, L2). Every function carries its own target attribute;
 * dispatch in dispatch.c only hands these out when the CPU supports AVX-512F. */
#if defined(__x86_64__)
#include "ck_internal.h"
#include <immintrin.h>
#include <math.h>

#define T512 __attribute__((target("avx512f")))
#define I512 static inline __attribute__((always_inline, target("avx512f")))

#include "ck_avx512_math.h"
#include "ck_prefetch.h"

/* Bias and activation over a stored tile (kept out of the register-resident body). */
T512 __attribute__((noinline)) static void epilogue512(int mr, int nr, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    const __mmask16 m0 = lanes(nr), m1 = lanes(nr - 16);
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (ep->bias) {
        bias0 = _mm512_maskz_loadu_ps(m0, ep->bias);
        bias1 = _mm512_maskz_loadu_ps(m1, ep->bias + 16);
    }
    for (int r = 0; r < mr; r++) {
        float *row = c + r * ldc;
        _mm512_mask_storeu_ps(row, m0, activate512(_mm512_add_ps(_mm512_maskz_loadu_ps(m0, row), bias0), ep->activation));
        _mm512_mask_storeu_ps(row + 16, m1, activate512(_mm512_add_ps(_mm512_maskz_loadu_ps(m1, row + 16), bias1), ep->activation));
    }
}

/* One k step of a tile: MR rows of a (packed, MR floats per k) times the 32 columns of b. */
#define K_STEP512(MR, kk)                                                                         \
    do {                                                                                          \
        const __m512 b0_ = _mm512_loadu_ps(b + (kk) * ldb), b1_ = _mm512_loadu_ps(b + half + (kk) * ldb); \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                          \
            const __m512 av_ = _mm512_set1_ps(a[(kk) * MR + r]);                                   \
            acc0[r] = _mm512_fmadd_ps(av_, b0_, acc0[r]);                                          \
            acc1[r] = _mm512_fmadd_ps(av_, b1_, acc1[r]);                                          \
        }                                                                                         \
    } while (0)

/* The k loop, unrolled by 4 (the broadcasts' offsets fold into the addressing and the loop overhead
 * is amortised). With PF, the tile's share of the next block is fetched into L2 as it goes: a
 * separate copy of the loop, so the one without tests nothing per step. */
I512 void kloop512(const int MR, const int PF, int kc, const float *a, const float *b, ptrdiff_t ldb,
                   ptrdiff_t half, ck_prefetch_share *pf, __m512 *acc0, __m512 *acc1) {
    int kk = 0;
    for (; kk + 4 <= kc; kk += 4, a += 4 * MR, b += 4 * ldb) {
        if (PF) for (int i = 0; i < pf->per_step; i++) ck_prefetch_next(pf, ldb);
        K_STEP512(MR, 0);
        K_STEP512(MR, 1);
        K_STEP512(MR, 2);
        K_STEP512(MR, 3);
    }
    for (; kk < kc; kk++, a += MR, b += ldb) K_STEP512(MR, 0);
    if (PF) while (pf->n1 > 0 || pf->n2 > 0) ck_prefetch_next(pf, ldb);
}

/* The tile body for a constant row count MR: accumulators stay in registers. */
I512 void tile512(const int MR, int nr, int kc, const float *a, const float *b, ptrdiff_t ldb, ptrdiff_t half,
                  ck_prefetch_share *pf, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    __m512 acc0[14], acc1[14];
    const __mmask16 m0 = lanes(nr), m1 = lanes(nr - 16);
    _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {
        if (ep->load_c) {
            acc0[r] = _mm512_maskz_loadu_ps(m0, c + r * ldc);
            acc1[r] = _mm512_maskz_loadu_ps(m1, c + r * ldc + 16);
        } else {
            acc0[r] = _mm512_setzero_ps();
            acc1[r] = _mm512_setzero_ps();
        }
    }
    if (pf->n1 > 0 || pf->n2 > 0) kloop512(MR, 1, kc, a, b, ldb, half, pf, acc0, acc1);
    else kloop512(MR, 0, kc, a, b, ldb, half, pf, acc0, acc1);
    _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {
        _mm512_mask_storeu_ps(c + r * ldc, m0, acc0[r]);
        _mm512_mask_storeu_ps(c + r * ldc + 16, m1, acc1[r]);
    }
    if (ep->last && (ep->bias || ep->activation != CK_ACT_IDENTITY)) epilogue512(MR, nr, c, ldc, ep);
}

#define TILE_CASE(R) case R: tile512(R, nr, kc, a, b, ldb, half, pf, c, ldc, ep); break;

T512 static void tile_avx512(int mr, int nr, int kc, const float *a, const float *b, ptrdiff_t ldb,
                             ptrdiff_t half, ck_prefetch_share *pf, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    switch (mr) {
        TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6) TILE_CASE(7)
        TILE_CASE(8) TILE_CASE(9) TILE_CASE(10) TILE_CASE(11) TILE_CASE(12) TILE_CASE(13)
        TILE_CASE(14)
    default: break;
    }
}

/* Every row tile fetches its share of the next panel's block into L2 as it goes (ck_prefetch.h). */
T512 static void panel_avx512(int m, int nr, int kc, const float *a, const float *b,
                              ptrdiff_t ldb, ptrdiff_t half, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    const int tiles = (m + 13) / 14;
    int t = 0;
    CK_FOR_ROW_TILES(m, 14, row, rows) {
        ck_prefetch_share pf = ck_prefetch_share_of(ep, half, ldb, kc, t++, tiles);
        tile_avx512(rows, nr, kc, a + row * kc, b, ldb, half, &pf, c + row * ldc, ldc, ep);
    }
}

/* Columns j of the 16 rows r[0..<16] into r[j] (a 16 × 16 transpose in registers): pairs, then
 * quads within each 128-bit lane, then the four lanes across the rows' groups of 4. */
I512 void transpose16x16(__m512 r[16]) {
    __m512 t[16], s[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    /* s[4g + j], lane L: column 4L + j of rows 4g ..< 4g + 4. */
    for (int i = 0; i < 16; i += 4) {
        const __m512d t0 = _mm512_castps_pd(t[i]), t1 = _mm512_castps_pd(t[i + 1]);
        const __m512d t2 = _mm512_castps_pd(t[i + 2]), t3 = _mm512_castps_pd(t[i + 3]);
        s[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        s[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        s[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        s[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
    }
    for (int j = 0; j < 4; j++) {
        const __m512 u0 = _mm512_shuffle_f32x4(s[j], s[4 + j], 0x44), u1 = _mm512_shuffle_f32x4(s[j], s[4 + j], 0xEE);
        const __m512 u2 = _mm512_shuffle_f32x4(s[8 + j], s[12 + j], 0x44), u3 = _mm512_shuffle_f32x4(s[8 + j], s[12 + j], 0xEE);
        r[j] = _mm512_shuffle_f32x4(u0, u2, 0x88);
        r[4 + j] = _mm512_shuffle_f32x4(u0, u2, 0xDD);
        r[8 + j] = _mm512_shuffle_f32x4(u1, u3, 0x88);
        r[12 + j] = _mm512_shuffle_f32x4(u1, u3, 0xDD);
    }
}

/* `ck_pack_a`'s tile (rows ≤ 14), 16 columns at a time: load 16 floats of each row (masked at the
 * end of kc), transpose, and store each column's `rows` floats with one masked store. The portable
 * packer's scalar gathers were 2 % of an image forward at batch 32 on Zen 5. */
T512 static void pack_tile_avx512(int rows, int kc, const float *a, ptrdiff_t lda, float *tile) {
    const __mmask16 row_mask = lanes(rows);
    for (int kk = 0; kk < kc; kk += 16) {
        const int columns = kc - kk < 16 ? kc - kk : 16;
        const __mmask16 m = lanes(columns);
        __m512 r[16];
        _Pragma("clang loop unroll(full)") for (int i = 0; i < 16; i++)
            r[i] = i < rows ? _mm512_maskz_loadu_ps(m, a + i * lda + kk) : _mm512_setzero_ps();
        transpose16x16(r);
        for (int j = 0; j < columns; j++) _mm512_mask_storeu_ps(tile + (ptrdiff_t)(kk + j) * rows, row_mask, r[j]);
    }
}

I512 float hsum512(__m512 v) { return _mm512_reduce_add_ps(v); }

T512 static void layer_norm_row_avx512(const float *x, int n, const float *w, const float *bias,
                                       float eps, float *y) {
    __m512 s = _mm512_setzero_ps();
    for (int j = 0; j < n; j += 16) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(lanes(n - j), x + j));
    const float mean = hsum512(s) / (float)n;
    const __m512 vm = _mm512_set1_ps(mean);
    __m512 q = _mm512_setzero_ps();
    for (int j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        const __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, x + j), vm);
        q = _mm512_fmadd_ps(d, d, q);
    }
    const float inv = 1.0f / sqrtf(hsum512(q) / (float)n + eps);
    const __m512 vi = _mm512_set1_ps(inv);
    for (int j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        const __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + j), vm), vi);
        const __m512 r = _mm512_fmadd_ps(d, _mm512_maskz_loadu_ps(m, w + j), _mm512_maskz_loadu_ps(m, bias + j));
        _mm512_mask_storeu_ps(y + j, m, r);
    }
}

T512 static void softmax_row_avx512(const float *x, int n, float scale, float *y) {
    __m512 mx = _mm512_set1_ps(-INFINITY);
    for (int j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        mx = _mm512_mask_max_ps(mx, m, mx, _mm512_maskz_loadu_ps(m, x + j));
    }
    const __m512 vmax = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
    const __m512 vs = _mm512_set1_ps(scale);
    __m512 s = _mm512_setzero_ps();
    for (int j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        const __m512 e = exp512(_mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + j), vmax), vs));
        s = _mm512_mask_add_ps(s, m, s, e);
        _mm512_mask_storeu_ps(y + j, m, e);
    }
    const __m512 vi = _mm512_set1_ps(1.0f / hsum512(s));
    for (int j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        _mm512_mask_storeu_ps(y + j, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, y + j), vi));
    }
}

T512 static void l2_row_avx512(const float *x, int n, float *y) {
    __m512 q = _mm512_setzero_ps();
    for (int j = 0; j < n; j += 16) {
        const __m512 v = _mm512_maskz_loadu_ps(lanes(n - j), x + j);
        q = _mm512_fmadd_ps(v, v, q);
    }
    const float norm = sqrtf(hsum512(q));
    const __m512 vn = _mm512_set1_ps(norm > 0 ? norm : 1.0f);
    for (int j = 0; j < n; j += 16) {
        const __mmask16 m = lanes(n - j);
        _mm512_mask_storeu_ps(y + j, m, _mm512_div_ps(_mm512_maskz_loadu_ps(m, x + j), vn));
    }
}

T512 static void dots_avx512(const float *a, const float *b, ptrdiff_t ldb, int nb, int k, float *out) {
    int j = 0;
    for (; j + 4 <= nb; j += 4) {
        const float *b0 = b + j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
        __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (int kk = 0; kk < k; kk += 16) {
            const __mmask16 m = lanes(k - kk);
            const __m512 av = _mm512_maskz_loadu_ps(m, a + kk);
            s0 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(m, b0 + kk), s0);
            s1 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(m, b1 + kk), s1);
            s2 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(m, b2 + kk), s2);
            s3 = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(m, b3 + kk), s3);
        }
        out[j] = hsum512(s0);
        out[j + 1] = hsum512(s1);
        out[j + 2] = hsum512(s2);
        out[j + 3] = hsum512(s3);
    }
    for (; j < nb; j++) {
        const float *b0 = b + j * ldb;
        __m512 s0 = _mm512_setzero_ps();
        for (int kk = 0; kk < k; kk += 16) {
            const __mmask16 m = lanes(k - kk);
            s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + kk), _mm512_maskz_loadu_ps(m, b0 + kk), s0);
        }
        out[j] = hsum512(s0);
    }
}

const ck_ops ck_ops_avx512 = {
    .mr = 14,
    .kc_max = 256,
    .panel = panel_avx512,
    .layer_norm_row = layer_norm_row_avx512,
    .softmax_row = softmax_row_avx512,
    .l2_row = l2_row_avx512,
    .dots = dots_avx512,
    .pack_tile = pack_tile_avx512,
};
#endif
