import CImageCodecs
import Foundation
import TensorKernels

/// Decodes JPEG, PNG, WebP and GIF (first frame) files into RGB exactly as Pillow 13 + transformers 5's
/// `CLIPImageProcessorPil` see them. Stateless and safe to use from many threads at once.
public struct ImageDecoder: Sendable {
    /// Transparency, EXIF orientation and size limit.
    public var options: ImageDecodingOptions

    public init(options: ImageDecodingOptions = ImageDecodingOptions()) {
        self.options = options
    }

    /// Decodes the file at `url`. Throws `ImageProcessingError` naming the file.
    public func decode(fileAt url: URL) throws -> RGBImage {
        // A FIFO would block the read until a writer came, /dev/zero would fill memory: only regular
        // files are read, anything else is named for what it is.
        do { try MappedFile.requireRegularFile(url) } catch {
            if FileManager.default.fileExists(atPath: url.path) {
                throw ImageProcessingError.notAFile(path: url.path, found: error.reason)
            }
            throw ImageProcessingError.unreadableFile(path: url.path, reason: error.reason)
        }
        let data: Data
        do {
            // Through FileHandle: Foundation's Data(contentsOf:) leaks 4 KB on each read of an empty file.
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw ImageProcessingError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data: data, source: url.path)
    }

    /// Decodes an in-memory file; `source` names it in errors.
    public func decode(data: Data, source: String = "<data>") throws -> RGBImage {
        let decoded = try decodeRaw(data: data, source: source)
        var image = decoded.rgbImage(alpha: options.alphaHandling)
        if options.appliesEXIFOrientation, let exif = decoded.exif,
            let orientation = EXIFOrientation.value(in: exif)
        {
            image = EXIFOrientation.apply(orientation, to: image)
        }
        return image
    }

    /// The file's own samples and mode, before conversion to RGB. The codec writes straight into the
    /// Swift array that the image keeps (one allocation, no copy).
    func decodeRaw(data: Data, source: String) throws -> DecodedImage {
        var info = cic_image()
        defer { cic_image_free(&info) }
        var message = [CChar](repeating: 0, count: 512)
        let limit = UInt64(max(0, options.maximumPixelCount))
        let wantsEXIF: Int32 = options.appliesEXIFOrientation ? 1 : 0
        return try data.withUnsafeBytes { bytes in
            var decoder: OpaquePointer?
            let opened = cic_open(
                bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, limit, wantsEXIF,
                &info, &decoder, &message, message.count)
            defer { cic_close(decoder) }
            try Self.check(opened, message, source)
            var status: Int32 = 0
            if info.layout == Int32(CIC_LAYOUT_GRAY16) {
                let wide = [UInt16](unsafeUninitializedCapacity: info.pixel_bytes / 2) { buffer, count in
                    status = buffer.withMemoryRebound(to: UInt8.self) { raw in
                        cic_read(decoder, &info, raw.baseAddress, info.pixel_bytes, &message, message.count)
                    }
                    count = status == Int32(CIC_OK) ? buffer.count : 0
                }
                try Self.check(status, message, source)
                return DecodedImage(info, samples: [], wideSamples: wide)
            }
            let samples = [UInt8](unsafeUninitializedCapacity: info.pixel_bytes) { buffer, count in
                status = cic_read(decoder, &info, buffer.baseAddress, buffer.count, &message, message.count)
                count = status == Int32(CIC_OK) ? buffer.count : 0
            }
            try Self.check(status, message, source)
            return DecodedImage(info, samples: samples, wideSamples: [])
        }
    }

    /// Throws the `ImageProcessingError` for a `cic_open` / `cic_read` status.
    static func check(_ status: Int32, _ message: [CChar], _ source: String) throws {
        let detail = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case Int32(CIC_OK): return
        case Int32(CIC_ERROR_EMPTY): throw ImageProcessingError.emptyData(source: source)
        case Int32(CIC_ERROR_UNKNOWN_FORMAT): throw ImageProcessingError.notAnImage(source: source)
        case Int32(CIC_ERROR_TRUNCATED): throw ImageProcessingError.truncated(source: source, detail: detail)
        case Int32(CIC_ERROR_TOO_MANY_PIXELS): throw ImageProcessingError.tooManyPixels(source: source, detail: detail)
        case Int32(CIC_ERROR_ZERO_SIZE): throw ImageProcessingError.zeroSize(source: source, detail: detail)
        case Int32(CIC_ERROR_UNSUPPORTED): throw ImageProcessingError.unsupportedImage(source: source, detail: detail)
        case Int32(CIC_ERROR_OUT_OF_MEMORY): throw ImageProcessingError.outOfMemory(source: source)
        default: throw ImageProcessingError.corrupt(source: source, detail: detail)
        }
    }
}
