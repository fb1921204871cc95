import CLIPImageProcessing
import Foundation

/// An 8-bit RGB picture being drawn: filled rectangles and `BitmapFont` text, then PNG bytes.
///
/// Coordinates are pixels from the top-left corner; whatever falls outside the canvas is clipped.
package struct RGBCanvas: Sendable {
    /// One pixel's colour.
    package struct Colour: Sendable, Equatable, CustomStringConvertible {
        package var red, green, blue: UInt8

        package init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        package static let white = Colour(255, 255, 255)

        /// Relative luminance 0 … 255 (ITU-R BT.601 weights), to pick text that stands out.
        package var luminance: Double { 0.299 * Double(red) + 0.587 * Double(green) + 0.114 * Double(blue) }

        package var description: String { "(\(red), \(green), \(blue))" }
    }

    /// Which way text runs.
    package enum Direction: Sendable {
        /// Left to right.
        case horizontal
        /// Bottom to top (turned 90° anticlockwise): the tops of the glyphs face left.
        case upward
    }

    package let width: Int
    package let height: Int
    /// `[height, width, 3]` samples.
    package private(set) var pixels: [UInt8]

    /// A canvas of one colour.
    package init(width: Int, height: Int, background: Colour = .white) {
        precondition(width >= 0 && height >= 0, "RGBCanvas: \(width) × \(height) pixels")
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for o in stride(from: 0, to: pixels.count, by: 3) {
            pixels[o] = background.red
            pixels[o + 1] = background.green
            pixels[o + 2] = background.blue
        }
        self.pixels = pixels
    }

    /// The colour at (`x`, `y`), which must be on the canvas.
    package func colour(x: Int, y: Int) -> Colour {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "RGBCanvas: (\(x), \(y)) is off a \(width) × \(height) canvas")
        let o = (y * width + x) * 3
        return Colour(pixels[o], pixels[o + 1], pixels[o + 2])
    }

    /// Paints the rectangle `[x, x + width) × [y, y + height)`, clipped to the canvas.
    package mutating func fill(x: Int, y: Int, width w: Int, height h: Int, colour: Colour) {
        let x0 = max(0, x), x1 = min(width, x + max(0, w))
        let y0 = max(0, y), y1 = min(height, y + max(0, h))
        guard x0 < x1 else { return }
        for row in y0..<max(y0, y1) {
            var o = (row * width + x0) * 3
            for _ in x0..<x1 {
                pixels[o] = colour.red
                pixels[o + 1] = colour.green
                pixels[o + 2] = colour.blue
                o += 3
            }
        }
    }

    /// A one-pixel outline just outside the rectangle `[x, x + width) × [y, y + height)`.
    package mutating func frame(x: Int, y: Int, width w: Int, height h: Int, colour: Colour) {
        fill(x: x - 1, y: y - 1, width: w + 2, height: 1, colour: colour)
        fill(x: x - 1, y: y + h, width: w + 2, height: 1, colour: colour)
        fill(x: x - 1, y: y, width: 1, height: h, colour: colour)
        fill(x: x + w, y: y, width: 1, height: h, colour: colour)
    }

    /// Draws `text` with each font pixel a `scale` × `scale` square.
    ///
    /// (`x`, `y`) is the top-left corner of the text's box: `BitmapFont.width(of:scale:)` along the text
    /// by `BitmapFont.glyphHeight · scale` across it (for `.upward` text the box is that tall and that
    /// wide, the first character at its bottom).
    package mutating func draw(_ text: String, x: Int, y: Int, scale: Int = 1, colour: Colour, direction: Direction = .horizontal) {
        precondition(scale >= 1, "RGBCanvas: text scale \(scale) is below 1")
        let length = BitmapFont.width(of: text, scale: scale)
        for (i, character) in text.enumerated() {
            let glyph = BitmapFont.glyph(for: character)
            for (row, bits) in glyph.enumerated() where bits != 0 {
                for column in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                    // Position along the text and across it, in pixels from the box's start.
                    let along = (i * BitmapFont.advance + column) * scale, across = row * scale
                    switch direction {
                    case .horizontal:
                        fill(x: x + along, y: y + across, width: scale, height: scale, colour: colour)
                    case .upward:
                        fill(x: x + across, y: y + length - along - scale, width: scale, height: scale, colour: colour)
                    }
                }
            }
        }
    }

    /// The canvas as an 8-bit RGB PNG (libpng, zlib level 9).
    /// - Throws: `ImageProcessingError` when the canvas is empty or libpng fails.
    package func png() throws -> Data {
        try PNGImageEncoder.encodeRGB(width: width, height: height, pixels: pixels)
    }
}
