import CKernels

/// The two integer passes of Pillow's 8-bit resampler (libImaging/Resample.c
/// `ImagingResampleHorizontal_8bpc`, `ImagingResampleVertical_8bpc`) over arrays of samples.
///
/// A pass maps each output pixel to a window of input pixels: `bounds[2j]` is the first input index
/// of output `j` and `bounds[2j + 1]` its number of taps, whose weights are
/// `weights[j · ksize ..< j · ksize + taps]` in 22-bit fixed point. Each sum starts at `1 << 21` and
/// is clipped to 0…255 after the shift, exactly as Pillow does; the sums are integers, so every
/// kernel path gives the same bytes. The coefficients themselves (Pillow's `precompute_coeffs`) are
/// the caller's. Every window is checked against the input before the C kernel runs.
package enum ImageResampling {
    /// The horizontal pass over input rows `firstRow ..< firstRow + rowCount` of `input`
    /// `[_, width, 3]`: `[rowCount, outputs, 3]` with `outputs = bounds.count / 2`.
    /// - Precondition: the rows lie in `input`; each window lies in `0..<width` (see the type).
    package static func horizontalRGB(
        _ input: [UInt8], width: Int, firstRow: Int, rowCount: Int, bounds: [Int32],
        weights: [Int32], ksize: Int, path: KernelPath = .best
    ) -> [UInt8] {
        precondition(
            width > 0 && firstRow >= 0 && rowCount >= 0 && (firstRow + rowCount) * width * 3 <= input.count,
            "ImageResampling: rows \(firstRow) ..< \(firstRow + rowCount) of a \(input.count)-byte image \(width) wide")
        let outputs = checkWindows(bounds, weights: weights, ksize: ksize, inputSize: width, firstInput: 0)
        var output = [UInt8](repeating: 0, count: rowCount * outputs * 3)
        guard rowCount > 0, outputs > 0 else { return output }
        input.withUnsafeBufferPointer { source in
            bounds.withUnsafeBufferPointer { b in
                weights.withUnsafeBufferPointer { w in
                    output.withUnsafeMutableBufferPointer { target in
                        ck_resample_horizontal_rgb(
                            CInt(path.rawValue), source.baseAddress! + firstRow * width * 3, Int32(width),
                            Int32(rowCount), target.baseAddress!, Int32(outputs), b.baseAddress!, w.baseAddress!,
                            Int32(ksize))
                    }
                }
            }
        }
        return output
    }

    /// The vertical pass over `input` `[inputRows, rowSamples]` whose first row is image row
    /// `firstRow`: `[outputs, rowSamples]` with `outputs = bounds.count / 2`.
    /// - Precondition: each window lies in `firstRow ..< firstRow + inputRows` (see the type).
    package static func vertical(
        _ input: [UInt8], rowSamples: Int, firstRow: Int, bounds: [Int32], weights: [Int32],
        ksize: Int
    ) -> [UInt8] {
        precondition(
            rowSamples > 0 && input.count % rowSamples == 0 && firstRow >= 0,
            "ImageResampling: \(input.count) bytes in rows of \(rowSamples)")
        let outputs = checkWindows(bounds, weights: weights, ksize: ksize, inputSize: input.count / rowSamples, firstInput: firstRow)
        var output = [UInt8](repeating: 0, count: outputs * rowSamples)
        guard outputs > 0 else { return output }
        input.withUnsafeBufferPointer { source in
            bounds.withUnsafeBufferPointer { b in
                weights.withUnsafeBufferPointer { w in
                    output.withUnsafeMutableBufferPointer { target in
                        ck_resample_vertical(
                            source.baseAddress!, Int32(rowSamples), Int32(firstRow), target.baseAddress!,
                            Int32(outputs), b.baseAddress!, w.baseAddress!, Int32(ksize))
                    }
                }
            }
        }
        return output
    }

    /// The number of outputs, after checking that `bounds` and `weights` describe that many windows of
    /// at most `ksize` taps, each inside input indices `firstInput ..< firstInput + inputSize`.
    private static func checkWindows(_ bounds: [Int32], weights: [Int32], ksize: Int, inputSize: Int, firstInput: Int) -> Int {
        let outputs = bounds.count / 2
        precondition(
            bounds.count % 2 == 0 && ksize > 0 && weights.count >= outputs * ksize && inputSize <= Int(Int32.max),
            "ImageResampling: \(bounds.count) bounds and \(weights.count) weights for windows of \(ksize)")
        for j in 0..<outputs {
            let start = Int(bounds[2 * j]) - firstInput, taps = Int(bounds[2 * j + 1])
            precondition(
                start >= 0 && taps >= 0 && taps <= ksize && start + taps <= inputSize,
                "ImageResampling: window \(bounds[2 * j]) + \(taps) of output \(j) outside input \(firstInput) ..< \(firstInput + inputSize)")
        }
        return outputs
    }
}
