#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
typedef simde__mmask16 __mmask16;
#ifndef _MM_FROUND_TO_NEAREST_INT
#define _MM_FROUND_TO_NEAREST_INT SIMDE_MM_FROUND_TO_NEAREST_INT
#endif
#ifndef _MM_FROUND_NO_EXC
#define _MM_FROUND_NO_EXC SIMDE_MM_FROUND_NO_EXC
#endif
#ifndef _CMP_LT_OQ
#define _CMP_LT_OQ SIMDE_CMP_LT_OQ
#endif
static inline simde__m512 _mm512_maskz_loadu_ps(simde__mmask16 m, const void *p) {
    simde__m512_private r; const float *f = p;
    for (int i = 0; i < 16; i++) r.f32[i] = (m >> i & 1) ? f[i] : 0.0f;
    return simde__m512_from_private(r);
}
static inline void _mm512_mask_storeu_ps(void *p, simde__mmask16 m, simde__m512 v) {
    simde__m512_private r = simde__m512_to_private(v); float *f = p;
    for (int i = 0; i < 16; i++) if (m >> i & 1) f[i] = r.f32[i];
}
static inline float _mm512_reduce_add_ps(simde__m512 v) {
    simde__m512_private r = simde__m512_to_private(v); float s = 0;
    for (int i = 0; i < 16; i++) s += r.f32[i];
    return s;
}
static inline float _mm512_reduce_max_ps(simde__m512 v) {
    simde__m512_private r = simde__m512_to_private(v); float s = r.f32[0];
    for (int i = 1; i < 16; i++) s = r.f32[i] > s ? r.f32[i] : s;
    return s;
}
