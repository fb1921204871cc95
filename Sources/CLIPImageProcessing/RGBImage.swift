/// An 8-bit RGB image, rows top to bottom, pixels interleaved: `pixels` is `[height, width, 3]`.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels (≥ 1 for a decoded image).
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `[height, width, 3]` samples, R G B per pixel.
    public var pixels: [UInt8]

    /// Wraps `pixels` (`[height, width, 3]`); `pixels.count` must be `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(
            width >= 0 && height >= 0 && pixels.count == width * height * 3,
            "RGBImage: \(pixels.count) samples for \(width) x \(height) x 3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
