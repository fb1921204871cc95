import TensorKernels

/// Pillow 13's two-pass 8-bit resize (`Image.resize(size, resample)`, libImaging/Resample.c
/// `ImagingResampleInner`): each pass is clipped to 8 bits; a pass whose size does not change is
/// skipped, as Pillow skips it. Pillow 13 (python-pillow/Pillow#9549) runs the vertical pass first
/// when the height shrinks by more than twice as many pixels as the width,
/// `inH − outH > 0 && inH − outH > 2 · (inW − outW)`, and the horizontal pass first otherwise —
/// checked against Pillow 13.0 on 400 random sizes with both filters. The order changes results.
///
/// Only the output pixels inside `columns` × `rows` are computed: each output pixel depends only on
/// its own window, so a crop of the result is identical to Pillow's crop of its full resize.
package enum PillowResampler {
    /// Whether Pillow 13 resamples vertically first for this size change.
    package static func verticalFirst(inputWidth: Int, inputHeight: Int, width: Int, height: Int) -> Bool {
        let shrinkH = inputHeight - height, shrinkW = inputWidth - width
        return shrinkH > 0 && shrinkH > 2 * shrinkW
    }

    /// `image` resized to `width × height`, restricted to `rows` × `columns` of that result:
    /// `[rows.count, columns.count, 3]`.
    package static func resize(
        _ image: RGBImage, width: Int, height: Int, columns: Range<Int>, rows: Range<Int>,
        filter: ResamplingFilter
    ) -> [UInt8] {
        precondition(
            columns.lowerBound >= 0 && columns.upperBound <= width && rows.lowerBound >= 0
                && rows.upperBound <= height, "resize window \(columns) x \(rows) outside \(width) x \(height)")
        if columns.isEmpty || rows.isEmpty { return [] }
        let inW = image.width, inH = image.height
        // Coefficients of the kept outputs only: bounds and weights start at columns/rows.lowerBound.
        let horizontal =
            width != inW
            ? ResampleCoefficients(inputSize: inW, outputSize: width, filter: filter, outputs: columns) : nil
        let vertical =
            height != inH
            ? ResampleCoefficients(inputSize: inH, outputSize: height, filter: filter, outputs: rows) : nil
        switch (horizontal, vertical) {
        case (nil, nil):
            return copy(image.pixels, width: inW, columns: columns, rows: rows)
        case (let h?, nil):
            return horizontalPass(image.pixels, width: inW, firstRow: rows.lowerBound, rowCount: rows.count, h)
        case (nil, let v?):
            let strip = copy(image.pixels, width: inW, columns: columns, rows: 0..<inH)
            return verticalPass(strip, rowSamples: columns.count * 3, firstRow: 0, v)
        case (let h?, let v?):
            if verticalFirst(inputWidth: inW, inputHeight: inH, width: width, height: height) {
                let strip = verticalPass(image.pixels, rowSamples: inW * 3, firstRow: 0, v)
                return horizontalPass(strip, width: inW, firstRow: 0, rowCount: rows.count, h)
            }
            // Input rows the kept output rows read (Pillow's ybox_first … ybox_last).
            let first = Int(v.bounds[0])
            let last = Int(v.bounds[2 * (rows.count - 1)] + v.bounds[2 * (rows.count - 1) + 1])
            let strip = horizontalPass(image.pixels, width: inW, firstRow: first, rowCount: last - first, h)
            return verticalPass(strip, rowSamples: columns.count * 3, firstRow: first, v)
        }
    }

    /// `[rowCount, outputs, 3]`: the outputs `coefficients` hold, of input rows `firstRow ..< firstRow + rowCount`.
    static func horizontalPass(
        _ input: [UInt8], width: Int, firstRow: Int, rowCount: Int,
        _ coefficients: ResampleCoefficients
    ) -> [UInt8] {
        ImageResampling.horizontalRGB(
            input, width: width, firstRow: firstRow, rowCount: rowCount, bounds: coefficients.bounds,
            weights: coefficients.weights, ksize: coefficients.ksize)
    }

    /// `[outputs, rowSamples]`: the output rows `coefficients` hold, from an input whose first row is
    /// image row `firstRow`.
    static func verticalPass(
        _ input: [UInt8], rowSamples: Int, firstRow: Int,
        _ coefficients: ResampleCoefficients
    ) -> [UInt8] {
        ImageResampling.vertical(
            input, rowSamples: rowSamples, firstRow: firstRow, bounds: coefficients.bounds,
            weights: coefficients.weights, ksize: coefficients.ksize)
    }

    /// `[rows.count, columns.count, 3]` copied out of `[_, width, 3]` pixels.
    static func copy(_ pixels: [UInt8], width: Int, columns: Range<Int>, rows: Range<Int>) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(rows.count * columns.count * 3)
        for y in rows {
            let from = (y * width + columns.lowerBound) * 3
            output.append(contentsOf: pixels[from..<from + columns.count * 3])
        }
        return output
    }
}
