import TensorKernels
import Testing

/// `ImageResampling` (Pillow's 8-bit resampler passes, `ck_resample_*`) on every path this CPU runs
/// against its naive twin, over awkward sizes with random windows: negative lobes, clipping, windows
/// touching the last input pixel (where the vector loop must not read past the buffer), first rows
/// other than 0. CLIPImageProcessingTests checks the coefficients and pixels against Pillow itself.
@Suite struct ImageResamplingTests {
    static let sizes = [1, 7, 49, 50, 77]

    /// `outputs` random windows over `inputSize` inputs (from `firstInput`) of at most `ksize` taps,
    /// the last one ending at the last input, with 22-bit weights summing to about 1 and some negative.
    static func coefficients(
        outputs: Int, inputSize: Int, firstInput: Int, ksize: Int,
        rng: inout SeededGenerator
    ) -> (bounds: [Int32], weights: [Int32]) {
        var bounds: [Int32] = [], weights = [Int32](repeating: 0, count: outputs * ksize)
        for j in 0..<outputs {
            let taps = 1 + Int(rng.next() % UInt64(min(ksize, inputSize)))
            let start = j == outputs - 1 ? inputSize - taps : Int(rng.next() % UInt64(inputSize - taps + 1))
            bounds += [Int32(firstInput + start), Int32(taps)]
            for t in 0..<taps {
                let share = (1 << 22) / taps
                weights[j * ksize + t] = Int32(share + Int(rng.next() % 400_001) - 200_000 - (t == 1 ? share / 2 : 0))
            }
        }
        return (bounds, weights)
    }

    /// Noise with hard 0 / 255 edges so both lobes and clipping occur.
    static func pixels(_ count: Int, rng: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in
            let r = rng.next()
            return r >> 62 == 0 ? UInt8(truncatingIfNeeded: r) : (r & 1 == 0 ? 0 : 255)
        }
    }

    @Test func horizontalMatchesTheNaiveTwin() {
        var rng = SeededGenerator(seed: 11)
        for path in KernelPath.allCases.filter(\.isAvailable) {
            for width in Self.sizes {
                for outputs in Self.sizes {
                    for (firstRow, rowCount) in [(0, 1), (0, 7), (3, 4)] {
                        let ksize = 1 + Int(rng.next() % 9)
                        let (bounds, weights) = Self.coefficients(outputs: outputs, inputSize: width, firstInput: 0, ksize: ksize, rng: &rng)
                        let input = Self.pixels((firstRow + rowCount) * width * 3, rng: &rng)
                        let fast = ImageResampling.horizontalRGB(
                            input, width: width, firstRow: firstRow, rowCount: rowCount,
                            bounds: bounds, weights: weights, ksize: ksize, path: path)
                        let naive = NaiveKernels.resampleHorizontalRGB(
                            input, width: width, firstRow: firstRow, rowCount: rowCount,
                            bounds: bounds, weights: weights, ksize: ksize)
                        #expect(fast == naive, "\(path) \(width) → \(outputs), rows \(firstRow) + \(rowCount), ksize \(ksize)")
                    }
                }
            }
        }
    }

    @Test func verticalMatchesTheNaiveTwin() {
        var rng = SeededGenerator(seed: 12)
        for inputRows in Self.sizes {
            for outputs in Self.sizes {
                for rowSamples in [3, 21, 147, 768, 771] {  // around the 256-sample block
                    let firstRow = Int(rng.next() % 5), ksize = 1 + Int(rng.next() % 9)
                    let (bounds, weights) = Self.coefficients(
                        outputs: outputs, inputSize: inputRows, firstInput: firstRow, ksize: ksize,
                        rng: &rng)
                    let input = Self.pixels(inputRows * rowSamples, rng: &rng)
                    let fast = ImageResampling.vertical(
                        input, rowSamples: rowSamples, firstRow: firstRow, bounds: bounds, weights: weights,
                        ksize: ksize)
                    let naive = NaiveKernels.resampleVertical(
                        input, rowSamples: rowSamples, firstRow: firstRow, bounds: bounds,
                        weights: weights, ksize: ksize)
                    #expect(fast == naive, "\(inputRows) → \(outputs) rows of \(rowSamples), first row \(firstRow)")
                }
            }
        }
    }

    @Test func emptyPassesGiveNoSamples() {
        #expect(
            ImageResampling.horizontalRGB(
                [1, 2, 3], width: 1, firstRow: 0, rowCount: 0, bounds: [0, 1], weights: [1 << 22],
                ksize: 1
            ).isEmpty)
        #expect(ImageResampling.vertical([1, 2, 3], rowSamples: 3, firstRow: 0, bounds: [], weights: [], ksize: 1).isEmpty)
    }
}
