import Foundation

/// CLIP's image preprocessing, identical to transformers 5.23 `CLIPImageProcessorPil` with Pillow 13:
/// decode → RGB (transparency onto white) → resize (shortest edge, Pillow bicubic) → centre crop →
/// rescale → normalise → `[3, H, W]` floats.
///
/// A value type without shared mutable state: call it from as many threads as you like.
public struct CLIPImageProcessor: Sendable {
    /// The settings from `preprocessor_config.json`.
    public let configuration: ImageProcessorConfiguration
    /// Decoding options (transparency, EXIF orientation, size limit).
    public let decoder: ImageDecoder
    /// `table[c * 256 + v]`: the float a sample value `v` of channel `c` becomes.
    let valueTable: [Float]

    public init(
        configuration: ImageProcessorConfiguration = ImageProcessorConfiguration(),
        options: ImageDecodingOptions = ImageDecodingOptions()
    ) {
        self.configuration = configuration
        self.decoder = ImageDecoder(options: options)
        self.valueTable = Self.makeValueTable(configuration)
    }

    /// Reads `preprocessor_config.json` at `configURL` (a model folder's file).
    public init(configURL: URL, options: ImageDecodingOptions = ImageDecodingOptions()) throws {
        self.init(configuration: try ImageProcessorConfiguration(contentsOf: configURL), options: options)
    }

    /// Decodes a JPEG, PNG, WebP or GIF file to RGB.
    public func decode(fileAt url: URL) throws -> RGBImage {
        try decoder.decode(fileAt: url)
    }

    /// Decodes an in-memory JPEG, PNG, WebP or GIF file to RGB; `source` names it in errors.
    public func decode(data: Data, source: String = "<data>") throws -> RGBImage {
        try decoder.decode(data: data, source: source)
    }

    /// `[3, H, W]` pixel values of the file at `url`.
    public func preprocess(fileAt url: URL) throws -> [Float] {
        preprocess(try decode(fileAt: url))
    }

    /// `[3, H, W]` pixel values of `image` (H × W from `outputSize(width:height:)`).
    public func preprocess(_ image: RGBImage) -> [Float] {
        pixelValues(ofResized: resizedAndCropped(image))
    }

    /// Writes the `[3, H, W]` pixel values of `image` into `output[offset...]` (a batch buffer
    /// `[n, 3, H, W]`); returns the number of floats written.
    /// - Precondition: they fit in `output` from `offset`.
    @discardableResult
    public func preprocess(_ image: RGBImage, into output: inout [Float], at offset: Int) -> Int {
        let resized = resizedAndCropped(image)
        writePixelValues(of: resized, into: &output, at: offset)
        return 3 * resized.width * resized.height
    }

    /// The `(height, width)` of `preprocess`'s output for an input of `width × height`.
    public func outputSize(width: Int, height: Int) -> (height: Int, width: Int) {
        if let crop = configuration.cropSize { return crop }
        let resized = resizedSize(width: width, height: height)
        return (resized.height, resized.width)
    }

    /// The uint8 image after resize and centre crop, before rescale (`[H, W, 3]`).
    public func resizedAndCropped(_ image: RGBImage) -> RGBImage {
        let (height, width) = resizedSize(width: image.width, height: image.height)
        let crop = configuration.cropSize ?? (height, width)
        let x = Self.cropAxis(length: width, crop: crop.width)
        let y = Self.cropAxis(length: height, crop: crop.height)
        let kept = PillowResampler.resize(
            image, width: width, height: height, columns: x.source, rows: y.source,
            filter: configuration.filter)
        if x.offset == 0 && y.offset == 0 && x.source.count == crop.width && y.source.count == crop.height {
            return RGBImage(width: crop.width, height: crop.height, pixels: kept)
        }
        // The resized image is smaller than the crop: transformers pads with zeros around it.
        var padded = [UInt8](repeating: 0, count: crop.width * crop.height * 3)
        let span = x.source.count * 3
        for row in 0..<y.source.count {
            let to = ((row + y.offset) * crop.width + x.offset) * 3
            padded.replaceSubrange(to..<to + span, with: kept[row * span..<(row + 1) * span])
        }
        return RGBImage(width: crop.width, height: crop.height, pixels: padded)
    }

    /// Rescale and normalise a resized image: `[H, W, 3]` uint8 → `[3, H, W]` floats.
    public func pixelValues(ofResized image: RGBImage) -> [Float] {
        var output = [Float](repeating: 0, count: 3 * image.width * image.height)
        writePixelValues(of: image, into: &output, at: 0)
        return output
    }
}
