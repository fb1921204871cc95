import TensorKernels
import Testing

/// `LinearWeights(weightParts:…)` (q | k | v packed side by side from the file's mapping, fp32 or
/// int8) against the same weights concatenated first: the same panels, so bitwise the same products.
@Suite struct FusedPartsTests {
    @Test(arguments: [[32, 32, 32], [64, 32, 7], [32, 1], [96], [64, 64, 64]])
    func partsPackLikeTheirConcatenation(outFeatures: [Int]) {
        for inFeatures in [1, 13, 64, 97] {
            let parts = outFeatures.enumerated().map { randomValues($0.element * inFeatures, seed: UInt64(10 + $0.offset)) }
            let total = outFeatures.reduce(0, +)
            let bias = randomValues(total, seed: 7)
            for precision in LinearWeights.Precision.allCases {
                let concatenated = LinearWeights(
                    weight: parts.flatMap { $0 }, bias: bias, outFeatures: total, inFeatures: inFeatures,
                    precision: precision)
                let fused = withBuffers(parts) {
                    LinearWeights(weightParts: $0, outFeatures: outFeatures, bias: bias, inFeatures: inFeatures, precision: precision)
                }
                #expect(fused.outFeatures == total && fused.byteCount == concatenated.byteCount && fused.precision == precision)
                let x = randomMatrix(11, inFeatures, seed: 3)
                for context in availableContexts {
                    #expect(
                        Kernels.linear(x, fused, context: context).values == Kernels.linear(x, concatenated, context: context).values,
                        "\(outFeatures) × \(inFeatures) \(precision) \(context.path)")
                }
            }
        }
    }

    /// `body` with a buffer pointer to each array.
    private func withBuffers<R>(_ arrays: [[Float]], _ body: ([UnsafeBufferPointer<Float>]) -> R) -> R {
        guard let first = arrays.first else { return body([]) }
        return first.withUnsafeBufferPointer { head in withBuffers(Array(arrays.dropFirst())) { body([head] + $0) } }
    }
}

/// `Kernels.firstNonFinite` (the load-time check of every weight) against its naive twin, with
/// NaN, ±infinity and the largest finite values at block edges.
@Suite struct FiniteCheckTests {
    @Test func findsTheFirstNonFiniteLikeTheNaiveScan() {
        let count = 3 * 4096 + 17
        let specials: [Float] = [.nan, .infinity, -.infinity, .signalingNaN, Float(bitPattern: 0xFFC0_0001)]
        for position in [0, 1, 4095, 4096, 4097, 8191, 2 * 4096 + 5, count - 1] {
            for special in specials {
                var values = randomValues(count, scale: 1e30, seed: UInt64(position))
                values[position] = special
                if position + 3 < count { values[position + 3] = .nan }  // a later one does not win
                #expect(Kernels.firstNonFinite(values) == values.firstIndex { !$0.isFinite }, "\(special) at \(position)")
                #expect(Kernels.firstNonFinite(values) == position)
            }
        }
        var finite = randomValues(count, seed: 1)
        finite[9] = .greatestFiniteMagnitude
        finite[4096] = -.greatestFiniteMagnitude
        finite[77] = .leastNonzeroMagnitude
        #expect(Kernels.firstNonFinite(finite) == nil)
        #expect(Kernels.firstNonFinite([Float]()) == nil)
        #expect(Kernels.firstNonFinite([.nan]) == 0)
    }
}

/// The AVX2 weight quantiser of `--precision int8` (`ck_q8_pack_weights`) against the portable one:
/// the same bytes and scales, ties rounded half to even, over awkward widths.
@Suite struct WeightQuantizationTests {
    @Test(arguments: [1, 7, 8, 9, 16, 33, 97, 769])
    func avx2QuantiserMatchesPortable(inFeatures: Int) {
        let outFeatures = 19
        var weight = randomValues(outFeatures * inFeatures, scale: 3, seed: UInt64(inFeatures))
        // Row 0: max |w| = 127, so the scale is 1 and every .5 is a tie (half to even: 2, −4, 0, 126).
        let ties: [Float] = [127, 2.5, -3.5, 0.5, 125.5, -0.5]
        for (i, tie) in ties.prefix(inFeatures).enumerated() { weight[i] = tie }
        // Row 1 all zeros (scale 1), row 2 subnormals of at most 4 · the smallest.
        for i in 0..<inFeatures { weight[inFeatures + i] = 0 }
        for i in 0..<inFeatures { weight[2 * inFeatures + i] = Float.leastNonzeroMagnitude * Float(i % 5) }
        let portable = Kernels.int8PackedWeights(weight, outFeatures: outFeatures, inFeatures: inFeatures, portable: true)
        let best = Kernels.int8PackedWeights(weight, outFeatures: outFeatures, inFeatures: inFeatures, portable: false)
        #expect(best.bytes == portable.bytes, "in \(inFeatures)")
        #expect(best.scales == portable.scales, "in \(inFeatures)")
        #expect(portable.scales[0] == 1 && portable.scales[1] == 1)
        // Subnormals whose max / 127 underflows quantise to 0 with scale 1, not a division by zero.
        if inFeatures >= 5 { #expect(portable.scales[2] == 1 && best.scales[2] == 1) }
    }
}
