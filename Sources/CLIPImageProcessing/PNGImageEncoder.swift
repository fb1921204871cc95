import CImageCodecs
import Foundation

/// Writes 8-bit RGB PNG files through libpng (`cic_encode_png_rgb`): libpng's adaptive row filters and
/// zlib compression, no interlace, no time or text chunk, so equal pixels give equal bytes.
///
/// `ImageDecoder` reads the result back to the same pixels.
public enum PNGImageEncoder {
    /// The largest width or height a PNG header can state (2³¹ − 1).
    public static let maximumSide = Int(Int32.max)

    /// The PNG bytes of `pixels` `[height, width, 3]` (row-major RGB, no row padding).
    /// - Parameter compressionLevel: zlib's 0 (stored) … 9 (smallest, the default).
    /// - Throws: `ImageProcessingError.invalidPixelBuffer` when a side is below 1 or above
    ///   `maximumSide`, when `width · height · 3` overflows, or when it differs from `pixels.count`;
    ///   `.encodingFailed` when libpng refuses or runs out of memory.
    public static func encodeRGB(width: Int, height: Int, pixels: [UInt8], compressionLevel: Int = 9) throws -> Data {
        precondition((0...9).contains(compressionLevel), "PNGImageEncoder: compression level \(compressionLevel) is not 0…9")
        func invalid(_ expected: String) -> ImageProcessingError {
            .invalidPixelBuffer(width: width, height: height, bytes: pixels.count, expected: expected)
        }
        guard width >= 1, height >= 1 else { throw invalid("a width and height of at least 1") }
        guard width <= maximumSide, height <= maximumSide else { throw invalid("sides of at most \(maximumSide) pixels") }
        let (area, areaOverflow) = width.multipliedReportingOverflow(by: height)
        let (bytes, bytesOverflow) = area.multipliedReportingOverflow(by: 3)
        guard !areaOverflow, !bytesOverflow else { throw invalid("width × height × 3 bytes, which overflows Int") }
        guard bytes == pixels.count else { throw invalid("width × height × 3 = \(bytes) bytes") }

        var output = cic_buffer()
        defer { cic_buffer_free(&output) }
        var message = [CChar](repeating: 0, count: 256)
        let status = pixels.withUnsafeBufferPointer { rgb in
            cic_encode_png_rgb(
                Int32(width), Int32(height), rgb.baseAddress, width * 3, Int32(compressionLevel),
                &output, &message, message.count)
        }
        let detail = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case Int32(CIC_OK):
            guard let data = output.data, output.size > 0 else { throw ImageProcessingError.encodingFailed(format: "PNG", detail: "libpng wrote no bytes") }
            return Data(bytes: data, count: output.size)
        case Int32(CIC_ERROR_ZERO_SIZE), Int32(CIC_ERROR_INVALID_ARGUMENT):
            throw invalid("what the encoder accepts (\(detail))")
        case Int32(CIC_ERROR_OUT_OF_MEMORY):
            throw ImageProcessingError.encodingFailed(format: "PNG", detail: "out of memory (\(detail))")
        default:
            throw ImageProcessingError.encodingFailed(format: "PNG", detail: detail)
        }
    }
}
