import TensorKernels
import Testing

/// `LinearWeights(weight:…, layout: .inOut)` (ONNX `MatMul` weights, packed without a transpose;
/// from a buffer and from an array) against the same weights given `[out, in]`.
@Suite struct WeightLayoutTests {
    @Test(arguments: [
        LinearTests.Shape(m: 7, k: 33, n: 64), LinearTests.Shape(m: 3, k: 1, n: 1),
        LinearTests.Shape(m: 50, k: 769, n: 31), LinearTests.Shape(m: 5, k: 64, n: 97)
    ])
    func inOutPacksLikeOutIn(_ s: LinearTests.Shape) {
        let x = randomMatrix(s.m, s.k, seed: 3)
        let weight = randomValues(s.n * s.k, seed: 4)
        let transposed = (0..<(s.k * s.n)).map { weight[($0 % s.n) * s.k + $0 / s.n] }
        let bias = randomValues(s.n, seed: 5)
        for precision in LinearWeights.Precision.allCases {
            let outIn = LinearWeights(weight: weight, bias: bias, outFeatures: s.n, inFeatures: s.k, precision: precision)
            let inOut = transposed.withUnsafeBufferPointer {
                LinearWeights(weight: $0, bias: bias, outFeatures: s.n, inFeatures: s.k, layout: .inOut, precision: precision)
            }
            let inOutArray = LinearWeights(
                weight: transposed, bias: bias, outFeatures: s.n, inFeatures: s.k, layout: .inOut,
                precision: precision)
            for context in availableContexts {
                let expected = Kernels.linear(x, outIn, context: context).values
                #expect(Kernels.linear(x, inOut, context: context).values == expected, "\(s) \(precision) \(context.path)")
                #expect(Kernels.linear(x, inOutArray, context: context).values == expected, "array \(s) \(precision) \(context.path)")
            }
        }
    }
}

/// The ISA packers of the GEMM's input rows (AVX2's and AVX-512's transposing packers) against the
/// portable one: the same floats in the same places, for every tile height (AVX2's up to 6 rows,
/// AVX-512's up to 14) and K remainder.
@Suite struct RowPackingTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 27, 28, 29, 50, 77])
    func isaPackerMatchesPortable(rows: Int) {
        let x = randomMatrix(rows, 400, seed: UInt64(rows))
        for path in KernelPath.allCases where path.isAvailable {
            for kc in [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 384, 397] {
                let ours = Kernels.packedRowTiles(x, kc: kc, path: path, portable: false)
                let twin = Kernels.packedRowTiles(x, kc: kc, path: path, portable: true)
                #expect(ours == twin, "\(path) rows \(rows) kc \(kc)")
            }
        }
    }
}
