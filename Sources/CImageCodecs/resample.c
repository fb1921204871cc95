/*
 * The two integer passes of Pillow's 8-bit resampler (libImaging/Resample.c:
 * ImagingResampleHorizontal_8bpc and ImagingResampleVertical_8bpc). Weights are 22-bit fixed point
 * (PRECISION_BITS = 32 - 8 - 2), every sum starts at 1 << 21 (rounding) and is clipped to 0…255
 * after the shift. The vertical pass here accumulates whole rows at a time (integer sums, so the
 * order of the additions cannot change a result) so that the compiler can vectorise it.
 */
#include "CImageCodecs.h"

#define CIC_PRECISION_BITS (32 - 8 - 2)

static inline uint8_t cic_clip8(int32_t value) {
    if (value >= (1 << CIC_PRECISION_BITS << 8)) return 255;
    if (value <= 0) return 0;
    return (uint8_t)(value >> CIC_PRECISION_BITS);
}

void cic_resample_horizontal_rgb(const uint8_t *in, int32_t in_width, int32_t rows, uint8_t *out,
                                 int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                                 int32_t ksize) {
    const int32_t start = 1 << (CIC_PRECISION_BITS - 1);
    for (int32_t y = 0; y < rows; y++) {
        const uint8_t *row = in + (size_t)y * (size_t)in_width * 3;
        uint8_t *target = out + (size_t)y * (size_t)out_count * 3;
        for (int32_t j = 0; j < out_count; j++) {
            const uint8_t *pixel = row + (size_t)bounds[2 * j] * 3;
            const int32_t taps = bounds[2 * j + 1];
            const int32_t *weight = coeffs + (size_t)j * (size_t)ksize;
            int32_t s0 = start, s1 = start, s2 = start;
            for (int32_t t = 0; t < taps; t++) {
                const int32_t w = weight[t];
                s0 += pixel[0] * w;
                s1 += pixel[1] * w;
                s2 += pixel[2] * w;
                pixel += 3;
            }
            target[3 * j] = cic_clip8(s0);
            target[3 * j + 1] = cic_clip8(s1);
            target[3 * j + 2] = cic_clip8(s2);
        }
    }
}

/* Row sums for one output row; 256 samples at a time keep the accumulators in L1. */
#define CIC_VERTICAL_BLOCK 256

void cic_resample_vertical(const uint8_t *in, int32_t row_samples, int32_t first_row, uint8_t *out,
                           int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                           int32_t ksize) {
    int32_t sums[CIC_VERTICAL_BLOCK];
    for (int32_t j = 0; j < out_count; j++) {
        const int32_t ymin = bounds[2 * j] - first_row;
        const int32_t taps = bounds[2 * j + 1];
        const int32_t *weight = coeffs + (size_t)j * (size_t)ksize;
        uint8_t *target = out + (size_t)j * (size_t)row_samples;
        for (int32_t x0 = 0; x0 < row_samples; x0 += CIC_VERTICAL_BLOCK) {
            const int32_t count = row_samples - x0 < CIC_VERTICAL_BLOCK ? row_samples - x0 : CIC_VERTICAL_BLOCK;
            for (int32_t i = 0; i < count; i++) sums[i] = 1 << (CIC_PRECISION_BITS - 1);
            for (int32_t t = 0; t < taps; t++) {
                const uint8_t *source = in + (size_t)(ymin + t) * (size_t)row_samples + x0;
                const int32_t w = weight[t];
                for (int32_t i = 0; i < count; i++) sums[i] += source[i] * w;
            }
            for (int32_t i = 0; i < count; i++) target[x0 + i] = cic_clip8(sums[i]);
        }
    }
}
