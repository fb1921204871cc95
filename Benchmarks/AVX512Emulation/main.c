#include "ck_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long rng = 88172645463325252ull;
static float rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (float)((rng >> 11) * (1.0 / 9007199254740992.0)) * 2 - 1; }
static float *rand_buf(size_t n, float s) { float *p = malloc(n * sizeof(float) + 64); for (size_t i = 0; i < n; i++) p[i] = rnd() * s; return p; }
static int failures = 0;
static void cmp(const char *what, const float *a, const float *b, size_t n, float tol, int m, int k, int nn) {
    float worst = 0, scale = 0;
    for (size_t i = 0; i < n; i++) { float d = fabsf(a[i] - b[i]); if (!(d <= worst)) worst = isnan(d) ? INFINITY : d; if (fabsf(b[i]) > scale) scale = fabsf(b[i]); }
    float rel = worst / (scale > 0 ? scale : 1e-30f);
    if (!(rel <= tol)) { failures++; printf("FAIL %s m=%d k=%d n=%d rel=%g\n", what, m, k, nn, rel); }
}
int main(void) {
    ck_pool *pool = ck_default_pool();
    int ms[] = {1, 7, 14, 15, 49, 50, 77, 300};
    int kn[][2] = {{1, 1}, {7, 33}, {64, 7}, {33, 64}, {1, 65}, {769, 31}, {7, 97}, {768, 96}, {1600, 40}};
    for (unsigned mi = 0; mi < sizeof ms / sizeof *ms; mi++)
        for (unsigned ki = 0; ki < sizeof kn / sizeof *kn; ki++) {
            int m = ms[mi], k = kn[ki][0], n = kn[ki][1];
            float *x = rand_buf((size_t)m * k, 2), *w = rand_buf((size_t)n * k, 1 / sqrtf(k)), *b = rand_buf(n, 0.5f);
            float *packed = ck_aligned_alloc(ck_packed_count(n, k) * sizeof(float));
            ck_pack_weights(w, n, k, packed);
            float *y0 = malloc(sizeof(float) * m * n), *y1 = malloc(sizeof(float) * m * n), *r = rand_buf((size_t)m * n, 1);
            for (int act = 0; act < 3; act++) {
                ck_linear(NULL, CK_PATH_SCALAR, m, n, k, x, k, packed, b, y0, n, act, 0);
                ck_linear(act == 1 ? pool : NULL, CK_PATH_AVX512, m, n, k, x, k, packed, act == 2 ? NULL : b, y1, n, act, 0);
                if (act == 2) ck_linear(NULL, CK_PATH_SCALAR, m, n, k, x, k, packed, NULL, y0, n, act, 0);
                cmp("linear", y1, y0, (size_t)m * n, 1e-5f, m, k, n);
            }
            for (size_t i = 0; i < (size_t)m * n; i++) y0[i] = y1[i] = r[i];
            ck_linear(NULL, CK_PATH_SCALAR, m, n, k, x, k, packed, b, y0, n, 0, 1);
            ck_linear(pool, CK_PATH_AVX512, m, n, k, x, k, packed, b, y1, n, 0, 1);
            cmp("linear+=", y1, y0, (size_t)m * n, 1e-5f, m, k, n);
            /* matmul_nt: a [m,k] · w [n,k]ᵀ */
            ck_matmul_nt(NULL, CK_PATH_SCALAR, m, n, k, x, k, w, k, y0, n);
            ck_matmul_nt(pool, CK_PATH_AVX512, m, n, k, x, k, w, k, y1, n);
            cmp("matmul_nt", y1, y0, (size_t)m * n, 1e-5f, m, k, n);
            /* rows on x [m, k] */
            float *g = rand_buf(k, 2), *z0 = malloc(sizeof(float) * m * k), *z1 = malloc(sizeof(float) * m * k);
            ck_layer_norm(NULL, CK_PATH_SCALAR, m, k, x, g, b, 1e-5f, z0);
            if (k <= n) { ck_layer_norm(pool, CK_PATH_AVX512, m, k, x, g, b, 1e-5f, z1); cmp("layer_norm", z1, z0, (size_t)m * k, 1e-5f, m, k, 0); }
            ck_softmax_rows(NULL, CK_PATH_SCALAR, m, k, x, z0);
            ck_softmax_rows(pool, CK_PATH_AVX512, m, k, x, z1);
            cmp("softmax", z1, z0, (size_t)m * k, 1e-5f, m, k, 0);
            ck_l2_normalize_rows(NULL, CK_PATH_SCALAR, m, k, x, z0);
            ck_l2_normalize_rows(pool, CK_PATH_AVX512, m, k, x, z1);
            cmp("l2", z1, z0, (size_t)m * k, 1e-5f, m, k, 0);
            free(x); free(w); free(b); free(y0); free(y1); free(r); free(g); free(z0); free(z1); ck_aligned_free(packed);
        }
    int att[][4] = {{1, 1, 1, 8}, {2, 7, 3, 16}, {1, 50, 12, 64}, {2, 77, 8, 64}, {3, 33, 2, 40}, {1, 49, 4, 96}, {4, 9, 1, 1}};
    for (unsigned i = 0; i < sizeof att / sizeof *att; i++)
        for (int causal = 0; causal < 2; causal++) {
            int B = att[i][0], S = att[i][1], H = att[i][2], D = att[i][3];
            float *qkv = rand_buf((size_t)B * S * 3 * H * D, 2), *o0 = malloc(sizeof(float) * B * S * H * D), *o1 = malloc(sizeof(float) * B * S * H * D);
            ck_attention(NULL, CK_PATH_SCALAR, B, S, H, D, qkv, o0, causal);
            ck_attention(pool, CK_PATH_AVX512, B, S, H, D, qkv, o1, causal);
            cmp("attention", o1, o0, (size_t)B * S * H * D, 1e-5f, B * S, H, D);
            free(qkv); free(o0); free(o1);
        }
    /* activations over a range, against libm in double */
    {
        int n = 2001; float *x = malloc(sizeof(float) * n), one = 1, y[2001];
        for (int i = 0; i < n; i++) x[i] = (i - 1000) / 50.0f;
        for (int act = 1; act < 3; act++) {
            ck_linear(NULL, CK_PATH_AVX512, n, 1, 1, x, 1, (float[32]){1}, NULL, y, 1, act, 0);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double v = x[i], e = act == 1 ? v / (1 + exp(-1.702 * v)) : 0.5 * v * erfc(-v * 0.70710678118654752);
                double tol = (1e-6 + 2e-7 * v * v) * fabs(e) + 1e-37;
                if (fabs(y[i] - e) > tol) { failures++; if (failures < 20) printf("FAIL act %d at %g: %g vs %g\n", act, v, y[i], e); }
                if (fabs(e) > 1e-30 && fabs(y[i] - e) / fabs(e) > worst) worst = fabs(y[i] - e) / fabs(e);
            }
            printf("activation %d worst relative %g\n", act, worst);
        }
        (void)one;
    }
    printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
    return failures != 0;
}
