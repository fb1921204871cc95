import TensorKernels
import Testing

/// int8 `Kernels.linear` (`LinearWeights.Precision.int8`) against its naive twin (same integers) on
/// every path, and against fp32 (quantisation error only).
@Suite struct Int8LinearTests {
    static let shapes: [LinearTests.Shape] =
        [1, 7, 49, 50, 77].flatMap { m in
            [(1, 1), (7, 33), (64, 7), (33, 64), (1, 65), (769, 31), (7, 97)].map { LinearTests.Shape(m: m, k: $0.0, n: $0.1) }
        } + [LinearTests.Shape(m: 50, k: 768, n: 3072), LinearTests.Shape(m: 130, k: 3072, n: 40)]

    @Test(arguments: shapes)
    func matchesNaiveTwinOnEveryPath(_ s: LinearTests.Shape) {
        let seed = UInt64(s.m * 1_000_003 + s.k * 1009 + s.n)
        let x = randomMatrix(s.m, s.k, scale: 2, seed: seed)
        let weight = randomValues(s.n * s.k, scale: 1 / Float(s.k).squareRoot(), seed: seed + 1)
        let bias = randomValues(s.n, scale: 0.5, seed: seed + 2)
        #expect(
            LinearWeights(weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k, precision: .int8).int8Layout
                == Int8Layout.best)
        let rows = sampleRows(s.m)
        // Both packings on every path: a CPU with VNNI tests the AVX2 pairs kernels too.
        for layout in Int8Layout.allCases {
            let w = LinearWeights(int8Weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k, int8Layout: layout)
            for activation in Activation.allCases {
                let twin = NaiveKernels.int8Linear(pickRows(x, rows), weight: weight, bias: bias, outFeatures: s.n, activation: activation)
                let float = NaiveKernels.linear(x, weight: weight, bias: bias, outFeatures: s.n, activation: activation)
                for context in availableContexts {
                    let y = Kernels.linear(x, w, activation: activation, context: context)
                    #expect(relativeError(pickRows(y, rows), twin) <= 2e-5, "\(s) \(activation) \(context.path) \(layout)")
                    #expect(relativeError(y, float) <= 0.03, "\(s) \(activation) \(context.path) \(layout) vs fp32")
                }
            }
            // Residual form.
            let start = randomMatrix(s.m, s.n, seed: seed + 3)
            let product = NaiveKernels.int8Linear(x, weight: weight, bias: bias, outFeatures: s.n)
            let expected = Matrix(rows: s.m, columns: s.n, values: zip(start.values, product.values).map { $0 + $1 })
            for context in availableContexts {
                var residual = start
                Kernels.linear(x, w, addingTo: &residual, context: context)
                #expect(relativeError(residual, expected) <= 2e-5, "\(s) residual \(context.path) \(layout)")
            }
        }
    }

    /// Full-range inputs (u8 255 and weights ±127 everywhere): `vpmaddubsw`'s int16 pair sums would
    /// saturate here (2·255·127 > 32767); the int16 `vpmaddwd` products must stay exact.
    @Test func extremeValuesDoNotSaturate() {
        let k = 256, n = 32
        let x = Matrix(rows: 5, columns: k, values: (0..<(5 * k)).map { $0 % k == 0 ? -1 : 1000 })
        let weight = (0..<(n * k)).map { Float(($0 / k) % 2 == 0 ? 1 : -1) }
        let w = LinearWeights(weight: weight, bias: nil, outFeatures: n, inFeatures: k, precision: .int8)
        let twin = NaiveKernels.int8Linear(x, weight: weight, bias: nil, outFeatures: n)
        let float = NaiveKernels.linear(x, weight: weight, bias: nil, outFeatures: n)
        for context in availableContexts {
            let y = Kernels.linear(x, w, context: context)
            #expect(relativeError(y, twin) <= 1e-6, "\(context.path)")
            #expect(relativeError(y, float) <= 0.01, "\(context.path) vs fp32")
        }
    }

    /// Rows whose range is so small that (hi − lo) / 255 is subnormal or 0 (1 / scale would be
    /// infinite): scale 1, the row quantises to zeros, and the output is the bias, finite.
    @Test func tinyRowsQuantiseToZero() {
        let k = 40, n = 24
        let rows: [[Float]] = [
            (0..<k).map { Float($0 % 3) * (Float.leastNormalMagnitude / 16) },  // subnormal inputs
            (0..<k).map { $0 % 2 == 0 ? 1e-37 : -1e-37 },  // normal inputs, subnormal scale
            (0..<k).map { $0 == 7 ? .leastNonzeroMagnitude : 0 }  // the scale underflows to 0
        ]
        let x = Matrix(rows: rows.count, columns: k, values: rows.flatMap { $0 })
        let weight = randomValues(n * k, seed: 21)
        let bias = randomValues(n, seed: 22)
        let w = LinearWeights(weight: weight, bias: bias, outFeatures: n, inFeatures: k, precision: .int8)
        let twin = NaiveKernels.int8Linear(x, weight: weight, bias: bias, outFeatures: n)
        for context in availableContexts {
            let y = Kernels.linear(x, w, context: context)
            #expect(y.values.allSatisfy { $0.isFinite }, "\(context.path)")
            #expect(relativeError(y, twin) <= 1e-6, "\(context.path)")
            for r in 0..<rows.count { #expect(Array(y.row(r)) == bias, "row \(r) \(context.path)") }
        }
    }

    @Test func int8WeightsTakeAQuarterOfTheMemory() {
        let weight = randomValues(768 * 3072, seed: 9)
        let f = LinearWeights(weight: weight, bias: nil, outFeatures: 3072, inFeatures: 768)
        let q = LinearWeights(weight: weight, bias: nil, outFeatures: 3072, inFeatures: 768, precision: .int8)
        #expect(Double(q.byteCount) < 0.26 * Double(f.byteCount))
    }
}
