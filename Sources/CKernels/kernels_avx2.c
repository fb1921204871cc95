/* AVX2 + FMA kernels: a 6×16 GEMM tile (12 ymm accumulators, fitting the 16 ymm registers; a
 * 32-wide panel is done as two halves), vector exp/erfc for the epilogue, and the row kernels. */
#if defined(__x86_64__)
#include "ck_internal.h"
#include <immintrin.h>
#include <math.h>

#define T256 __attribute__((target("avx2,fma")))
#define I256 static inline __attribute__((always_inline, target("avx2,fma")))

#include "ck_avx2_math.h"
#include "ck_prefetch.h"

/* Lane mask for the first n of 8 lanes. */
I256 __m256i mask256(int n) {
    const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}

/* Bias and activation ACT over the stored block c[m, nr] of one panel (nr ≤ 32): a row is 4
 * independent vectors, so the exp/erfc latency chains overlap. */
I256 void epilogue_rows256(const int ACT, int m, int nr, float *c, ptrdiff_t ldc, const float *bias) {
    __m256 bv[4];
    __m256i mask[4];
    for (int g = 0; g < 4; g++) {
        mask[g] = mask256(nr - 8 * g);
        bv[g] = bias ? _mm256_maskload_ps(bias + 8 * g, mask[g]) : _mm256_setzero_ps();
    }
    if (nr == 32) {
        for (int r = 0; r < m; r++) {
            float *row = c + r * ldc;
            _Pragma("clang loop unroll(full)") for (int g = 0; g < 4; g++)
                _mm256_storeu_ps(row + 8 * g, activate256(_mm256_add_ps(_mm256_loadu_ps(row + 8 * g), bv[g]), ACT));
        }
        return;
    }
    for (int r = 0; r < m; r++) {
        float *row = c + r * ldc;
        for (int g = 0; g < 4 && 8 * g < nr; g++)
            _mm256_maskstore_ps(row + 8 * g, mask[g],
                                activate256(_mm256_add_ps(_mm256_maskload_ps(row + 8 * g, mask[g]), bv[g]), ACT));
    }
}

/* The epilogue of a panel's last K block, once its tiles are stored (kept out of the
 * register-resident tile bodies). */
T256 __attribute__((noinline)) static void epilogue256(int m, int nr, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    switch (ep->activation) {
    case CK_ACT_QUICK_GELU: epilogue_rows256(CK_ACT_QUICK_GELU, m, nr, c, ldc, ep->bias); break;
    case CK_ACT_GELU: epilogue_rows256(CK_ACT_GELU, m, nr, c, ldc, ep->bias); break;
    default: epilogue_rows256(CK_ACT_IDENTITY, m, nr, c, ldc, ep->bias); break;
    }
}

/* The k loop of a tile: MR rows of a (packed, MR floats per k) times 16 columns of b, unrolled by 4
 * (the broadcasts' offsets fold into the addressing, and the loop overhead is amortised). */
#define K_STEP(MR, acc0, acc1, a, b, kk)                                                          \
    do {                                                                                       \
        const __m256 b0_ = _mm256_loadu_ps(b + (kk) * ldb), b1_ = _mm256_loadu_ps(b + (kk) * ldb + 8); \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                       \
            const __m256 av_ = _mm256_broadcast_ss(a + (kk) * MR + r);                          \
            acc0[r] = _mm256_fmadd_ps(av_, b0_, acc0[r]);                                       \
            acc1[r] = _mm256_fmadd_ps(av_, b1_, acc1[r]);                                       \
        }                                                                                       \
    } while (0)

I256 void kloop256(const int MR, const int PF, int kc, const float *a, const float *b, ptrdiff_t ldb,
                   ck_prefetch_share *pf, __m256 *acc0, __m256 *acc1) {
    int kk = 0;
    for (; kk + 4 <= kc; kk += 4, a += 4 * MR, b += 4 * ldb) {
        if (PF) for (int i = 0; i < pf->per_step; i++) ck_prefetch_next(pf, ldb);
        K_STEP(MR, acc0, acc1, a, b, 0);
        K_STEP(MR, acc0, acc1, a, b, 1);
        K_STEP(MR, acc0, acc1, a, b, 2);
        K_STEP(MR, acc0, acc1, a, b, 3);
    }
    for (; kk < kc; kk++, a += MR, b += ldb) K_STEP(MR, acc0, acc1, a, b, 0);
    if (PF) while (pf->n1 > 0 || pf->n2 > 0) ck_prefetch_next(pf, ldb);
}

/* One 16-column half: columns [0, nr) of c, nr ≤ 16. */
I256 void half256(const int MR, int nr, int kc, const float *a, const float *b,
                  ptrdiff_t ldb, ck_prefetch_share *pf, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    __m256 acc0[6], acc1[6];
    const __m256i m0 = mask256(nr), m1 = mask256(nr - 8);
    _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {
        if (ep->load_c && nr == 16) { /* vmaskmovps is slow on AMD: plain moves when full */
            acc0[r] = _mm256_loadu_ps(c + r * ldc);
            acc1[r] = _mm256_loadu_ps(c + r * ldc + 8);
        } else if (ep->load_c) {
            acc0[r] = _mm256_maskload_ps(c + r * ldc, m0);
            acc1[r] = _mm256_maskload_ps(c + r * ldc + 8, m1);
        } else {
            acc0[r] = _mm256_setzero_ps();
            acc1[r] = _mm256_setzero_ps();
        }
    }
    if (pf->n1 > 0 || pf->n2 > 0) kloop256(MR, 1, kc, a, b, ldb, pf, acc0, acc1);
    else kloop256(MR, 0, kc, a, b, ldb, pf, acc0, acc1);
    if (nr == 16) {
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {
            _mm256_storeu_ps(c + r * ldc, acc0[r]);
            _mm256_storeu_ps(c + r * ldc + 8, acc1[r]);
        }
    } else {
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {
            _mm256_maskstore_ps(c + r * ldc, m0, acc0[r]);
            _mm256_maskstore_ps(c + r * ldc + 8, m1, acc1[r]);
        }
    }
}

#define HALF_CASE(R) case R: half256(R, nr, kc, a, b, ldb, pf, c, ldc, ep); break;

T256 static void half_avx2(int mr, int nr, int kc, const float *a, const float *b,
                           ptrdiff_t ldb, ck_prefetch_share *pf, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    switch (mr) {
        HALF_CASE(1) HALF_CASE(2) HALF_CASE(3) HALF_CASE(4) HALF_CASE(5) HALF_CASE(6)
    default: break;
    }
}

/* Half-outer: each 16-column half of the panel stays in L1 while every row tile passes over it;
 * then bias and activation over the panel's block. Every tile fetches its share of the next
 * panel's block into L2 as it goes (one or more lines per 4 k steps), so the stream from DRAM is
 * spread over the panel's whole run and overlaps the FMAs. */
T256 static void panel_avx2(int m, int nr, int kc, const float *a, const float *b,
                            ptrdiff_t ldb, ptrdiff_t half, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    const int halves = nr > 16 ? 2 : 1, tiles = ((m + 5) / 6) * halves;
    int t = 0;
    for (int h = 0; h < halves; h++) {
        const int width = h ? nr - 16 : (nr < 16 ? nr : 16);
        CK_FOR_ROW_TILES(m, 6, row, rows) {
            ck_prefetch_share pf = ck_prefetch_share_of(ep, half, ldb, kc, t++, tiles);
            half_avx2(rows, width, kc, a + row * kc, b + h * half, ldb, &pf, c + row * ldc + 16 * h, ldc, ep);
        }
    }
    if (ep->last && (ep->bias || ep->activation != CK_ACT_IDENTITY)) epilogue256(m, nr, c, ldc, ep);
}

/* Columns j of the 8 rows r[0..<8] into r[j] (an 8 × 8 transpose in registers). */
I256 void transpose8x8(__m256 r[8]) {
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
        r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
    }
}

/* `ck_pack_a`'s tile, 8 columns at a time: load 8 floats of each row, transpose, and store each
 * column's `rows` floats as one 8-float store whose excess the next columns' stores overwrite; a
 * column whose 8 floats would pass the tile's end is stored exactly. */
I256 void pack_tile_rows(const int ROWS, int kc, const float *a, ptrdiff_t lda, float *tile) {
    int kk = 0;
    for (; kk + 8 <= kc; kk += 8) {
        __m256 r[8];
        _Pragma("clang loop unroll(full)") for (int i = 0; i < 8; i++)
            r[i] = i < ROWS ? _mm256_loadu_ps(a + i * lda + kk) : _mm256_setzero_ps();
        transpose8x8(r);
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 8; j++) {
            if ((kk + j) * ROWS + 8 <= kc * ROWS) {
                _mm256_storeu_ps(tile + (kk + j) * ROWS, r[j]);
            } else {
                float column[8];
                _mm256_storeu_ps(column, r[j]);
                for (int i = 0; i < ROWS; i++) tile[(kk + j) * ROWS + i] = column[i];
            }
        }
    }
    for (; kk < kc; kk++)
        for (int i = 0; i < ROWS; i++) tile[kk * ROWS + i] = a[i * lda + kk];
}

T256 static void pack_tile_avx2(int rows, int kc, const float *a, ptrdiff_t lda, float *tile) {
    switch (rows) {
    case 6: pack_tile_rows(6, kc, a, lda, tile); break;
    case 5: pack_tile_rows(5, kc, a, lda, tile); break;
    case 4: pack_tile_rows(4, kc, a, lda, tile); break;
    case 3: pack_tile_rows(3, kc, a, lda, tile); break;
    case 2: pack_tile_rows(2, kc, a, lda, tile); break;
    default: pack_tile_rows(1, kc, a, lda, tile); break;
    }
}

T256 static void layer_norm_row_avx2(const float *x, int n, const float *w, const float *bias,
                                     float eps, float *y) {
    const int n8 = n & ~7;
    __m256 s = _mm256_setzero_ps();
    for (int j = 0; j < n8; j += 8) s = _mm256_add_ps(s, _mm256_loadu_ps(x + j));
    float sum = hsum256(s);
    for (int j = n8; j < n; j++) sum += x[j];
    const float mean = sum / (float)n;
    const __m256 vm = _mm256_set1_ps(mean);
    __m256 q = _mm256_setzero_ps();
    for (int j = 0; j < n8; j += 8) {
        const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + j), vm);
        q = _mm256_fmadd_ps(d, d, q);
    }
    float sq = hsum256(q);
    for (int j = n8; j < n; j++) sq += (x[j] - mean) * (x[j] - mean);
    const float inv = 1.0f / sqrtf(sq / (float)n + eps);
    const __m256 vi = _mm256_set1_ps(inv);
    for (int j = 0; j < n8; j += 8) {
        const __m256 d = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + j), vm), vi);
        _mm256_storeu_ps(y + j, _mm256_fmadd_ps(d, _mm256_loadu_ps(w + j), _mm256_loadu_ps(bias + j)));
    }
    for (int j = n8; j < n; j++) y[j] = (x[j] - mean) * inv * w[j] + bias[j];
}

T256 static void softmax_row_avx2(const float *x, int n, float scale, float *y) {
    const int n8 = n & ~7;
    __m256 mx = _mm256_set1_ps(-INFINITY);
    for (int j = 0; j < n8; j += 8) mx = _mm256_max_ps(mx, _mm256_loadu_ps(x + j));
    float m = hmax256(mx);
    for (int j = n8; j < n; j++) m = x[j] > m ? x[j] : m;
    const __m256 vmax = _mm256_set1_ps(m), vs = _mm256_set1_ps(scale);
    __m256 s = _mm256_setzero_ps();
    for (int j = 0; j < n8; j += 8) {
        const __m256 e = exp256(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + j), vmax), vs));
        s = _mm256_add_ps(s, e);
        _mm256_storeu_ps(y + j, e);
    }
    if (n8 < n) { /* the tail as one masked vector */
        const __m256i tail = mask256(n - n8);
        const __m256 e = exp256(_mm256_mul_ps(_mm256_sub_ps(_mm256_maskload_ps(x + n8, tail), vmax), vs));
        s = _mm256_add_ps(s, _mm256_and_ps(e, _mm256_castsi256_ps(tail)));
        _mm256_maskstore_ps(y + n8, tail, e);
    }
    const float sum = hsum256(s);
    const float inv = 1.0f / sum;
    const __m256 vi = _mm256_set1_ps(inv);
    for (int j = 0; j < n8; j += 8) _mm256_storeu_ps(y + j, _mm256_mul_ps(_mm256_loadu_ps(y + j), vi));
    for (int j = n8; j < n; j++) y[j] *= inv;
}

T256 static void l2_row_avx2(const float *x, int n, float *y) {
    const int n8 = n & ~7;
    __m256 q = _mm256_setzero_ps();
    for (int j = 0; j < n8; j += 8) {
        const __m256 v = _mm256_loadu_ps(x + j);
        q = _mm256_fmadd_ps(v, v, q);
    }
    float sq = hsum256(q);
    for (int j = n8; j < n; j++) sq += x[j] * x[j];
    const float norm = sqrtf(sq);
    if (!(norm > 0)) {
        if (y != x) for (int j = 0; j < n; j++) y[j] = x[j];
        return;
    }
    const __m256 vn = _mm256_set1_ps(norm);
    for (int j = 0; j < n8; j += 8) _mm256_storeu_ps(y + j, _mm256_div_ps(_mm256_loadu_ps(x + j), vn));
    for (int j = n8; j < n; j++) y[j] = x[j] / norm;
}

T256 static void dots_avx2(const float *a, const float *b, ptrdiff_t ldb, int nb, int k, float *out) {
    const int k8 = k & ~7;
    int j = 0;
    for (; j + 4 <= nb; j += 4) {
        const float *b0 = b + j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (int kk = 0; kk < k8; kk += 8) {
            const __m256 av = _mm256_loadu_ps(a + kk);
            s0 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b0 + kk), s0);
            s1 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b1 + kk), s1);
            s2 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b2 + kk), s2);
            s3 = _mm256_fmadd_ps(av, _mm256_loadu_ps(b3 + kk), s3);
        }
        float t0 = hsum256(s0), t1 = hsum256(s1), t2 = hsum256(s2), t3 = hsum256(s3);
        for (int kk = k8; kk < k; kk++) {
            t0 += a[kk] * b0[kk];
            t1 += a[kk] * b1[kk];
            t2 += a[kk] * b2[kk];
            t3 += a[kk] * b3[kk];
        }
        out[j] = t0;
        out[j + 1] = t1;
        out[j + 2] = t2;
        out[j + 3] = t3;
    }
    for (; j < nb; j++) {
        const float *b0 = b + j * ldb;
        __m256 s0 = _mm256_setzero_ps();
        for (int kk = 0; kk < k8; kk += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + kk), _mm256_loadu_ps(b0 + kk), s0);
        float t0 = hsum256(s0);
        for (int kk = k8; kk < k; kk++) t0 += a[kk] * b0[kk];
        out[j] = t0;
    }
}

const ck_ops ck_ops_avx2 = {
    .mr = 6,
    .kc_max = 384,
    .panel = panel_avx2,
    .layer_norm_row = layer_norm_row_avx2,
    .softmax_row = softmax_row_avx2,
    .l2_row = l2_row_avx2,
    .dots = dots_avx2,
    .pack_tile = pack_tile_avx2,
};
#endif
