#ifndef CKERNELS_SCAN_H
#define CKERNELS_SCAN_H
/* Scan kernels: one query against the rows of a contiguous row-major matrix (the catalog search),
 * and the per-row int8 quantisation of such a matrix. Single-threaded: the caller splits the rows
 * over the pool. `path` is a `ck_path`; a path this CPU cannot run falls back to the best it can. */
#include <stddef.h>
#include <stdint.h>

/* scores[r] = dot(matrix[r * dim ..< (r + 1) * dim], query) for r in 0 ..< rows.
 * matrix [rows, dim] fp32, query [dim], scores [rows]. */
void ck_scan_dot_rows_f32(int path, const float *matrix, size_t rows, size_t dim, const float *query, float *scores);

/* scores[i] = dot(matrix[indices[i] * dim ...], query) for i in 0 ..< count (a gathered subset). */
void ck_scan_dot_indexed_f32(int path, const float *matrix, size_t dim, const int32_t *indices, size_t count,
                             const float *query, float *scores);

/* scores[r] = Σ matrix[r, j] · query[j] in exact int32 arithmetic.
 * matrix [rows, dim] and query [dim] int8, every value in -127 ... 127 (never -128). */
void ck_scan_dot_rows_i8(int path, const int8_t *matrix, size_t rows, size_t dim, const int8_t *query,
                         int32_t *scores);

/* scores[r] = row_scales[r] · query_scale · Σ matrix[r, j] · query[j] (the int8 dot in exact int32
 * arithmetic), row_scales pointing at the scale of the first row. */
void ck_scan_dot_rows_i8_scaled(int path, const int8_t *matrix, size_t rows, size_t dim, const int8_t *query,
                                const float *row_scales, float query_scale, float *scores);

/* Symmetric per-row int8 quantisation: scales[r] = max_j |x[r, j]| / 127 and
 * out[r, j] = round-half-even(x[r, j] / scales[r]) in -127 ... 127 (a zero row: scale 0, zeros).
 * matrix [rows, dim] fp32, out [rows, dim] int8, scales [rows]. */
void ck_scan_quantize_rows_i8(int path, const float *matrix, size_t rows, size_t dim, int8_t *out, float *scales);

#endif
