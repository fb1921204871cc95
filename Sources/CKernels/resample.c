/*
 * The two integer passes of Pillow's 8-bit resampler (libImaging/Resample.c:
 * ImagingResampleHorizontal_8bpc and ImagingResampleVertical_8bpc). Weights are 22-bit fixed point
 * (PRECISION_BITS = 32 - 8 - 2), every sum starts at 1 << 21 (rounding) and is clipped to 0…255
 * after the shift. The vertical pass here accumulates whole rows at a time (integer sums, so the
 * order of the additions cannot change a result) so that the compiler can vectorise it.
 * Dispatch is the one of every kernel here: the caller's `ck_path`, capped at `ck_best_path()`;
 * integer sums, so every path gives the same bytes.
 */
#include "ck_internal.h"
#include <string.h>

#define CK_RESAMPLE_PRECISION_BITS (32 - 8 - 2)

static inline uint8_t resample_clip8(int32_t value) {
    if (value >= (1 << CK_RESAMPLE_PRECISION_BITS << 8)) return 255;
    if (value <= 0) return 0;
    return (uint8_t)(value >> CK_RESAMPLE_PRECISION_BITS);
}

typedef int32_t resample_i32x4 __attribute__((vector_size(16)));
typedef uint8_t resample_u8x4 __attribute__((vector_size(4)));

/*
 * One output row of the horizontal pass with the three channels of a pixel (plus the first byte of
 * the next pixel, whose sum is discarded) in the lanes of one 4 × int32 vector. Integer sums, so
 * the lanes hold exactly Pillow's ss0, ss1, ss2. `last_safe` is the first output column whose
 * window would read past the end of the buffer with a 4-byte load; those use the scalar loop.
 */
static inline __attribute__((always_inline)) void horizontal_row(
    const uint8_t *row, uint8_t *target, int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
    int32_t ksize, int32_t last_safe) {
    const int32_t start = 1 << (CK_RESAMPLE_PRECISION_BITS - 1);
    for (int32_t j = 0; j < out_count; j++) {
        const uint8_t *pixel = row + (size_t)bounds[2 * j] * 3;
        const int32_t taps = bounds[2 * j + 1];
        const int32_t *weight = coeffs + (size_t)j * (size_t)ksize;
        if (j < last_safe) {
            resample_i32x4 sum = {start, start, start, start};
            for (int32_t t = 0; t < taps; t++) {
                resample_u8x4 bytes;
                memcpy(&bytes, pixel + 3 * t, 4);
                sum += __builtin_convertvector(bytes, resample_i32x4) * weight[t];
            }
            target[3 * j] = resample_clip8(sum[0]);
            target[3 * j + 1] = resample_clip8(sum[1]);
            target[3 * j + 2] = resample_clip8(sum[2]);
        } else {
            int32_t s0 = start, s1 = start, s2 = start;
            for (int32_t t = 0; t < taps; t++) {
                const int32_t w = weight[t];
                s0 += pixel[3 * t] * w;
                s1 += pixel[3 * t + 1] * w;
                s2 += pixel[3 * t + 2] * w;
            }
            target[3 * j] = resample_clip8(s0);
            target[3 * j + 1] = resample_clip8(s1);
            target[3 * j + 2] = resample_clip8(s2);
        }
    }
}

static void horizontal_portable(const uint8_t *in, int32_t in_width, int32_t rows, uint8_t *out,
                                int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                                int32_t ksize, int32_t last_safe) {
    for (int32_t y = 0; y < rows; y++)
        horizontal_row(in + (size_t)y * (size_t)in_width * 3, out + (size_t)y * (size_t)out_count * 3,
                       out_count, bounds, coeffs, ksize, y == rows - 1 ? last_safe : out_count);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) static void horizontal_avx2(
    const uint8_t *in, int32_t in_width, int32_t rows, uint8_t *out, int32_t out_count, const int32_t *bounds,
    const int32_t *coeffs, int32_t ksize, int32_t last_safe) {
    for (int32_t y = 0; y < rows; y++)
        horizontal_row(in + (size_t)y * (size_t)in_width * 3, out + (size_t)y * (size_t)out_count * 3,
                       out_count, bounds, coeffs, ksize, y == rows - 1 ? last_safe : out_count);
}
#endif

void ck_resample_horizontal_rgb(int path, const uint8_t *in, int32_t in_width, int32_t rows, uint8_t *out,
                                int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                                int32_t ksize) {
    /* In the last row, a window ending at the last input pixel must not load a 4th byte. */
    int32_t last_safe = out_count;
    while (last_safe > 0 && bounds[2 * (last_safe - 1)] + bounds[2 * (last_safe - 1) + 1] >= in_width) last_safe--;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (path > ck_best_path()) path = ck_best_path();
    if (path >= CK_PATH_AVX2) {
        horizontal_avx2(in, in_width, rows, out, out_count, bounds, coeffs, ksize, last_safe);
        return;
    }
#endif
    horizontal_portable(in, in_width, rows, out, out_count, bounds, coeffs, ksize, last_safe);
}

/* Row sums for one output row; 256 samples at a time keep the accumulators in L1. */
#define CK_RESAMPLE_VERTICAL_BLOCK 256

void ck_resample_vertical(const uint8_t *in, int32_t row_samples, int32_t first_row, uint8_t *out,
                          int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                          int32_t ksize) {
    int32_t sums[CK_RESAMPLE_VERTICAL_BLOCK];
    for (int32_t j = 0; j < out_count; j++) {
        const int32_t ymin = bounds[2 * j] - first_row;
        const int32_t taps = bounds[2 * j + 1];
        const int32_t *weight = coeffs + (size_t)j * (size_t)ksize;
        uint8_t *target = out + (size_t)j * (size_t)row_samples;
        for (int32_t x0 = 0; x0 < row_samples; x0 += CK_RESAMPLE_VERTICAL_BLOCK) {
            const int32_t count = row_samples - x0 < CK_RESAMPLE_VERTICAL_BLOCK ? row_samples - x0 : CK_RESAMPLE_VERTICAL_BLOCK;
            for (int32_t i = 0; i < count; i++) sums[i] = 1 << (CK_RESAMPLE_PRECISION_BITS - 1);
            for (int32_t t = 0; t < taps; t++) {
                const uint8_t *source = in + (size_t)(ymin + t) * (size_t)row_samples + x0;
                const int32_t w = weight[t];
                for (int32_t i = 0; i < count; i++) sums[i] += source[i] * w;
            }
            for (int32_t i = 0; i < count; i++) target[x0 + i] = resample_clip8(sums[i]);
        }
    }
}
