/* Portable kernels: plain C the compiler vectorises for the baseline ISA (SSE2 on x86-64, NEON on
 * aarch64). A 4×32 tile with constant row counts; the epilogue uses libm's expf and erfcf. */
#include "ck_internal.h"
#include <math.h>

CK_INLINE float activate_scalar(float v, int activation) {
    switch (activation) {
    case CK_ACT_QUICK_GELU: return v / (1.0f + expf(-1.702f * v));
    case CK_ACT_GELU: return 0.5f * v * erfcf(-v * 0.70710678118654752f);
    default: return v;
    }
}

#define SMR 4

CK_INLINE void tile_rows(const int MR, int nr, int kc, const float *a, const float *b,
                         ptrdiff_t ldb, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    float acc[SMR][CK_PANEL];
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < CK_PANEL; j++) acc[r][j] = (ep->load_c && j < nr) ? c[r * ldc + j] : 0.0f;
    for (int kk = 0; kk < kc; kk++) {
        const float *brow = b + kk * ldb;
        for (int r = 0; r < MR; r++) {
            const float av = a[kk * MR + r];
            for (int j = 0; j < CK_PANEL; j++) acc[r][j] += av * brow[j];
        }
    }
    for (int r = 0; r < MR; r++) {
        for (int j = 0; j < nr; j++) {
            float v = acc[r][j];
            if (ep->last) {
                if (ep->bias) v += ep->bias[j];
                v = activate_scalar(v, ep->activation);
            }
            c[r * ldc + j] = v;
        }
    }
}

static void tile_scalar(int mr, int nr, int kc, const float *a, const float *b,
                        ptrdiff_t ldb, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    switch (mr) {
    case 1: tile_rows(1, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 2: tile_rows(2, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 3: tile_rows(3, nr, kc, a, b, ldb, c, ldc, ep); break;
    case 4: tile_rows(4, nr, kc, a, b, ldb, c, ldc, ep); break;
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

static void panel_scalar(int m, int nr, int kc, const float *a, const float *b,
                         ptrdiff_t ldb, float *c, ptrdiff_t ldc, const ck_epilogue *ep) {
    CK_FOR_ROW_TILES(m, SMR, row, rows) tile_scalar(rows, nr, kc, a + row * kc, b, ldb, c + row * ldc, ldc, ep);
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
