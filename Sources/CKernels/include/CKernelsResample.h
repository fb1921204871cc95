#ifndef CKERNELS_RESAMPLE_H
#define CKERNELS_RESAMPLE_H
/* The two integer passes of Pillow's 8-bit resampler (libImaging/Resample.c). Single-threaded.
 * Weights are 22-bit fixed point; each sum starts at 1 << 21 and is clipped to 0…255 after the
 * shift. Output pixel j's window starts at input index bounds[2j] and has bounds[2j+1] taps with
 * weights coeffs[j·ksize ...]. The caller checks that every window lies inside the input. */
#include <stdint.h>

/* Horizontal pass (ImagingResampleHorizontal_8bpc) over 3-channel rows: in [rows, in_width, 3] →
 * out [rows, out_count, 3]. `path` is a `ck_path`; a path this CPU cannot run falls back to the best
 * it can (every path gives the same bytes). */
void ck_resample_horizontal_rgb(int path, const uint8_t *in, int32_t in_width, int32_t rows, uint8_t *out,
                                int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                                int32_t ksize);

/* Vertical pass (ImagingResampleVertical_8bpc): in [in_rows, row_samples] → out [out_count,
 * row_samples]. Output row j sums input rows bounds[2j] - first_row ...; first_row is the index of
 * in's first row in the full image. */
void ck_resample_vertical(const uint8_t *in, int32_t row_samples, int32_t first_row, uint8_t *out,
                          int32_t out_count, const int32_t *bounds, const int32_t *coeffs,
                          int32_t ksize);

#endif
