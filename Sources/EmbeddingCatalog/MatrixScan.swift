import CCatalogKernels
import Dispatch
import Foundation

/// The parallel scan behind every search: scores candidates block by block on a few threads, each
/// keeping its own top k, then merges. Scores come from `CCatalogKernels` (AVX-512 / AVX2 / portable).
package enum MatrixScan {
    /// Candidates scored per kernel call (a block of scores stays in L1).
    static let blockSize = 2048

    /// Which rows take part.
    enum Selection {
        /// Every row.
        case all
        /// Rows whose flag is true, `[rows]`.
        case mask([Bool])
        /// These rows only, ascending.
        case subset([Int32])
    }

    /// Threads for a scan of `elements` floats: one per ~256 K, at most the active processors.
    static func threadCount(elements: Int) -> Int {
        max(1, min(ProcessInfo.processInfo.activeProcessorCount, elements / (1 << 18), 16))
    }

    /// Top `k` candidates of `count`, scoring blocks with `score(range, out)` (candidate indices, not rows);
    /// `row(i)` maps a candidate to its row; `accept(i)` drops candidates (nil = accept all).
    static func topK(count: Int, k: Int, elementsPerCandidate: Int,
                     row: (Int) -> Int32, accept: ((Int) -> Bool)?,
                     score: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> [(score: Float, row: Int)] {
        guard count > 0, k > 0 else { return [] }
        let threads = min(threadCount(elements: count * elementsPerCandidate), (count + blockSize - 1) / blockSize)
        var accumulators = [TopKAccumulator](repeating: TopKAccumulator(k: k), count: threads)
        withoutActuallyEscaping(score) { score in
            withoutActuallyEscaping(row) { row in
                accumulators.withUnsafeMutableBufferPointer { accs in
                    // Each thread writes only its own accumulator slot; everything else it reads is immutable.
                    let shared = UncheckedSendable((score, row, accept, accs))
                    // Blocks are handed out through a shared counter, so a thread that the OS
                    // preempts (shared machines) does not hold up the others.
                    let next = BlockCounter()
                    let blocks = (count + blockSize - 1) / blockSize
                    let work = { @Sendable (t: Int) in
                        let (score, row, accept, accs) = shared.value
                        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: blockSize)
                        defer { buffer.deallocate() }
                        var acc = TopKAccumulator(k: k)
                        while true {
                            let block = next.take()
                            if block >= blocks { break }
                            let start = block * blockSize, end = min(start + blockSize, count)
                            score(start ..< end, buffer)
                            for i in start ..< end {
                                let s = buffer[i - start]
                                if s < acc.threshold { continue }
                                if let accept, !accept(i) { continue }
                                acc.consider(s, row(i))
                            }
                        }
                        accs[t] = acc
                    }
                    if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
                }
            }
        }
        var total = accumulators[0]
        for t in accumulators.indices.dropFirst() { total.merge(accumulators[t]) }
        return total.sorted()
    }

    /// fp32 scores of rows `range` (or of `subset[range]`) of `matrix` `[*, dim]` against `query`.
    static func scoreF32(_ matrix: UnsafePointer<Float>, dim: Int, query: UnsafePointer<Float>,
                         subset: UnsafePointer<Int32>?, range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        if let subset {
            catalog_dot_indexed_f32(matrix, dim, subset + range.lowerBound, range.count, query, out)
        } else {
            catalog_dot_rows_f32(matrix + range.lowerBound * dim, range.count, dim, query, out)
        }
    }

    /// Approximate scores of rows `range` of an int8 matrix: `scale[r] · queryScale · Σ q[r,j]·query[j]`.
    static func scoreI8(_ matrix: UnsafePointer<Int8>, scales: UnsafePointer<Float>, dim: Int,
                        query: UnsafePointer<Int8>, queryScale: Float, range: Range<Int>,
                        into out: UnsafeMutablePointer<Float>) {
        catalog_dot_rows_i8_scaled(matrix + range.lowerBound * dim, range.count, dim, query,
                                   scales + range.lowerBound, queryScale, out)
    }

    /// The instruction set the scan kernels use on this CPU ("avx512", "avx2" or "portable").
    static var isa: String { String(cString: catalog_kernels_isa()) }

}

/// Hands a value to `concurrentPerform` whose threads use it without races (see the call site).
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The next block index to scan, shared by the scan threads. (A lock rather than `Atomic`, which
/// needs macOS 15; it is taken once per 2,048-row block.)
private final class BlockCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    /// Returns the current index and advances it.
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}
