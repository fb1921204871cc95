import CImageCodecs

/// Pillow's two-pass 8-bit resize (`Image.resize(size, resample)`, libImaging/Resample.c
/// `ImagingResampleInner`): horizontal pass first, clipped to 8 bits, then the vertical pass; a pass
/// whose size does not change is skipped, as Pillow skips it. Only the output pixels inside `columns`
/// × `rows` are computed: each output pixel depends only on its own window, so a crop taken from the
/// result is identical to Pillow's crop of its full resize.
enum PillowResampler {
    /// `image` resized to `width × height`, restricted to `rows` × `columns` of that result:
    /// `[rows.count, columns.count, 3]`.
    static func resize(_ image: RGBImage, width: Int, height: Int, columns: Range<Int>, rows: Range<Int>,
                       filter: ResamplingFilter) -> [UInt8] {
        precondition(columns.lowerBound >= 0 && columns.upperBound <= width && rows.lowerBound >= 0
                     && rows.upperBound <= height, "resize window \(columns) x \(rows) outside \(width) x \(height)")
        if columns.isEmpty || rows.isEmpty { return [] }
        let inW = image.width, inH = image.height
        let vertical = height != inH ? ResampleCoefficients(inputSize: inH, outputSize: height, filter: filter) : nil
        // Input rows the kept output rows read.
        let firstRow: Int, lastRow: Int
        if let vertical {
            firstRow = Int(vertical.bounds[2 * rows.lowerBound])
            let last = rows.upperBound - 1
            lastRow = Int(vertical.bounds[2 * last] + vertical.bounds[2 * last + 1])
        } else {
            (firstRow, lastRow) = (rows.lowerBound, rows.upperBound)
        }
        let rowCount = lastRow - firstRow
        var strip = [UInt8](repeating: 0, count: rowCount * columns.count * 3)
        if width != inW {
            let horizontal = ResampleCoefficients(inputSize: inW, outputSize: width, filter: filter)
            image.pixels.withUnsafeBufferPointer { input in
                horizontal.bounds.withUnsafeBufferPointer { bounds in
                    horizontal.weights.withUnsafeBufferPointer { weights in
                        strip.withUnsafeMutableBufferPointer { output in
                            cic_resample_horizontal_rgb(
                                input.baseAddress! + firstRow * inW * 3, Int32(inW), Int32(rowCount),
                                output.baseAddress!, Int32(columns.count),
                                bounds.baseAddress! + 2 * columns.lowerBound,
                                weights.baseAddress! + horizontal.ksize * columns.lowerBound, Int32(horizontal.ksize))
                        }
                    }
                }
            }
        } else {
            let span = columns.count * 3
            for y in 0..<rowCount {
                let from = ((firstRow + y) * inW + columns.lowerBound) * 3
                strip.replaceSubrange(y * span..<(y + 1) * span, with: image.pixels[from..<from + span])
            }
        }
        guard let vertical else { return strip }
        var output = [UInt8](repeating: 0, count: rows.count * columns.count * 3)
        strip.withUnsafeBufferPointer { input in
            vertical.bounds.withUnsafeBufferPointer { bounds in
                vertical.weights.withUnsafeBufferPointer { weights in
                    output.withUnsafeMutableBufferPointer { out in
                        cic_resample_vertical(
                            input.baseAddress!, Int32(columns.count * 3), Int32(firstRow), out.baseAddress!,
                            Int32(rows.count), bounds.baseAddress! + 2 * rows.lowerBound,
                            weights.baseAddress! + vertical.ksize * rows.lowerBound, Int32(vertical.ksize))
                    }
                }
            }
        }
        return output
    }
}
