import CKernels
import Synchronization

/// Top-k search over the rows of a row-major matrix: every search of the catalog runs here.
///
/// A candidate's score blends two dot products with the query, `(1 − w) · ⟨image, q⟩ + w · ⟨text, q⟩`
/// (a row without text uses its image score for both). Candidates are scored block by block on the
/// shared pool's threads, each keeping its own top k, then merged; blocks are handed out through a
/// shared counter, so a thread the OS preempts (shared machines) does not hold up the others. A pool
/// busy with other work runs the scan on the calling thread.
package enum RowScan {
    /// Candidates scored per kernel call (a block of scores stays in L1).
    package static let blockSize = 2048

    /// Which rows take part.
    package enum Selection: Sendable {
        /// Every row.
        case all
        /// Rows whose flag is true, `[rows]`.
        case mask([Bool])
        /// These rows only, ascending.
        case subset([Int32])
    }

    /// Rows of an fp32 matrix `[rows, dimension]`, and optional text rows of the same shape.
    package struct Float32Rows: Sendable {
        package var images: [Float]
        /// `[rows, dimension]` or nil; rows where `hasText` is false are ignored.
        package var texts: [Float]?
        package var hasText: [Bool]
        package var dimension: Int

        package init(images: [Float], texts: [Float]?, hasText: [Bool], dimension: Int) {
            precondition(dimension > 0 && images.count % dimension == 0, "RowScan: \(images.count) values in rows of \(dimension)")
            precondition(texts == nil || texts!.count == images.count, "RowScan: text matrix \(texts!.count) for \(images.count) image values")
            precondition(texts == nil || hasText.count == images.count / dimension, "RowScan: \(hasText.count) text flags")
            self.images = images
            self.texts = texts
            self.hasText = hasText
            self.dimension = dimension
        }

        package var rows: Int { images.count / dimension }
    }

    /// Rows of per-row int8 matrices (`row r ≈ scales[r] · values[r]`), and optional text rows.
    package struct Int8Rows: Sendable {
        package var images: (values: [Int8], scales: [Float])
        package var texts: (values: [Int8], scales: [Float])?
        package var hasText: [Bool]
        package var dimension: Int

        package init(
            images: (values: [Int8], scales: [Float]), texts: (values: [Int8], scales: [Float])?,
            hasText: [Bool], dimension: Int
        ) {
            precondition(
                dimension > 0 && images.values.count == images.scales.count * dimension,
                "RowScan: \(images.values.count) int8 values for \(images.scales.count) rows of \(dimension)")
            precondition(
                texts == nil || (texts!.values.count == images.values.count && texts!.scales.count == images.scales.count),
                "RowScan: int8 text rows of another shape")
            precondition(texts == nil || hasText.count == images.scales.count, "RowScan: \(hasText.count) text flags")
            self.images = images
            self.texts = texts
            self.hasText = hasText
            self.dimension = dimension
        }

        package var rows: Int { images.scales.count }
    }

    /// The `k` best rows of `matrix` for `query` `[dimension]` with text weight `textWeight` (0 … 1),
    /// best first (ties: the smaller row).
    package static func topK(
        _ k: Int, of matrix: Float32Rows, query: [Float], textWeight w: Float,
        selection: Selection, path: KernelPath = .best
    ) -> [(score: Float, row: Int)] {
        let d = matrix.dimension
        precondition(query.count == d, "RowScan.topK: query of \(query.count) for rows of \(d)")
        let subset: [Int32]? = if case let .subset(rows) = selection { rows } else { nil }
        let mask: [Bool]? = if case let .mask(m) = selection { m } else { nil }
        let texts = w > 0 ? matrix.texts : nil
        let count = subset?.count ?? matrix.rows
        return scan(
            count: count, k: k, elementsPerCandidate: texts == nil ? d : 2 * d,
            row: { subset?[$0] ?? Int32($0) }, accept: mask,
            score: { range, out in
                dotF32(matrix.images, d, query, subset, range, &out, path)
                guard let texts else { return }
                var textScores = [Float](repeating: 0, count: range.count)
                dotF32(texts, d, query, subset, range, &textScores, path)
                for i in 0..<range.count {
                    let r = subset.map { Int($0[range.lowerBound + i]) } ?? range.lowerBound + i
                    let t = matrix.hasText[r] ? textScores[i] : out[i]
                    out[i] = (1 - w) * out[i] + w * t
                }
            })
    }

    /// `topK` over int8 rows with a query quantised the same way (`query · queryScale ≈` the fp32
    /// query): approximate scores, for a first pass that an exact scan re-ranks.
    package static func topK(
        _ k: Int, of matrix: Int8Rows, query: [Int8], queryScale: Float, textWeight w: Float,
        mask: [Bool]?, path: KernelPath = .best
    ) -> [(score: Float, row: Int)] {
        let d = matrix.dimension
        precondition(query.count == d, "RowScan.topK: int8 query of \(query.count) for rows of \(d)")
        precondition(mask == nil || mask!.count == matrix.rows, "RowScan.topK: mask of \(mask!.count) for \(matrix.rows) rows")
        let texts = w > 0 ? matrix.texts : nil
        return scan(
            count: matrix.rows, k: k, elementsPerCandidate: (texts == nil ? d : 2 * d) / 4,
            row: { Int32($0) }, accept: mask,
            score: { range, out in
                dotI8(matrix.images, d, query, queryScale, range, &out, path)
                guard let texts else { return }
                var textScores = [Float](repeating: 0, count: range.count)
                dotI8(texts, d, query, queryScale, range, &textScores, path)
                for i in 0..<range.count {
                    let t = matrix.hasText[range.lowerBound + i] ? textScores[i] : out[i]
                    out[i] = (1 - w) * out[i] + w * t
                }
            })
    }

    /// Threads for a scan of `elements` values: one per ~256 K, at most the pool's.
    static func threadCount(elements: Int, blocks: Int) -> Int {
        max(1, min(Kernels.threadCount, elements / (1 << 18), 16, blocks))
    }

    /// Top `k` of `count` candidates, scoring blocks with `score(range, &out)` (candidate indices);
    /// `row(i)` maps a candidate to its row, `accept` drops candidates (nil: all).
    private static func scan(
        count: Int, k: Int, elementsPerCandidate: Int, row: @Sendable (Int) -> Int32,
        accept: [Bool]?, score: @Sendable (Range<Int>, inout [Float]) -> Void
    )
        -> [(score: Float, row: Int)]
    {
        guard count > 0, k > 0 else { return [] }
        let blocks = (count + blockSize - 1) / blockSize
        let threads = threadCount(elements: count * elementsPerCandidate, blocks: blocks)
        let results = SliceResults<TopKAccumulator>(count: threads)
        let next = Atomic<Int>(0)
        Kernels.forEachSlice(threads) { slice in
            var scores = [Float](repeating: 0, count: blockSize)
            var best = TopKAccumulator(k: k)
            while true {
                let block = next.add(1, ordering: .relaxed).oldValue
                if block >= blocks { break }
                let start = block * blockSize, end = min(start + blockSize, count)
                score(start..<end, &scores)
                for i in start..<end {
                    let s = scores[i - start]
                    if s < best.threshold { continue }
                    if let accept, !accept[i] { continue }
                    best.consider(s, row(i))
                }
            }
            results.store(best, at: slice)
        }
        var total = TopKAccumulator(k: k)
        for case let part? in results.values { total.merge(part) }
        return total.sorted()
    }
}
