import EmbeddingCatalog
import Testing

@Suite struct QuantizationTests {
    @Test func rowsQuantiseWithinHalfAStep() {
        for d in [1, 7, 15, 16, 31, 49, 50, 64, 77, 129, 512, 768] {
            let e = DeterministicEmbedder(dimension: 3 * d)
            var matrix = e.vector(seed: UInt64(d))
            for j in 0..<d { matrix[d + j] = 0 }  // a zero row
            let q = QuantizedMatrix(matrix, rows: 3, dimension: d)
            #expect(q.scales[1] == 0 && q.values[d..<2 * d].allSatisfy { $0 == 0 })
            for r in [0, 2] {
                let row = matrix[r * d..<(r + 1) * d]
                let maxAbs = row.map(abs).max()!
                #expect(q.scales[r] == maxAbs / 127)
                for j in 0..<d {
                    let exact = row[r * d + j] * 127 / maxAbs
                    #expect(abs(Float(q.values[r * d + j]) - exact) <= 0.5 + 1e-4, "dim \(d) row \(r) column \(j)")
                }
                #expect(q.values[r * d..<(r + 1) * d].map { abs(Int($0)) }.max() == 127)
            }
        }
        #expect(QuantizedMatrix([], rows: 0, dimension: 4).values.isEmpty)
    }
}
