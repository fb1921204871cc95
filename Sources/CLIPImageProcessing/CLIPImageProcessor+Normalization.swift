/// Rescale and normalise through a 256-entry table per channel: the same float32 operations as
/// transformers 5.23 `rescale` (`(x.astype(float64) * factor).astype(float32)`) then `normalize`
/// (`(x - float32(mean)) / float32(std)` in float32), so every value is bit-identical.
extension CLIPImageProcessor {
    static func makeValueTable(_ configuration: ImageProcessorConfiguration) -> [Float] {
        var table = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            for value in 0..<256 {
                var x: Float
                if let factor = configuration.rescaleFactor {
                    x = Float(Double(value) * factor)
                } else {
                    x = Float(value)
                }
                if configuration.normalizes {
                    x = (x - Float(configuration.imageMean[channel])) / Float(configuration.imageStd[channel])
                }
                table[channel * 256 + value] = x
            }
        }
        return table
    }

    /// `[H, W, 3]` uint8 → `[3, H, W]` floats written to `output[offset ..< offset + 3 · H · W]`.
    func writePixelValues(of image: RGBImage, into output: inout [Float], at offset: Int) {
        let plane = image.width * image.height
        precondition(
            offset >= 0 && 3 * plane <= output.count - offset,
            "preprocess: \(3 * plane) floats at \(offset) do not fit in \(output.count)")
        let table = valueTable, pixels = image.pixels
        let g = offset + plane, b = g + plane
        for i in 0..<plane {
            output[offset + i] = table[Int(pixels[3 * i])]
            output[g + i] = table[256 + Int(pixels[3 * i + 1])]
            output[b + i] = table[512 + Int(pixels[3 * i + 2])]
        }
    }
}
