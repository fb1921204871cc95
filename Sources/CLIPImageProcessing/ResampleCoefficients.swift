/// The per-output-pixel windows and fixed-point weights of one resampling pass, mirroring Pillow
/// 13's `precompute_coeffs` + `normalize_coeffs_8bpc` (libImaging/Resample.c) for the whole-image box.
/// Only the outputs in `outputs` are computed (each depends on its own index alone), so a centre crop
/// of an extreme aspect ratio costs no more than the crop.
package struct ResampleCoefficients: Sendable {
    /// Taps reserved per output pixel (`ceil(support) * 2 + 1`).
    package let ksize: Int
    /// `[outputs.count, 2]`: first input index and tap count of each computed output pixel.
    package let bounds: [Int32]
    /// `[outputs.count, ksize]`: weights with 22 fractional bits; unused taps are 0.
    package let weights: [Int32]

    static let precisionBits = 32 - 8 - 2

    /// Coefficients of output pixels `outputs` (default: all) of a pass from `inputSize` to `outputSize`.
    package init(inputSize: Int, outputSize: Int, filter: ResamplingFilter, outputs: Range<Int>? = nil) {
        precondition(inputSize > 0 && outputSize > 0, "resample \(inputSize) → \(outputSize)")
        let outputs = outputs ?? 0..<outputSize
        precondition(outputs.lowerBound >= 0 && outputs.upperBound <= outputSize, "outputs \(outputs) of \(outputSize)")
        // Antialiasing: the kernel widens by the downscaling factor.
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = filter.support * filterScale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        var bounds = [Int32](repeating: 0, count: outputs.count * 2)
        var weights = [Int32](repeating: 0, count: outputs.count * ksize)
        var taps = [Double](repeating: 0, count: ksize)
        let ss = 1.0 / filterScale
        for xx in outputs {
            let slot = xx - outputs.lowerBound
            let center = 0.0 + (Double(xx) + 0.5) * scale
            // Window bounds rounded as Pillow does: (int)(c ± support + 0.5), then clipped.
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inputSize) - xmin
            var total = 0.0
            for x in 0..<xmax {
                let w = filter.weight((Double(x + xmin) - center + 0.5) * ss)
                taps[x] = w
                total += w
            }
            for x in 0..<xmax {
                if total != 0.0 { taps[x] /= total }
                // normalize_coeffs_8bpc: round half away from zero to 22-bit fixed point.
                let fixed = taps[x] * Double(1 << Self.precisionBits)
                weights[slot * ksize + x] = Int32(taps[x] < 0 ? Int(-0.5 + fixed) : Int(0.5 + fixed))
            }
            bounds[2 * slot] = Int32(xmin)
            bounds[2 * slot + 1] = Int32(xmax)
        }
        self.ksize = ksize
        self.bounds = bounds
        self.weights = weights
    }
}
