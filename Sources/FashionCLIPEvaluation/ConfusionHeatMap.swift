import Foundation

/// The picture of a confusion matrix: a title ("confusion matrix, N samples, accuracy X%") over a
/// line saying what the cells show, the true labels down the left, the predicted labels up along the
/// top, and one square cell per entry shaded white → dark blue by its share of the row (the true
/// label's samples), its count printed on it.
///
/// Text uses `BitmapFont`; labels longer than `maximumLabelCharacters` end in "…", characters outside
/// ASCII are drawn as "?". Above `maximumLabelledClasses` classes only the cells are drawn (small, with
/// no counts) and the title says so; the names and counts are those of `confusionCSV()`. The layout is
/// a pure function of the report, so a report always gives the same picture.
package struct ConfusionHeatMap: Sendable {
    /// The most classes drawn with names and counts.
    package static let maximumLabelledClasses = 60
    /// Labels are cut to this many characters, the last one "…".
    package static let maximumLabelCharacters = 20
    /// Pixels around everything.
    static let margin = 12
    /// Pixels between a caption, the labels and the matrix.
    static let gap = 6
    /// Scale of the title and the axis captions (10 × 18 pixel characters).
    static let captionScale = 2

    static let ink = RGBCanvas.Colour(24, 24, 24)
    static let faintInk = RGBCanvas.Colour(150, 150, 150)
    static let frameColour = RGBCanvas.Colour(190, 190, 190)

    package let report: ClassificationReport
    /// Whether names and counts are drawn (at most `maximumLabelledClasses` classes).
    package let labelled: Bool
    /// Scale of the labels and counts: 2 up to 30 classes, 1 above.
    package let textScale: Int
    /// Side of a cell in pixels.
    package let cell: Int
    /// Top-left corner of the cell (true 0, predicted 0).
    package let matrixX: Int, matrixY: Int
    package let width: Int, height: Int
    /// The labels as drawn (cut to `maximumLabelCharacters`).
    package let shownLabels: [String]
    let title: String
    let legend: String

    package init(_ report: ClassificationReport) {
        self.report = report
        let c = report.labels.count
        labelled = c <= Self.maximumLabelledClasses
        textScale = c <= 30 ? 2 : 1
        shownLabels = labelled ? report.labels.map(Self.shortened) : []
        let samples = report.confusion.reduce(0) { $0 + $1.reduce(0, +) }
        var title = "confusion matrix, \(samples) samples, accuracy " + String(format: "%.1f%%", report.accuracy * 100)
        if !labelled { title += ", \(c) classes: too many to label (see confusion.csv)" }
        self.title = title
        legend = labelled ? "cell: count, shaded by its share of the row" : "cell: shaded by its share of the row"

        let s = textScale, line = BitmapFont.glyphHeight * Self.captionScale
        if labelled {
            let widestCount = report.confusion.joined().map { BitmapFont.width(of: String($0), scale: s) }.max() ?? 0
            cell = max(BitmapFont.glyphHeight * s + 4 * s, widestCount + 6 * s)
        } else {
            cell = max(1, min(12, 2400 / max(1, c)))
        }
        let labelWidth = shownLabels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0
        let labelSpace = labelled ? labelWidth + Self.gap : 0
        // Left to right: caption "true" (upward), the row labels, the matrix.
        matrixX = Self.margin + line + Self.gap + labelSpace
        // Top to bottom: title, legend, caption "predicted", the column labels (upward), the matrix.
        matrixY = Self.margin + 2 * line + 3 * Self.gap + line + Self.gap + labelSpace
        let textWidth = max(BitmapFont.width(of: title, scale: Self.captionScale), BitmapFont.width(of: legend, scale: Self.captionScale))
        let titleWidth = Self.margin + textWidth + Self.margin
        width = max(matrixX + c * cell + Self.margin, titleWidth)
        height = matrixY + c * cell + Self.margin
    }

    /// White (share 0) to dark blue (share 1), matplotlib "Blues"' ends: (255, 255, 255) → (8, 48, 107).
    package static func shade(_ share: Double) -> RGBCanvas.Colour {
        let v = min(1, max(0, share))
        func channel(_ span: Double) -> UInt8 { UInt8((255 - v * span).rounded()) }
        return RGBCanvas.Colour(channel(247), channel(207), channel(148))
    }

    /// `confusion[truth][predicted]` / the row's total; 0 for a row without samples.
    package func share(truth: Int, predicted: Int) -> Double {
        let total = report.confusion[truth].reduce(0, +)
        return total == 0 ? 0 : Double(report.confusion[truth][predicted]) / Double(total)
    }

    /// Top-left corner of a cell.
    package func cellOrigin(truth: Int, predicted: Int) -> (x: Int, y: Int) {
        (matrixX + predicted * cell, matrixY + truth * cell)
    }

    /// `label` cut to `maximumLabelCharacters` characters, ending in "…" when cut.
    static func shortened(_ label: String) -> String {
        label.count <= maximumLabelCharacters ? label : String(label.prefix(maximumLabelCharacters - 1)) + "…"
    }

    /// Draws the picture.
    package func render() -> RGBCanvas {
        var canvas = RGBCanvas(width: width, height: height)
        let c = report.labels.count, s = textScale, side = c * cell
        let line = BitmapFont.glyphHeight * Self.captionScale
        canvas.draw(title, x: Self.margin, y: Self.margin, scale: Self.captionScale, colour: Self.ink)
        canvas.draw(legend, x: Self.margin, y: Self.margin + line + Self.gap, scale: Self.captionScale, colour: Self.faintInk)
        let predictedY = Self.margin + 2 * line + 3 * Self.gap
        let captionWidth = BitmapFont.width(of: "predicted", scale: Self.captionScale)
        canvas.draw("predicted", x: matrixX + (side - captionWidth) / 2, y: predictedY, scale: Self.captionScale, colour: Self.ink)
        let trueHeight = BitmapFont.width(of: "true", scale: Self.captionScale)
        canvas.draw(
            "true", x: Self.margin, y: matrixY + (side - trueHeight) / 2, scale: Self.captionScale,
            colour: Self.ink, direction: .upward)
        // Capitals centred on a cell's middle, across the row or the column.
        let capitalOffset = (cell - BitmapFont.capitalHeight * s) / 2
        for (i, label) in shownLabels.enumerated() {
            let length = BitmapFont.width(of: label, scale: s)
            canvas.draw(label, x: matrixX - Self.gap - length, y: matrixY + i * cell + capitalOffset, scale: s, colour: Self.ink)
            canvas.draw(
                label, x: matrixX + i * cell + capitalOffset, y: matrixY - Self.gap - length, scale: s,
                colour: Self.ink, direction: .upward)
        }
        for t in 0..<c {
            for p in 0..<c {
                let colour = Self.shade(share(truth: t, predicted: p))
                let (x, y) = cellOrigin(truth: t, predicted: p)
                canvas.fill(x: x, y: y, width: cell, height: cell, colour: colour)
                guard labelled else { continue }
                let count = report.confusion[t][p]
                let text = String(count)
                let textColour = count == 0 ? Self.faintInk : colour.luminance < 140 ? .white : Self.ink
                canvas.draw(
                    text, x: x + (cell - BitmapFont.width(of: text, scale: s)) / 2, y: y + capitalOffset,
                    scale: s, colour: textColour)
            }
        }
        if c > 0 { canvas.frame(x: matrixX, y: matrixY, width: side, height: side, colour: Self.frameColour) }
        return canvas
    }

    /// The picture as PNG bytes.
    /// - Throws: `ImageProcessingError` when libpng fails.
    package func png() throws -> Data { try render().png() }
}
