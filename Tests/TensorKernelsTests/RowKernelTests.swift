import TensorKernels
import Testing

/// Layer norm, softmax and L2 normalisation against their naive twins on every available path.
@Suite struct RowKernelTests {
    static let shapes: [(rows: Int, columns: Int)] = [(1, 1), (7, 7), (49, 33), (50, 768), (77, 512), (3, 769), (1600, 64)]

    @Test func layerNormMatchesNaive() {
        for (i, shape) in Self.shapes.enumerated() {
            let x = randomMatrix(shape.rows, shape.columns, scale: 3, seed: UInt64(i))
            let shifted = Matrix(rows: x.rows, columns: x.columns, values: x.values.map { $0 + 40 })
            let weight = randomValues(shape.columns, scale: 2, seed: 100)
            let bias = randomValues(shape.columns, seed: 101)
            for input in [x, shifted] {
                let expected = NaiveKernels.layerNorm(input, weight: weight, bias: bias, epsilon: 1e-5)
                for context in availableContexts {
                    let y = Kernels.layerNorm(input, weight: weight, bias: bias, epsilon: 1e-5, context: context)
                    #expect(relativeError(y, expected) <= 2e-5, "\(shape) \(context.path)")
                }
            }
        }
    }

    @Test func softmaxMatchesNaive() {
        for (i, shape) in Self.shapes.enumerated() {
            let x = randomMatrix(shape.rows, shape.columns, scale: 20, seed: UInt64(10 + i))
            let expected = NaiveKernels.softmaxRows(x)
            for context in availableContexts {
                let y = Kernels.softmaxRows(x, context: context)
                #expect(relativeError(y, expected) <= 1e-5, "\(shape) \(context.path)")
            }
        }
        let extreme = Matrix(rows: 1, columns: 3, values: [-1e30, 0, 1e30])
        #expect(Kernels.softmaxRows(extreme).values == [0, 0, 1])
        for context in availableContexts {
            let withNaN = Kernels.softmaxRows(
                Matrix(rows: 1, columns: 19, values: [Float](repeating: 1, count: 18) + [.nan]),
                context: context)
            #expect(withNaN.values.allSatisfy { $0.isNaN }, "\(context.path)")
        }
    }

    @Test func l2NormalizeMatchesNaive() {
        for (i, shape) in Self.shapes.enumerated() {
            var x = randomMatrix(shape.rows, shape.columns, scale: 5, seed: UInt64(20 + i))
            for j in 0..<x.columns { x[0, j] = 0 }  // a zero row stays zero
            let expected = NaiveKernels.l2NormalizeRows(x)
            for context in availableContexts {
                let y = Kernels.l2NormalizeRows(x, context: context)
                #expect(relativeError(y, expected) <= 2e-6, "\(shape) \(context.path)")
                #expect(y.row(0).allSatisfy { $0 == 0 })
            }
        }
    }
}
