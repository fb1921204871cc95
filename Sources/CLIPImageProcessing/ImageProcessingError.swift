import Foundation

/// Everything that can go wrong while reading or writing an image, or reading a `preprocessor_config.json`.
///
/// Each message names the object, what was expected, what was found and what to do next.
public enum ImageProcessingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read from disk.
    case unreadableFile(path: String, reason: String)
    /// The path names something that is not a regular file (a FIFO, a device, a folder, a socket).
    case notAFile(path: String, found: String)
    /// The data holds no bytes at all.
    case emptyData(source: String)
    /// The first bytes are no JPEG, PNG, WebP or GIF signature (a text file, a PDF…).
    case notAnImage(source: String)
    /// A known format whose variant is not decoded (GIF, 12-bit JPEG, …).
    case unsupportedImage(source: String, detail: String)
    /// The data ends before the image does.
    case truncated(source: String, detail: String)
    /// The codec rejected the data.
    case corrupt(source: String, detail: String)
    /// Width or height is zero.
    case zeroSize(source: String, detail: String)
    /// `width × height` is above `ImageDecodingOptions.maximumPixelCount` (decompression bomb guard).
    case tooManyPixels(source: String, detail: String)
    /// The decoder could not allocate the pixels.
    case outOfMemory(source: String)
    /// `preprocessor_config.json` is not what `CLIPImageProcessorPil` accepts.
    case invalidConfiguration(source: String, detail: String)
    /// Pixels handed to an encoder that do not make an image of the stated size.
    case invalidPixelBuffer(width: Int, height: Int, bytes: Int, expected: String)
    /// The encoder (libpng) refused or ran out of memory.
    case encodingFailed(format: String, detail: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read image file \(path): \(reason); check the path and its permissions"
        case .notAFile(let path, let found):
            return "cannot read image file \(path): it is \(found); give the path of a JPEG, PNG, WebP or GIF file"
        case .emptyData(let source):
            return "image \(source) is empty (0 bytes); expected JPEG, PNG, WebP or GIF data"
        case .notAnImage(let source):
            return "image \(source) is not an image: expected a JPEG, PNG, WebP or GIF signature in its first bytes"
        case .unsupportedImage(let source, let detail):
            return "image \(source) uses a variant that is not decoded (\(detail)); convert it to PNG or JPEG"
        case .truncated(let source, let detail):
            return "image \(source) is truncated (\(detail)); re-download or re-export it"
        case .corrupt(let source, let detail):
            return "image \(source) is corrupt: \(detail); re-export it"
        case .zeroSize(let source, let detail):
            return "image \(source) has no pixels (\(detail)); expected a width and height of at least 1"
        case .tooManyPixels(let source, let detail):
            return "image \(source) is too large (\(detail)); raise ImageDecodingOptions.maximumPixelCount if it is trusted"
        case .outOfMemory(let source):
            return "image \(source): no memory for its pixels"
        case .invalidConfiguration(let source, let detail):
            return "preprocessor configuration \(source): \(detail)"
        case .invalidPixelBuffer(let width, let height, let bytes, let expected):
            return "cannot encode a \(width) × \(height) RGB image from \(bytes) bytes: expected \(expected)"
        case .encodingFailed(let format, let detail):
            return "\(format) encoding failed: \(detail)"
        }
    }
}
