#ifndef CCATALOG_KERNELS_H
#define CCATALOG_KERNELS_H
/* Scan kernels for the embedding catalog: one query against a contiguous row-major matrix.
 * Pure C, no Swift knowledge; each entry point dispatches at run time to AVX-512, AVX2+FMA or a
 * portable loop. (Candidates to move into CKernels once TensorKernels settles.) */
#include <stddef.h>
#include <stdint.h>

/* scores[r] = dot(matrix[r * dim ..< (r + 1) * dim], query) for r in 0 ..< rows.
 * matrix [rows, dim] fp32, query [dim], scores [rows]. */
void catalog_dot_rows_f32(const float *matrix, size_t rows, size_t dim, const float *query, float *scores);

/* scores[i] = dot(matrix[indices[i] * dim ...], query) for i in 0 ..< count (a gathered subset). */
void catalog_dot_indexed_f32(const float *matrix, size_t dim, const int32_t *indices, size_t count,
                             const float *query, float *scores);

/* scores[r] = Σ matrix[r, j] · query[j] in exact int32 arithmetic.
 * matrix [rows, dim] and query [dim] int8, every value in -127 ... 127 (never -128). */
void catalog_dot_rows_i8(const int8_t *matrix, size_t rows, size_t dim, const int8_t *query, int32_t *scores);

/* scores[r] = row_scales[r] · query_scale · Σ matrix[r, j] · query[j] (the int8 dot in exact int32 arithmetic),
 * row_scales pointing at the scale of the first row. */
void catalog_dot_rows_i8_scaled(const int8_t *matrix, size_t rows, size_t dim, const int8_t *query,
                                const float *row_scales, float query_scale, float *scores);

/* Test hooks: catalog_dot_rows_f32 / _i8 with the named kernel set ("portable", "avx2", "avx512").
 * Return 1, or 0 (writing nothing) when this CPU cannot run that set. */
int catalog_kernels_dot_rows_f32_using(const char *isa, const float *matrix, size_t rows, size_t dim,
                                      const float *query, float *scores);
int catalog_kernels_dot_rows_i8_using(const char *isa, const int8_t *matrix, size_t rows, size_t dim,
                                     const int8_t *query, int32_t *scores);

/* Symmetric per-row int8 quantisation: scales[r] = max_j |x[r, j]| / 127 and
 * out[r, j] = round-half-even(x[r, j] / scales[r]) in -127 ... 127 (a zero row: scale 0, zeros).
 * matrix [rows, dim] fp32, out [rows, dim] int8, scales [rows]. */
void catalog_quantize_rows_i8(const float *matrix, size_t rows, size_t dim, int8_t *out, float *scales);

/* Σ x[i] for i < n: a pure streaming read, the bandwidth peer the benchmark compares scans against. */
float catalog_stream_sum_f32(const float *x, size_t n);

/* The kernel the dispatcher picked: "avx512", "avx2" or "portable". */
const char *catalog_kernels_isa(void);

#endif
