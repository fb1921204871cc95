import Testing
import EmbeddingCatalog

/// Every kernel set this CPU runs against a naive reference, over awkward lengths.
@Suite struct ScanKernelTests {
    static let dims = [1, 7, 15, 16, 31, 49, 50, 64, 77, 129, 512, 768]

    @Test(arguments: ["portable", "avx2", "avx512"])
    func fp32MatchesReference(isa: String) throws {
        let e = DeterministicEmbedder(dimension: 768 * 3)
        for d in Self.dims {
            let matrix = Array(e.vector(seed: UInt64(d)).prefix(3 * d))
            let query = Array(e.vector(seed: 1000 + UInt64(d)).prefix(d))
            guard let scores = MatrixScan.dotRows(matrix, dim: d, query: query, isa: isa) else { return }  // not on this CPU
            for r in 0..<3 {
                let expected = VectorMath.dot(matrix[r * d ..< (r + 1) * d], query)
                #expect(abs(Double(scores[r]) - expected) <= 1e-5 * Double(d).squareRoot(), "\(isa) dim \(d) row \(r)")
            }
        }
    }

    @Test(arguments: ["portable", "avx2", "avx512"])
    func int8IsExact(isa: String) throws {
        var state: UInt64 = 7
        func next() -> Int8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int8(Int((state >> 33) % 255) - 127)  // -127 … 127
        }
        for d in Self.dims {
            var matrix = (0..<(3 * d)).map { _ in next() }
            var query = (0..<d).map { _ in next() }
            matrix[0] = 127; query[0] = 127; matrix[d - 1] = -127; query[d - 1] = -127  // extremes
            guard let scores = MatrixScan.dotRows(matrix, dim: d, query: query, isa: isa) else { return }
            for r in 0..<3 {
                let expected = (0..<d).reduce(Int32(0)) { $0 + Int32(matrix[r * d + $1]) * Int32(query[$1]) }
                #expect(scores[r] == expected, "\(isa) dim \(d) row \(r)")
            }
            // All-extreme rows: the largest pair sums the s16 stage must hold.
            let allMax = [Int8](repeating: -127, count: d)
            let extreme = MatrixScan.dotRows(allMax, dim: d, query: allMax, isa: isa)!
            #expect(extreme[0] == Int32(d) * 127 * 127)
        }
    }
}

@Suite struct QuantizationTests {
    @Test func rowsQuantiseWithinHalfAStep() {
        for d in ScanKernelTests.dims {
            let e = DeterministicEmbedder(dimension: 3 * d)
            var matrix = e.vector(seed: UInt64(d))
            for j in 0..<d { matrix[d + j] = 0 }  // a zero row
            let q = QuantizedMatrix(matrix, rows: 3, dimension: d)
            #expect(q.scales[1] == 0 && q.values[d ..< 2 * d].allSatisfy { $0 == 0 })
            for r in [0, 2] {
                let row = matrix[r * d ..< (r + 1) * d]
                let maxAbs = row.map(abs).max()!
                #expect(q.scales[r] == maxAbs / 127)
                for j in 0..<d {
                    let exact = row[r * d + j] * 127 / maxAbs
                    #expect(abs(Float(q.values[r * d + j]) - exact) <= 0.5 + 1e-4, "dim \(d) row \(r) column \(j)")
                }
                #expect(q.values[r * d ..< (r + 1) * d].map { abs(Int($0)) }.max() == 127)
            }
        }
        #expect(QuantizedMatrix([], rows: 0, dimension: 4).values.isEmpty)
    }
}
