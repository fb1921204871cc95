/* Portable kernels: plain C the compiler vectorises for the baseline ISA (SSE2 on x86-64, NEON on
 * aarch64). Tiles of 4 (6 on aarch64) rows × 16 columns with constant row counts; the epilogue
 * uses libm's expf and erfcf. */
#include "ck_internal.h"
#include <math.h>
#include <string.h>

/* 4-lane vectors through the compiler's vector extension: SSE2 on x86-64, NEON on aarch64. */
typedef float v4f __attribute__((vector_size(16)));

CK_INLINE v4f load4(const float *p) {
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Rows per tile: NEON's 32 registers hold 6 × 16 accumulators; SSE's 16 hold 4 × 16 with spills,
 * which only CPUs without AVX2 see. */
#if defined(__aarch64__)
#define SMR 6
#else
#define SMR 4
#endif
#define HALF 16

/* c[MR, nr] for one 16-column half (nr ≤ 16) of a panel. */
CK_INLINE void half_rows(const int MR, int nr, int kc, const float *a, const float *b, ptrdiff_t ldb,
                         float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    v4f acc[SMR][HALF / 4];
    for (int r = 0; r < MR; r++)
        for (int q = 0; q < HALF / 4; q++) acc[r][q] = (v4f){0, 0, 0, 0};
    for (int kk = 0; kk < kc; kk++) {
        const float *brow = b + kk * ldb;
        const v4f b0 = load4(brow), b1 = load4(brow + 4), b2 = load4(brow + 8), b3 = load4(brow + 12);
        for (int r = 0; r < MR; r++) {
            const float av = a[kk * MR + r];
            acc[r][0] += av * b0;
            acc[r][1] += av * b1;
            acc[r][2] += av * b2;
            acc[r][3] += av * b3;
        }
    }
    for (int r = 0; r < MR; r++) {
        float out[HALF];
        memcpy(out, acc[r], sizeof out);
        for (int j = 0; j < nr; j++) {
            float v = out[j];
            if (ep->load_c) v += c[r * ldc + j];
            if (ep->last) {
                if (ep->bias) v += ep->bias[j];
                v = ck_activate(v, ep->activation);
            }
            c[r * ldc + j] = v;
        }
    }
}

static void half_scalar(int mr, int nr, int kc, const float *a, const float *b, ptrdiff_t ldb, float *c,
                        ptrdiff_t ldc, const ck_epilogue *ep) {
    switch (mr) {
    case 1: half_rows(1, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 2: half_rows(2, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 3: half_rows(3, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 4: half_rows(4, nr, kc, a, b, ldb, c, ldc, ep); break;
#if SMR > 4
    case 5: half_rows(5, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 6: half_rows(6, nr, kc, a, b, ldb, c, ldc, ep); break;
#endif
    default: break;
    }
}

static void layer_norm_row_scalar(const float *x, int n, const float *w, const float *bias, float eps,
                                  float *y) {
    float sum = 0;
    for (int j = 0; j < n; j++) sum += x[j];
    const float mean = sum / (float)n;
    float sq = 0;
    for (int j = 0; j < n; j++) sq += (x[j] - mean) * (x[j] - mean);
    const float inv = 1.0f / sqrtf(sq / (float)n + eps);
    for (int j = 0; j < n; j++) y[j] = (x[j] - mean) * inv * w[j] + bias[j];
}

static void softmax_row_scalar(const float *x, int n, float scale, float *y) {
    float m = -INFINITY;
    for (int j = 0; j < n; j++) m = x[j] > m ? x[j] : m;
    float sum = 0;
    for (int j = 0; j < n; j++) {
        y[j] = expf((x[j] - m) * scale);
        sum += y[j];
    }
    const float inv = 1.0f / sum;
    for (int j = 0; j < n; j++) y[j] *= inv;
}

static void l2_row_scalar(const float *x, int n, float *y) {
    float sq = 0;
    for (int j = 0; j < n; j++) sq += x[j] * x[j];
    const float norm = sqrtf(sq);
    for (int j = 0; j < n; j++) y[j] = norm > 0 ? x[j] / norm : x[j];
}

static void dots_scalar(const float *a, const float *b, ptrdiff_t ldb, int nb, int k, float *out) {
    for (int j = 0; j < nb; j++) {
        const float *bj = b + j * ldb;
        float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int kk = 0;
        for (; kk + 8 <= k; kk += 8)
            for (int l = 0; l < 8; l++) s[l] += a[kk + l] * bj[kk + l];
        float t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
        for (; kk < k; kk++) t += a[kk] * bj[kk];
        out[j] = t;
    }
}

/* Half-outer, as on AVX2: each 16-column half stays in L1 while every row tile passes over it. */
static void panel_scalar(int m, int nr, int kc, const float *a, const float *b, ptrdiff_t ldb, ptrdiff_t half,
                         float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    CK_FOR_ROW_TILES(m, SMR, row, rows)
        half_scalar(rows, nr < HALF ? nr : HALF, kc, a + row * kc, b, ldb, c + row * ldc, ldc, ep);
    if (nr > HALF) {
        ck_epilogue right = *ep;
        if (right.bias) right.bias += HALF;
        CK_FOR_ROW_TILES(m, SMR, row, rows)
            half_scalar(rows, nr - HALF, kc, a + row * kc, b + half, ldb, c + row * ldc + HALF, ldc, &right);
    }
}

const ck_ops ck_ops_scalar = {
    .mr = SMR,
    .kc_max = 256,
    .panel = panel_scalar,
    .layer_norm_row = layer_norm_row_scalar,
    .softmax_row = softmax_row_scalar,
    .l2_row = l2_row_scalar,
    .dots = dots_scalar,
};
