import CCatalogKernels
import Dispatch

extension MatrixScan {
    /// fp32 scores of every row of `matrix` `[rows, dim]` against `query` with the named kernel set
    /// ("portable", "avx2", "avx512"); nil when this CPU cannot run it.
    package static func dotRows(_ matrix: [Float], dim: Int, query: [Float], isa: String) -> [Float]? {
        let rows = matrix.count / dim
        var out = [Float](repeating: 0, count: rows)
        return catalog_kernels_dot_rows_f32_using(isa, matrix, rows, dim, query, &out) == 1 ? out : nil
    }

    /// int8 scores of every row of `matrix` `[rows, dim]` against `query` with the named kernel set.
    package static func dotRows(_ matrix: [Int8], dim: Int, query: [Int8], isa: String) -> [Int32]? {
        let rows = matrix.count / dim
        var out = [Int32](repeating: 0, count: rows)
        return catalog_kernels_dot_rows_i8_using(isa, matrix, rows, dim, query, &out) == 1 ? out : nil
    }
}

extension MatrixScan {
    /// Seconds to stream-read `matrix` once on `threads` threads (a plain sum, no scoring): the
    /// bandwidth peer for the scan benchmark.
    package static func streamReadSeconds(_ matrix: [Float], threads: Int) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        matrix.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!
            let n = buffer.count
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let lo = n * t / threads, hi = n * (t + 1) / threads
                _ = catalog_stream_sum_f32(base + lo, hi - lo)
            }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
