/// The naive twins of `ImageResampling`: one output sample at a time, Pillow's loops written plainly.
extension NaiveKernels {
    /// `ImageResampling.horizontalRGB`, per output pixel and channel.
    package static func resampleHorizontalRGB(
        _ input: [UInt8], width: Int, firstRow: Int, rowCount: Int, bounds: [Int32],
        weights: [Int32], ksize: Int
    ) -> [UInt8] {
        let outputs = bounds.count / 2
        var out = [UInt8](repeating: 0, count: rowCount * outputs * 3)
        for y in 0..<rowCount {
            for j in 0..<outputs {
                for channel in 0..<3 {
                    var sum = 1 << 21
                    for t in 0..<Int(bounds[2 * j + 1]) {
                        let x = Int(bounds[2 * j]) + t
                        sum += Int(input[((firstRow + y) * width + x) * 3 + channel]) * Int(weights[j * ksize + t])
                    }
                    out[(y * outputs + j) * 3 + channel] = clip8(sum)
                }
            }
        }
        return out
    }

    /// `ImageResampling.vertical`, per output sample.
    package static func resampleVertical(
        _ input: [UInt8], rowSamples: Int, firstRow: Int, bounds: [Int32], weights: [Int32],
        ksize: Int
    ) -> [UInt8] {
        let outputs = bounds.count / 2
        var out = [UInt8](repeating: 0, count: outputs * rowSamples)
        for j in 0..<outputs {
            for i in 0..<rowSamples {
                var sum = 1 << 21
                for t in 0..<Int(bounds[2 * j + 1]) {
                    let row = Int(bounds[2 * j]) - firstRow + t
                    sum += Int(input[row * rowSamples + i]) * Int(weights[j * ksize + t])
                }
                out[j * rowSamples + i] = clip8(sum)
            }
        }
        return out
    }

    /// Pillow's `clip8`: the 22-bit fixed-point sum shifted down and clamped to 0…255.
    private static func clip8(_ sum: Int) -> UInt8 {
        UInt8(max(0, min(255, sum >> 22)))
    }
}
