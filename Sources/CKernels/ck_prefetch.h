/* The next block of weights, brought into L2 while a panel's row tiles compute (the AVX2 and AVX-512
 * fp32 tiles). Each row tile of a panel takes an equal share of the next block's lines, spread over
 * its k loop, so the stream from DRAM runs over the panel's whole time, not in a burst during its
 * first tile (which on Zen 5, with both cores bursting at once, asked for more than DRAM gives).
 * Internal to CKernels; include after ck_internal.h. */
#ifndef CK_PREFETCH_H
#define CK_PREFETCH_H
#include "ck_internal.h"

/* Lines of the next panel's block that a tile brings into L2 while it computes: n1 lines from p1,
 * then n2 from p2, `ldb` floats apart. */
typedef struct {
    const float *p1, *p2;
    int n1, n2;
    int per_step; /* prefetches per 4 k steps: enough to issue the share within the k loop */
} ck_prefetch_share;

/* The next line of the share, if any (prefetcht1: into L2). */
CK_INLINE void ck_prefetch_next(ck_prefetch_share *pf, ptrdiff_t ldb) {
    if (pf->n1 > 0) {
        __builtin_prefetch(pf->p1, 0, 2);
        pf->p1 += ldb;
        pf->n1--;
    } else if (pf->n2 > 0) {
        __builtin_prefetch(pf->p2, 0, 2);
        pf->p2 += ldb;
        pf->n2--;
    }
}

/* Tile t's share of the next panel's block: of its 2·kc lines (the left half's rows pf + kk·ldb,
 * then the right half's pf + half + kk·ldb), the t-th of `tiles` equal parts. */
CK_INLINE ck_prefetch_share ck_prefetch_share_of(const ck_epilogue *ep, ptrdiff_t half, ptrdiff_t ldb, int kc,
                                                 int t, int tiles) {
    ck_prefetch_share s = {NULL, NULL, 0, 0, 0};
    if (!ep->prefetch) return s;
    const int lines = 2 * kc;
    const int first = (int)((long)lines * t / tiles), end = (int)((long)lines * (t + 1) / tiles);
    const int left_end = end < kc ? end : kc;
    s.n1 = left_end > first ? left_end - first : 0;
    s.p1 = ep->prefetch + (ptrdiff_t)first * ldb;
    const int right_first = first > kc ? first : kc;
    s.n2 = end > right_first ? end - right_first : 0;
    s.p2 = ep->prefetch + half + (ptrdiff_t)(right_first - kc) * ldb;
    /* Spread over the k loop's steps of 4 (few rows: a tile's share outnumbers them). */
    const int steps = kc / 4 > 0 ? kc / 4 : 1;
    s.per_step = (s.n1 + s.n2 + steps - 1) / steps;
    return s;
}

#endif
