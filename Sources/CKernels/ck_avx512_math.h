/* AVX-512F vector math shared by the fp32 and bf16 GEMM epilogues: exp, erfc, the activations and
 * lane masks. Internal to CKernels; include after ck_internal.h and <immintrin.h>. */
#ifndef CK_AVX512_MATH_H
#define CK_AVX512_MATH_H
#if defined(__x86_64__)
#include <immintrin.h>

#ifndef I512
#define I512 static inline __attribute__((always_inline, target("avx512f")))
#endif

/* e^x, about 1 ulp (Cephes polynomial), exact scaling through vscalefps. */
I512 __m512 exp512(__m512 x) {
    /* min/max return their second operand when one is NaN: keep x there so NaN propagates. */
    x = _mm512_min_ps(_mm512_set1_ps(88.7228f), x);
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), x);
    __m512 fx = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(y, fx);
}

/* erfc(u) with relative error < 1.2e-7 (Numerical Recipes' Chebyshev fit `erfcc`). */
I512 __m512 erfc512(__m512 u) {
    __m512 z = _mm512_abs_ps(u);
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f),
                             _mm512_fmadd_ps(z, _mm512_set1_ps(0.5f), _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_set1_ps(0.17087277f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.82215223f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.48851587f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.13520398f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.27886807f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.18628806f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.09678418f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.37409196f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.00002368f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.26551223f));
    __m512 e = _mm512_mul_ps(t, exp512(_mm512_fnmadd_ps(z, z, p)));
    __mmask16 negative = _mm512_cmp_ps_mask(u, _mm512_setzero_ps(), _CMP_LT_OQ);
    return _mm512_mask_sub_ps(e, negative, _mm512_set1_ps(2.0f), e);
}

I512 __m512 activate512(__m512 v, int activation) {
    switch (activation) {
    case CK_ACT_QUICK_GELU: {
        __m512 e = exp512(_mm512_mul_ps(v, _mm512_set1_ps(-1.702f)));
        return _mm512_div_ps(v, _mm512_add_ps(e, _mm512_set1_ps(1.0f)));
    }
    case CK_ACT_GELU: {
        __m512 c = erfc512(_mm512_mul_ps(v, _mm512_set1_ps(-0.70710678118654752f)));
        return _mm512_mul_ps(_mm512_mul_ps(v, _mm512_set1_ps(0.5f)), c);
    }
    default:
        return v;
    }
}

I512 __mmask16 lanes(int n) { return n >= 16 ? (__mmask16)0xFFFF : n <= 0 ? 0 : (__mmask16)((1u << n) - 1); }

#endif
#endif
