/* The two packed layouts of int8 weights (see CKernelsInt8.h): pairs for AVX2 `vpmaddwd`, quads with
 * row sums for AVX-512 VNNI `vpdpbusd`, and which one this CPU runs. Packing copies bytes only, so
 * every int8 value, −128 included, is kept exactly in either layout. */
#include "ck_q8_internal.h"
#include "ck_internal.h"
#include <string.h>

int ck_q8_vnni_available(void) {
    static int available = -1;
    int v = __atomic_load_n(&available, __ATOMIC_RELAXED);
    if (v < 0) {
        v = ck_q8_vnni_native_tile() != NULL;
        __atomic_store_n(&available, v, __ATOMIC_RELAXED);
    }
    return v;
}

int ck_q8_best_layout(void) { return ck_q8_vnni_available() ? CK_Q8_QUADS : CK_Q8_PAIRS; }

static size_t panel_count(int n) { return (size_t)((n + CK_Q8_PANEL - 1) / CK_Q8_PANEL); }

size_t ck_q8_panel_bytes(int layout, int k) {
    return (size_t)(layout == CK_Q8_QUADS ? ck_q8_round_up4(k) : ck_q8_round_up2(k)) * CK_Q8_PANEL;
}

size_t ck_q8_packed_bytes(int layout, int n, int k) {
    const size_t panels = panel_count(n) * ck_q8_panel_bytes(layout, k);
    if (layout != CK_Q8_QUADS) return panels;
    return panels + panel_count(n) * CK_Q8_PANEL * sizeof(int32_t);
}

int32_t *ck_q8_row_sums(int n, int k, const int8_t *packed) {
    return (int32_t *)(packed + panel_count(n) * ck_q8_panel_bytes(CK_Q8_QUADS, k));
}

void ck_q8_pack_rows(int layout, const int8_t *q, int n0, int n, int total, int k, ptrdiff_t stride_n,
                     ptrdiff_t stride_k, int8_t *packed) {
    const int group = layout == CK_Q8_QUADS ? 4 : 2;
    const size_t panel_bytes = ck_q8_panel_bytes(layout, k);
    int8_t *first = packed + (size_t)(n0 / CK_Q8_PANEL) * panel_bytes;
    memset(first, 0, panel_count(n) * panel_bytes);
    for (int p0 = 0; p0 < n; p0 += CK_Q8_PANEL) {
        int8_t *panel = first + (size_t)(p0 / CK_Q8_PANEL) * panel_bytes;
        const int width = n - p0 < CK_Q8_PANEL ? n - p0 : CK_Q8_PANEL;
        for (int kk = 0; kk < k; kk++) {
            const int8_t *src = q + (ptrdiff_t)p0 * stride_n + (ptrdiff_t)kk * stride_k;
            int8_t *dst = panel + (kk / group) * CK_Q8_PANEL * group + kk % group;
            for (int j = 0; j < width; j++) dst[j * group] = src[(ptrdiff_t)j * stride_n];
        }
    }
    if (layout != CK_Q8_QUADS) return;
    /* The row sums of the part's channels, zero for the padding channels of the layer's last panel. */
    int32_t *sums = ck_q8_row_sums(total, k, packed);
    const int end = n0 + n == total ? (int)(panel_count(total) * CK_Q8_PANEL) : n0 + n;
    for (int j = n0; j < end; j++) {
        int32_t s = 0;
        if (j < n0 + n)
            for (int kk = 0; kk < k; kk++) s += q[(ptrdiff_t)(j - n0) * stride_n + (ptrdiff_t)kk * stride_k];
        sums[j] = s;
    }
}

void ck_q8_pack_quantized(int layout, const int8_t *q, int n, int k, ptrdiff_t stride_n, ptrdiff_t stride_k,
                          int8_t *packed) {
    ck_q8_pack_rows(layout, q, 0, n, n, k, stride_n, stride_k, packed);
}
