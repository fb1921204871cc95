import CLIPImageProcessing
import Foundation
import Testing

/// A JPEG's cost is bounded by its pixels, not by what its scans ask: every scan of a progressive
/// file is a pass over all coefficients, so a file of thousands of tiny scans would hold the CPU for
/// minutes (issue 19, item 3). Past `CIC_JPEG_MAX_SCANS` (1000) scans the decoder stops.
@Suite struct HostileJPEGTests {
    /// A progressive 8×8 greyscale JPEG with `scans` DC scans, each one byte of entropy data (DC
    /// difference 0 with a one-code Huffman table; repeating the first DC scan is a warning to libjpeg).
    static func progressive(scans: Int) -> Data {
        func segment(_ marker: UInt8, _ body: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
        }
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))  // quantisation table 0
        bytes += segment(0xC2, [8, 0, 8, 0, 8, 1, 1, 0x11, 0])  // SOF2: 8×8, 1 component
        bytes += segment(0xC4, [0x00, 1] + [UInt8](repeating: 0, count: 15) + [0x00])  // DC table 0: one code, "0" → 0
        for _ in 0..<scans {
            bytes += segment(0xDA, [1, 1, 0x00, 0, 0, 0x00])  // SOS: DC first scan
            bytes.append(0x7F)  // the code "0", padded with ones
        }
        return Data(bytes + [0xFF, 0xD9])
    }

    @Test func aFewScansDecode() throws {
        let image = try ImageDecoder().decode(data: Self.progressive(scans: 3), source: "three-scans.jpg")
        #expect(image.width == 8 && image.height == 8)
    }

    @Test func thousandsOfScansAreRefusedByName() {
        let data = Self.progressive(scans: 1500)
        #expect(data.count < 20_000)
        #expect {
            try ImageDecoder().decode(data: data, source: "scans.jpg")
        } throws: { error in
            guard case .unsupportedImage(let source, let detail) = error as? ImageProcessingError else { return false }
            return source == "scans.jpg" && detail.contains("more than 1000 scans")
        }
    }
}
