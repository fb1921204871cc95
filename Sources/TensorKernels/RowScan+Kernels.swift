import CKernels
import Dispatch

/// The scan kernels over arrays: dot products of one query with many rows, the per-row int8
/// quantisation, and a plain streaming read for the benchmarks.
extension RowScan {
    /// `out[i] = ⟨matrix[row], query⟩` for the candidates `range` (rows, or `subset[range]`).
    static func dotF32(
        _ matrix: [Float], _ d: Int, _ query: [Float], _ subset: [Int32]?, _ range: Range<Int>,
        _ out: inout [Float], _ path: KernelPath
    ) {
        precondition(out.count >= range.count, "RowScan: \(out.count) scores for \(range.count) candidates")
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                out.withUnsafeMutableBufferPointer { o in
                    if let subset {
                        subset.withUnsafeBufferPointer { s in
                            ck_scan_dot_indexed_f32(
                                CInt(path.rawValue), m.baseAddress, d, s.baseAddress! + range.lowerBound,
                                range.count, q.baseAddress, o.baseAddress)
                        }
                    } else {
                        precondition(range.upperBound * d <= matrix.count, "RowScan: rows \(range) of \(matrix.count / d)")
                        ck_scan_dot_rows_f32(
                            CInt(path.rawValue), m.baseAddress! + range.lowerBound * d, range.count, d,
                            q.baseAddress, o.baseAddress)
                    }
                }
            }
        }
    }

    /// `out[i] = scales[r] · queryScale · Σ values[r, j] · query[j]` for rows `r` in `range`.
    static func dotI8(
        _ matrix: (values: [Int8], scales: [Float]), _ d: Int, _ query: [Int8], _ queryScale: Float,
        _ range: Range<Int>, _ out: inout [Float], _ path: KernelPath
    ) {
        precondition(
            out.count >= range.count && range.upperBound <= matrix.scales.count,
            "RowScan: rows \(range) of \(matrix.scales.count) into \(out.count) scores")
        matrix.values.withUnsafeBufferPointer { m in
            matrix.scales.withUnsafeBufferPointer { s in
                query.withUnsafeBufferPointer { q in
                    out.withUnsafeMutableBufferPointer { o in
                        ck_scan_dot_rows_i8_scaled(
                            CInt(path.rawValue), m.baseAddress! + range.lowerBound * d, range.count, d,
                            q.baseAddress, s.baseAddress! + range.lowerBound, queryScale, o.baseAddress)
                    }
                }
            }
        }
    }

    /// `⟨matrix[r], query⟩` for every row `r` of `matrix` `[rows, query.count]` on `path`'s kernels
    /// (a path this CPU cannot run falls back to the best it can).
    package static func dotRows(_ matrix: [Float], query: [Float], path: KernelPath = .best) -> [Float] {
        let d = query.count
        precondition(d > 0 && matrix.count % d == 0, "RowScan.dotRows: \(matrix.count) values in rows of \(d)")
        var out = [Float](repeating: 0, count: matrix.count / d)
        dotF32(matrix, d, query, nil, 0..<out.count, &out, path)
        return out
    }

    /// The exact int32 dot products of every row of `matrix` `[rows, query.count]` with `query`;
    /// every value must be in -127 … 127.
    package static func dotRows(_ matrix: [Int8], query: [Int8], path: KernelPath = .best) -> [Int32] {
        let d = query.count
        precondition(d > 0 && matrix.count % d == 0, "RowScan.dotRows: \(matrix.count) int8 values in rows of \(d)")
        var out = [Int32](repeating: 0, count: matrix.count / d)
        matrix.withUnsafeBufferPointer { m in
            ck_scan_dot_rows_i8(CInt(path.rawValue), m.baseAddress, out.count, d, query, &out)
        }
        return out
    }

    /// Symmetric per-row int8 quantisation of `matrix` `[rows, dimension]`: `scale = max|x| / 127`,
    /// `q = round(x / scale)` (ties to even) in -127 … 127; a zero row has scale 0. Large matrices
    /// are split over the pool.
    package static func quantizeRows(_ matrix: [Float], dimension: Int, path: KernelPath = .best)
        -> (values: [Int8], scales: [Float])
    {
        precondition(dimension > 0 && matrix.count % dimension == 0, "RowScan.quantizeRows: \(matrix.count) values in rows of \(dimension)")
        let rows = matrix.count / dimension
        let parts = matrix.count >= 1 << 20 ? 64 : 1
        var values = [Int8](repeating: 0, count: matrix.count), scales = [Float](repeating: 0, count: rows)
        guard rows > 0 else { return (values, scales) }
        matrix.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                scales.withUnsafeMutableBufferPointer { scaleBuffer in
                    // Parts write disjoint rows; the pool joins before the arrays are read.
                    nonisolated(unsafe) let (m, v, sc) = (source.baseAddress!, valueBuffer.baseAddress!, scaleBuffer.baseAddress!)
                    Kernels.forEachSlice(parts) { part in
                        let lo = rows * part / parts, hi = rows * (part + 1) / parts
                        ck_scan_quantize_rows_i8(
                            CInt(path.rawValue), m + lo * dimension, hi - lo, dimension,
                            v + lo * dimension, sc + lo)
                    }
                }
            }
        }
        return (values, scales)
    }

    /// Seconds to read `matrix` once on the pool (a plain sum, no scoring): the bandwidth peer of
    /// the scan benchmark.
    package static func streamReadSeconds(_ matrix: [Float]) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        matrix.withUnsafeBufferPointer { m in
            _ = ck_probe_sum(ck_default_pool(), CInt(KernelPath.best.rawValue), m.baseAddress, m.count)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
