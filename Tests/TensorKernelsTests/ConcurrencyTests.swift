import TensorKernels
import Testing

/// The kernels are called from several threads at once (e.g. an embedding pipeline and a search
/// request): a caller that finds the pool busy runs inline, and every result stays exact.
@Suite struct ConcurrencyTests {
    @Test func concurrentCallersGetTheSerialResult() async {
        let x = randomMatrix(50, 256, seed: 1)
        let w = LinearWeights(
            weight: randomValues(384 * 256, scale: 0.06, seed: 2), bias: randomValues(384, seed: 3),
            outFeatures: 384, inFeatures: 256)
        let qkv = randomMatrix(2 * 50, 3 * 128, seed: 4)
        let linear = Kernels.linear(x, w, activation: .quickGELU, context: .serial)
        let attention = Kernels.attention(qkv: qkv, batch: 2, sequenceLength: 50, heads: 2, causal: true, context: .serial)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var bad = 0
                    for _ in 0..<20 {
                        if task % 2 == 0 {
                            if Kernels.linear(x, w, activation: .quickGELU) != linear { bad += 1 }
                        } else if Kernels.attention(qkv: qkv, batch: 2, sequenceLength: 50, heads: 2, causal: true) != attention {
                            bad += 1
                        }
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func threadCountDefaultsToCPUsAndIsAtLeastOne() {
        #expect(Kernels.threadCount >= 1)
        #expect(Kernels.defaultThreadCount >= 1)
        #expect(["avx512", "avx2", "scalar"].contains(Kernels.instructionSet))
    }
}
