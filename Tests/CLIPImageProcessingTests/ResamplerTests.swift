import CLIPImageProcessing
import Testing

/// The naive twin of `PillowResampler`: both passes over the whole image with per-pixel loops, then
/// the crop — Pillow's `resize` followed by transformers' `center_crop`, written as plainly as possible.
enum NaiveResampler {
    static func pass(
        _ pixels: [UInt8], width: Int, height: Int, horizontal: Bool, to size: Int,
        filter: ResamplingFilter
    ) -> [UInt8] {
        let inSize = horizontal ? width : height
        let c = ResampleCoefficients(inputSize: inSize, outputSize: size, filter: filter)
        let outW = horizontal ? size : width, outH = horizontal ? height : size
        var out = [UInt8](repeating: 0, count: outW * outH * 3)
        for y in 0..<outH {
            for x in 0..<outW {
                let j = horizontal ? x : y
                for channel in 0..<3 {
                    var sum = 1 << 21
                    for t in 0..<Int(c.bounds[2 * j + 1]) {
                        let i = Int(c.bounds[2 * j]) + t
                        let sample = horizontal ? pixels[(y * width + i) * 3 + channel] : pixels[(i * width + x) * 3 + channel]
                        sum += Int(sample) * Int(c.weights[j * c.ksize + t])
                    }
                    out[(y * outW + x) * 3 + channel] = UInt8(max(0, min(255, sum >> 22)))
                }
            }
        }
        return out
    }

    static func resize(_ image: RGBImage, width: Int, height: Int, filter: ResamplingFilter) -> RGBImage {
        var pixels = image.pixels, w = image.width, h = image.height
        let order =
            PillowResampler.verticalFirst(inputWidth: w, inputHeight: h, width: width, height: height)
            ? [false, true] : [true, false]
        for horizontal in order {
            if horizontal, width != w {
                pixels = pass(pixels, width: w, height: h, horizontal: true, to: width, filter: filter)
                w = width
            } else if !horizontal, height != h {
                pixels = pass(pixels, width: w, height: h, horizontal: false, to: height, filter: filter)
                h = height
            }
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }
}

@Suite("PillowResampler against its naive twin")
struct ResamplerTests {
    static func noise(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Mostly smooth with hard edges, so both negative lobes and clipping occur.
            return (state >> 61) == 0 ? UInt8(truncatingIfNeeded: state >> 33) : ((state >> 40) & 1 == 0 ? 0 : 255)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test("every window of awkward shapes matches", arguments: [ResamplingFilter.bicubic, .bilinear])
    func windows(_ filter: ResamplingFilter) {
        let sizes = [1, 7, 49, 50, 77]
        for (inW, inH) in [(1, 1), (7, 49), (77, 50), (50, 7), (49, 77)] {
            let image = Self.noise(width: inW, height: inH, seed: UInt64(inW * 131 + inH))
            for outW in sizes {
                for outH in sizes {
                    let full = NaiveResampler.resize(image, width: outW, height: outH, filter: filter)
                    let columns = (outW / 3)..<(outW - outW / 4), rows = (outH / 4)..<(outH - outH / 3)
                    let window = PillowResampler.resize(image, width: outW, height: outH, columns: columns, rows: rows, filter: filter)
                    var expected: [UInt8] = []
                    for y in rows { expected += full.pixels[((y * outW + columns.lowerBound) * 3)..<((y * outW + columns.upperBound) * 3)] }
                    #expect(window == expected, "\(filter) \(inW)x\(inH) → \(outW)x\(outH) window \(columns) x \(rows)")
                    let whole = PillowResampler.resize(image, width: outW, height: outH, columns: 0..<outW, rows: 0..<outH, filter: filter)
                    #expect(whole == full.pixels, "\(filter) \(inW)x\(inH) → \(outW)x\(outH)")
                }
            }
        }
    }

    @Test("an extreme aspect ratio costs only the crop")
    func extremeAspect() {
        // 1 × 30000 → 224 × 6,720,000 before the crop: only the 224 kept rows are computed.
        let image = Self.noise(width: 1, height: 30_000, seed: 5)
        let processor = CLIPImageProcessor()
        let cropped = processor.resizedAndCropped(image)
        #expect((cropped.width, cropped.height) == (224, 224))
        let values = processor.preprocess(image)
        #expect(values.count == 3 * 224 * 224 && values.allSatisfy(\.isFinite))
    }

    @Test("pass order follows Pillow 13")
    func order() {
        #expect(PillowResampler.verticalFirst(inputWidth: 60, inputHeight: 300, width: 48, height: 240))
        #expect(!PillowResampler.verticalFirst(inputWidth: 300, inputHeight: 60, width: 240, height: 48))
        #expect(!PillowResampler.verticalFirst(inputWidth: 40, inputHeight: 60, width: 30, height: 40))  // 20 = 2 · 10
        #expect(PillowResampler.verticalFirst(inputWidth: 40, inputHeight: 60, width: 30, height: 39))
        #expect(PillowResampler.verticalFirst(inputWidth: 20, inputHeight: 60, width: 30, height: 59))  // width grows
        #expect(!PillowResampler.verticalFirst(inputWidth: 20, inputHeight: 60, width: 10, height: 70))  // height grows
    }
}
