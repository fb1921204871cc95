import Testing

@testable import TensorKernels

/// The catalog scan kernels on every path this CPU runs, against naive twins over awkward shapes.
@Suite struct RowScanTests {
    static let dims = [1, 7, 15, 16, 31, 49, 50, 64, 77, 129, 512, 768]
    static var paths: [KernelPath] { KernelPath.allCases.filter(\.isAvailable) }

    @Test func fp32DotRowsMatchTheNaiveDot() {
        for path in Self.paths {
            for d in Self.dims {
                let matrix = randomValues(3 * d, seed: UInt64(d)), query = randomValues(d, seed: 1000 + UInt64(d))
                let scores = RowScan.dotRows(matrix, query: query, path: path)
                #expect(scores.count == 3)
                for r in 0..<3 {
                    let expected = (0..<d).reduce(0.0) { $0 + Double(matrix[r * d + $1]) * Double(query[$1]) }
                    #expect(abs(Double(scores[r]) - expected) <= 1e-5 * Double(d).squareRoot(), "\(path) dim \(d) row \(r)")
                }
            }
        }
    }

    @Test func int8DotRowsAreExact() {
        var rng = SeededGenerator(seed: 7)
        func next() -> Int8 { Int8(Int(rng.next() % 255) - 127) }  // -127 … 127
        for path in Self.paths {
            for d in Self.dims {
                var matrix = (0..<(3 * d)).map { _ in next() }
                var query = (0..<d).map { _ in next() }
                matrix[0] = 127
                query[0] = 127
                matrix[d - 1] = -127
                query[d - 1] = -127  // extremes
                let scores = RowScan.dotRows(matrix, query: query, path: path)
                for r in 0..<3 {
                    let expected = (0..<d).reduce(Int32(0)) { $0 + Int32(matrix[r * d + $1]) * Int32(query[$1]) }
                    #expect(scores[r] == expected, "\(path) dim \(d) row \(r)")
                }
                // All-extreme rows: the largest pair sums the s16 stage must hold.
                let allMax = [Int8](repeating: -127, count: d)
                #expect(RowScan.dotRows(allMax, query: allMax, path: path)[0] == Int32(d) * 127 * 127)
            }
        }
    }

    @Test func quantisationMatchesTheNaiveRounding() {
        for path in Self.paths {
            for d in Self.dims {
                var matrix = randomValues(3 * d, seed: UInt64(d) + 5)
                for j in 0..<d { matrix[d + j] = 0 }  // a zero row
                let (values, scales) = RowScan.quantizeRows(matrix, dimension: d, path: path)
                #expect(scales[1] == 0 && values[d..<2 * d].allSatisfy { $0 == 0 })
                for r in [0, 2] {
                    let maxAbs = matrix[r * d..<(r + 1) * d].map(abs).max()!
                    #expect(scales[r] == maxAbs / 127)
                    for j in 0..<d {
                        let q = (matrix[r * d + j] * (127 / maxAbs)).rounded(.toNearestOrEven)
                        #expect(values[r * d + j] == Int8(max(-127, min(127, q))), "\(path) dim \(d) [\(r), \(j)]")
                    }
                }
            }
        }
        #expect(RowScan.quantizeRows([], dimension: 4).values.isEmpty)
    }

    /// The naive twin of `RowScan.topK`: every blended score, sorted (score descending, row ascending).
    /// Dot products on the same `path` (the dot kernel itself is checked above), so that near-ties
    /// order the same way.
    static func naiveTopK(
        _ k: Int, images: [Float], texts: [Float]?, hasText: [Bool], d: Int, query: [Float],
        w: Float, rows: [Int], path: KernelPath
    ) -> [(score: Float, row: Int)] {
        func dot(_ m: [Float], _ r: Int) -> Float {
            RowScan.dotRows(Array(m[r * d..<(r + 1) * d]), query: query, path: path)[0]
        }
        let scored = rows.map { r -> (score: Float, row: Int) in
            let image = dot(images, r)
            guard let texts, w > 0 else { return (image, r) }
            let text = hasText[r] ? dot(texts, r) : image
            return ((1 - w) * image + w * text, r)
        }
        return Array(scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }.prefix(k))
    }

    @Test(arguments: [0, 1, 5, 2047, 2048, 2049, 6000])
    func topKMatchesTheNaiveTwin(rows n: Int) {
        let d = 33
        let images = randomValues(n * d, seed: UInt64(n) + 1), texts = randomValues(n * d, seed: UInt64(n) + 2)
        let hasText = (0..<n).map { $0 % 3 != 0 }
        let query = randomValues(d, seed: 99)
        let matrix = RowScan.Float32Rows(images: images, texts: texts, hasText: hasText, dimension: d)
        let mask = (0..<n).map { $0 % 4 != 1 }
        let subset = (0..<n).filter { $0 % 7 == 2 }.map { Int32($0) }
        for path in Self.paths {
            for (w, k) in [(Float(0), 1), (0.25, 10), (1, 3000)] {
                let cases: [(RowScan.Selection, [Int])] = [
                    (.all, Array(0..<n)), (.mask(mask), (0..<n).filter { mask[$0] }), (.subset(subset), subset.map { Int($0) })
                ]
                for (selection, rows) in cases {
                    let found = RowScan.topK(k, of: matrix, query: query, textWeight: w, selection: selection, path: path)
                    let expected = Self.naiveTopK(
                        k, images: images, texts: texts, hasText: hasText, d: d, query: query,
                        w: w, rows: rows, path: path)
                    #expect(found.map(\.row) == expected.map(\.row), "\(path) rows \(n) w \(w) k \(k) \(selection)")
                    #expect(zip(found, expected).allSatisfy { $0.score == $1.score }, "\(path) rows \(n)")
                }
            }
        }
    }

    @Test func int8TopKRanksByTheQuantisedScores() {
        let n = 4500, d = 40
        let images = randomValues(n * d, seed: 3), texts = randomValues(n * d, seed: 4)
        let hasText = (0..<n).map { $0 % 2 == 0 }
        let q = RowScan.quantizeRows(images, dimension: d), t = RowScan.quantizeRows(texts, dimension: d)
        let query = (0..<d).map { Int8($0 % 255 - 127 + 100) }
        let mask = (0..<n).map { $0 % 5 != 0 }
        let matrix = RowScan.Int8Rows(images: q, texts: t, hasText: hasText, dimension: d)
        for path in Self.paths {
            let found = RowScan.topK(25, of: matrix, query: query, queryScale: 0.01, textWeight: 0.5, mask: mask, path: path)
            func score(_ m: (values: [Int8], scales: [Float]), _ r: Int) -> Float {
                let dot = (0..<d).reduce(Int32(0)) { $0 + Int32(m.values[r * d + $1]) * Int32(query[$1]) }
                return Float(dot) * m.scales[r] * 0.01
            }
            var scored: [(score: Float, row: Int)] = []
            for r in 0..<n where mask[r] {
                let image: Float = score(q, r)
                let text: Float = hasText[r] ? score(t, r) : image
                scored.append((score: 0.5 * image + 0.5 * text, row: r))
            }
            scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
            let expected = Array(scored.prefix(25))
            #expect(found.map(\.row) == expected.map(\.row), "\(path)")
        }
    }
}
