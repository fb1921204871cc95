import CLIPImageProcessing
import Foundation
import Testing

@Suite("PNGImageEncoder")
struct PNGImageEncoderTests {
    /// A `[height, width, 3]` pattern with every byte value and neighbouring pixels unlike each other.
    static func pattern(width: Int, height: Int) -> [UInt8] {
        (0..<(width * height * 3)).map { i in UInt8(truncatingIfNeeded: ((i &* 2_654_435_761) >> 13) ^ i) }
    }

    @Test("encoded pixels decode to the same pixels", arguments: [(1, 1), (7, 5), (64, 3), (301, 257)])
    func roundTrip(_ size: (Int, Int)) throws {
        let (width, height) = size
        let pixels = Self.pattern(width: width, height: height)
        let png = try PNGImageEncoder.encodeRGB(width: width, height: height, pixels: pixels)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let decoded = try ImageDecoder().decode(data: png, source: "encoded.png")
        #expect(decoded == RGBImage(width: width, height: height, pixels: pixels))
        for level in [0, 1, 6] {
            let other = try PNGImageEncoder.encodeRGB(width: width, height: height, pixels: pixels, compressionLevel: level)
            #expect(try ImageDecoder().decode(data: other).pixels == pixels, "level \(level)")
        }
        #expect(try PNGImageEncoder.encodeRGB(width: width, height: height, pixels: pixels) == png, "deterministic")
    }

    @Test("a flat picture is compressed far below its raw size")
    func compresses() throws {
        let width = 640, height = 480
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for y in 100..<200 { for x in 0..<width { pixels[(y * width + x) * 3 + 2] = 120 } }
        let png = try PNGImageEncoder.encodeRGB(width: width, height: height, pixels: pixels)
        #expect(png.count < pixels.count / 100, "\(png.count) bytes for \(pixels.count) raw")
        let stored = try PNGImageEncoder.encodeRGB(width: width, height: height, pixels: pixels, compressionLevel: 0)
        #expect(stored.count > pixels.count)
    }

    @Test("bad sizes throw a typed error naming them")
    func badSizes() {
        let cases: [(width: Int, height: Int, bytes: Int)] = [
            (0, 5, 0), (5, 0, 0), (-1, 5, 15), (5, -2, 30),
            (Int.max, 2, 6), (Int.max / 2, 4, 12),  // width × height × 3 overflows Int
            (PNGImageEncoder.maximumSide + 1, 1, 12),  // no PNG header can state it
            (4, 4, 47), (4, 4, 49), (4, 4, 0)  // pixels.count ≠ width × height × 3
        ]
        for c in cases {
            #expect {
                try PNGImageEncoder.encodeRGB(width: c.width, height: c.height, pixels: [UInt8](repeating: 0, count: c.bytes))
            } throws: { error in
                guard case let .invalidPixelBuffer(width, height, bytes, expected) = error as? ImageProcessingError else { return false }
                let text = String(describing: error as! ImageProcessingError)
                return width == c.width && height == c.height && bytes == c.bytes && !expected.isEmpty
                    && text.contains("\(c.width) × \(c.height)")
            }
        }
    }
}
