/* AVX2 + FMA vector math shared by the fp32 and int8 GEMM epilogues: exp, erfc and the activations.
 * Internal to CKernels; include after ck_internal.h and <immintrin.h>. */
#ifndef CK_AVX2_MATH_H
#define CK_AVX2_MATH_H
#if defined(__x86_64__)
#include <immintrin.h>

#ifndef I256
#define I256 static inline __attribute__((always_inline, target("avx2,fma")))
#endif

/* The sum and the maximum of the eight lanes. */
I256 float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

I256 float hmax256(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* e^x, about 1 ulp (Cephes polynomial); the argument is clamped so 2^n stays a normal float, and
 * results below FLT_MIN (x < -87.34) are flushed to zero. */
I256 __m256 exp256(__m256 x) {
    const __m256 underflow = _mm256_cmp_ps(x, _mm256_set1_ps(-87.3365478515625f), _CMP_LT_OQ);
    /* min/max return their second operand when one is NaN: keep x there so NaN propagates. */
    x = _mm256_min_ps(_mm256_set1_ps(88.3762626647949f), x);
    x = _mm256_max_ps(_mm256_set1_ps(-87.3365478515625f), x);
    __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_andnot_ps(underflow, _mm256_mul_ps(y, _mm256_castsi256_ps(e)));
}

/* erfc(u) with relative error < 1.2e-7 (Numerical Recipes' Chebyshev fit `erfcc`). */
I256 __m256 erfc256(__m256 u) {
    __m256 z = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), u);
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f),
                             _mm256_fmadd_ps(z, _mm256_set1_ps(0.5f), _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_set1_ps(0.17087277f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.82215223f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.48851587f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.13520398f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.27886807f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.18628806f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.09678418f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.37409196f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.00002368f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.26551223f));
    __m256 e = _mm256_mul_ps(t, exp256(_mm256_fnmadd_ps(z, z, p)));
    __m256 negative = _mm256_cmp_ps(u, _mm256_setzero_ps(), _CMP_LT_OQ);
    return _mm256_blendv_ps(e, _mm256_sub_ps(_mm256_set1_ps(2.0f), e), negative);
}

I256 __m256 activate256(__m256 v, int activation) {
    switch (activation) {
    case CK_ACT_QUICK_GELU: {
        __m256 e = exp256(_mm256_mul_ps(v, _mm256_set1_ps(-1.702f)));
        return _mm256_div_ps(v, _mm256_add_ps(e, _mm256_set1_ps(1.0f)));
    }
    case CK_ACT_GELU: {
        __m256 c = erfc256(_mm256_mul_ps(v, _mm256_set1_ps(-0.70710678118654752f)));
        return _mm256_mul_ps(_mm256_mul_ps(v, _mm256_set1_ps(0.5f)), c);
    }
    default:
        return v;
    }
}

#endif
#endif
