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

    /// `[H, W, 3]` uint8 → `[3, H, W]` floats written at `output[offset...]`.
    func writePixelValues(of image: RGBImage, into output: inout [Float], at offset: Int) {
        output.withUnsafeMutableBufferPointer { out in writePixelValues(of: image, to: out.baseAddress! + offset) }
    }

    /// `[H, W, 3]` uint8 → `[3, H, W]` floats written at `r` (room for `3 · H · W` floats).
    func writePixelValues(of image: RGBImage, to r: UnsafeMutablePointer<Float>) {
        let plane = image.width * image.height
        valueTable.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { pixels in
                let g = r + plane, b = g + plane
                let tr = table.baseAddress!, tg = tr + 256, tb = tg + 256
                for i in 0..<plane {
                    r[i] = tr[Int(pixels[3 * i])]
                    g[i] = tg[Int(pixels[3 * i + 1])]
                    b[i] = tb[Int(pixels[3 * i + 2])]
                }
            }
        }
    }
}
