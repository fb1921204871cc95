import FashionCLIPEvaluation
import Foundation
import Testing

/// The bitmap font and the canvas's text drawing, on their own.
@Suite struct CanvasTextTests {
    /// "A" as designed: 5 columns, rows 0 … 6 above the baseline, no descender.
    static let letterA = [
        ".###.",
        "#...#",
        "#...#",
        "#####",
        "#...#",
        "#...#",
        "#...#",
        ".....",
        "....."
    ]

    static let ink = RGBCanvas.Colour(10, 20, 30)

    /// The canvas pixels as `#` (ink) and `.` (anything else), one string a row.
    static func art(_ canvas: RGBCanvas) -> [String] {
        (0..<canvas.height).map { y in String((0..<canvas.width).map { canvas.colour(x: $0, y: y) == ink ? "#" : "." }) }
    }

    @Test func theTableHoldsTheDesignedGlyph() {
        let rows = Array(BitmapFont.glyph(for: "A"))
        #expect(rows == Self.letterA.map { UInt8($0.replacingOccurrences(of: "#", with: "1").replacingOccurrences(of: ".", with: "0"), radix: 2)! })
        #expect(BitmapFont.rows.count == 96 * BitmapFont.glyphHeight)
        #expect(Array(BitmapFont.glyph(for: " ")) == [UInt8](repeating: 0, count: 9))
    }

    @Test func drawingALetterPaintsItsBitmap() {
        var canvas = RGBCanvas(width: 7, height: 11)
        canvas.draw("A", x: 1, y: 1, colour: Self.ink)
        let expected = ["......."] + Self.letterA.map { "." + $0 + "." } + ["......."]
        #expect(Self.art(canvas) == expected)
        // Every pixel not drawn keeps the background.
        #expect(canvas.colour(x: 0, y: 0) == .white && canvas.colour(x: 6, y: 10) == .white)
    }

    @Test func scaleAndDirection() {
        var big = RGBCanvas(width: 10, height: 18)
        big.draw("A", x: 0, y: 0, scale: 2, colour: Self.ink)
        let doubled = Self.letterA.flatMap { row in
            let wide = String(row.flatMap { [$0, $0] })
            return [wide, wide]
        }
        #expect(Self.art(big) == doubled)

        // Upward: the glyph turned 90° anticlockwise, its top facing left, in a 9 × 5 box.
        var turned = RGBCanvas(width: 9, height: 5)
        turned.draw("A", x: 0, y: 0, colour: Self.ink, direction: .upward)
        let rotated = (0..<5).map { y in String((0..<9).map { x in Array(Self.letterA[x])[4 - y] }) }
        #expect(Self.art(turned) == rotated)
    }

    @Test func widthsAndUnknownCharacters() {
        #expect(BitmapFont.width(of: "") == 0)
        #expect(BitmapFont.width(of: "A") == 5 && BitmapFont.width(of: "AB") == 11 && BitmapFont.width(of: "AB", scale: 2) == 22)
        // Outside printable ASCII: "?"; "…" has a glyph of its own.
        #expect(BitmapFont.glyph(for: "é") == BitmapFont.glyph(for: "?"))
        #expect(BitmapFont.glyph(for: "\n") == BitmapFont.glyph(for: "?"))
        #expect(BitmapFont.glyph(for: "👗") == BitmapFont.glyph(for: "?"))
        #expect(BitmapFont.glyph(for: "…") != BitmapFont.glyph(for: "?"))
        // Every printable glyph but the space has ink, and no two are the same.
        let printable = (33...126).map { Array(BitmapFont.glyph(for: Character(UnicodeScalar(UInt8($0))))) }
        #expect(printable.allSatisfy { $0.contains { $0 != 0 } })
        #expect(Set(printable.map { $0.map(String.init).joined(separator: ",") }).count == printable.count)
        // Bits beyond the 5 columns are never set.
        #expect(BitmapFont.rows.allSatisfy { $0 < 32 })
    }

    @Test func drawingIsClippedToTheCanvas() {
        var canvas = RGBCanvas(width: 4, height: 4)
        canvas.draw("W", x: -2, y: -3, scale: 3, colour: Self.ink)
        canvas.draw("long text beyond the edge", x: 2, y: 2, colour: Self.ink, direction: .upward)
        canvas.fill(x: -10, y: 3, width: 100, height: 100, colour: Self.ink)
        #expect(canvas.pixels.count == 4 * 4 * 3)
        #expect((0..<4).allSatisfy { canvas.colour(x: $0, y: 3) == Self.ink })
    }
}
