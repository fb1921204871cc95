import TensorKernels
import Testing

/// `Kernels.matmulTransposed` (dot-product path for few rows, packed GEMM otherwise).
@Suite struct MatmulTransposedTests {
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 1000, 512), (3, 77, 33), (4, 130, 7), (5, 7, 64), (7, 33, 512), (49, 100, 769), (77, 65, 1)
    ]

    @Test func matchesNaive() {
        for (i, s) in Self.shapes.enumerated() {
            let a = randomMatrix(s.m, s.k, seed: UInt64(200 + i))
            let b = randomMatrix(s.n, s.k, seed: UInt64(300 + i))
            let expected = NaiveKernels.matmulTransposed(a, b)
            let tolerance: Float = 4e-6 * max(1, Float(s.k).squareRoot() / 8)
            for context in availableContexts {
                let c = Kernels.matmulTransposed(a, b, context: context)
                #expect(relativeError(c, expected) <= tolerance, "\(s) \(context.path)")
            }
        }
        #expect(Kernels.matmulTransposed(Matrix(zeros: 2, columns: 0), Matrix(zeros: 3, columns: 0)).values == [Float](repeating: 0, count: 6))
    }
}
