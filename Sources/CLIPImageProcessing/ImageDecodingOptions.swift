/// How decoding turns a file into RGB.
public struct ImageDecodingOptions: Sendable, Equatable {
    /// What happens to transparency (RGBA, LA, palette or colour with tRNS).
    public enum AlphaHandling: Sendable, Equatable {
        /// Composite onto opaque white with Pillow's `alpha_composite`, as transformers 5's
        /// `CLIPImageProcessorPil` does. Right for product cut-outs.
        case compositeOnWhite
        /// Drop the alpha channel (Pillow's `convert("RGB")`), as transformers 4.x did: whatever colour
        /// hides under transparent pixels shows.
        case drop
    }

    /// Pillow's `Image.MAX_IMAGE_PIXELS` error threshold (2 × 89,478,485).
    public static let defaultMaximumPixelCount = 178_956_970

    /// Transparency handling; `.compositeOnWhite` matches the reference.
    public var alphaHandling: AlphaHandling
    /// Rotate/flip by the EXIF orientation tag (Pillow's `ImageOps.exif_transpose`). Off by default:
    /// the reference processor does not apply it.
    public var appliesEXIFOrientation: Bool
    /// Images with more pixels than this are refused before any pixel memory is allocated.
    public var maximumPixelCount: Int

    public init(
        alphaHandling: AlphaHandling = .compositeOnWhite, appliesEXIFOrientation: Bool = false,
        maximumPixelCount: Int = ImageDecodingOptions.defaultMaximumPixelCount
    ) {
        self.alphaHandling = alphaHandling
        self.appliesEXIFOrientation = appliesEXIFOrientation
        self.maximumPixelCount = maximumPixelCount
    }
}
