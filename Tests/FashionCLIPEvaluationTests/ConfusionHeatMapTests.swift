import CLIPImageProcessing
import FashionCLIPEvaluation
import Foundation
import Testing

/// The confusion-matrix picture: geometry, cell shades, counts and bounds.
@Suite struct ConfusionHeatMapTests {
    /// 3 classes: a → a, a; b → b, b, a; c → b, c, c, c.
    static func threeClasses() throws -> ClassificationReport {
        try ClassificationReport(
            trueLabels: ["a", "a", "b", "b", "b", "c", "c", "c", "c"],
            predictedLabels: ["a", "a", "b", "b", "a", "b", "c", "c", "c"])
    }

    @Test func decodesToTheLayoutWithCellsShadedByTheirShareOfTheRow() throws {
        let report = try Self.threeClasses()
        let map = ConfusionHeatMap(report)
        let png = try report.confusionHeatMapPNG()
        let image = try ImageDecoder().decode(data: png, source: "confusion.png")
        #expect(image.width == map.width && image.height == map.height)
        #expect(map.labelled && map.shownLabels == ["a", "b", "c"])
        #expect(map.matrixX + 3 * map.cell < map.width && map.matrixY + 3 * map.cell < map.height)
        let expectedShares: [[Double]] = [[1, 0, 0], [1 / 3, 2 / 3, 0], [0, 1 / 4, 3 / 4]]
        for t in 0..<3 {
            for p in 0..<3 {
                #expect(abs(map.share(truth: t, predicted: p) - expectedShares[t][p]) < 1e-12)
                // The count is printed in the middle of the cell: its rim is the cell's shade.
                let (x, y) = map.cellOrigin(truth: t, predicted: p)
                let o = ((y + 1) * image.width + x + 1) * 3
                let pixel = RGBCanvas.Colour(image.pixels[o], image.pixels[o + 1], image.pixels[o + 2])
                #expect(pixel == ConfusionHeatMap.shade(expectedShares[t][p]), "cell \(t),\(p)")
            }
        }
        #expect(ConfusionHeatMap.shade(0) == .white && ConfusionHeatMap.shade(1) == RGBCanvas.Colour(8, 48, 107))
        // The equal pixels give equal bytes.
        #expect(try report.confusionHeatMapPNG() == png)
    }

    @Test func countsContrastWithTheirCell() throws {
        let map = ConfusionHeatMap(try Self.threeClasses())
        let canvas = map.render()
        func colours(truth t: Int, predicted p: Int) -> Set<String> {
            let (x, y) = map.cellOrigin(truth: t, predicted: p)
            var seen = Set<String>()
            for yy in y..<y + map.cell { for xx in x..<x + map.cell { seen.insert(canvas.colour(x: xx, y: yy).description) } }
            return seen
        }
        // A dark cell (share 1) carries white digits; a light one (share 1/4) dark digits.
        #expect(colours(truth: 0, predicted: 0) == [ConfusionHeatMap.shade(1).description, RGBCanvas.Colour.white.description])
        let light = colours(truth: 2, predicted: 1)
        #expect(light.count == 2 && light.contains(ConfusionHeatMap.shade(0.25).description) && !light.contains(RGBCanvas.Colour.white.description))
        // The digit drawn is the count: the "2" of cell (b, b) matches the font's glyph.
        let (x, y) = map.cellOrigin(truth: 1, predicted: 1)
        let s = map.textScale
        let glyphX = x + (map.cell - BitmapFont.width(of: "2", scale: s)) / 2
        let glyphY = y + (map.cell - BitmapFont.capitalHeight * s) / 2
        for row in 0..<BitmapFont.glyphHeight {
            for column in 0..<BitmapFont.glyphWidth {
                let drawn = canvas.colour(x: glyphX + column * s, y: glyphY + row * s) != ConfusionHeatMap.shade(2 / 3)
                #expect(drawn == BitmapFont.isInk("2", column: column, row: row), "pixel \(column),\(row) of the 2")
            }
        }
    }

    @Test func longAndForeignLabels() throws {
        let long = "an extremely long class name that goes on"
        let report = try ClassificationReport(trueLabels: [long, "robe d'été"], predictedLabels: [long, long])
        let map = ConfusionHeatMap(report)
        #expect(map.shownLabels == ["an extremely long c…", "robe d'été"])
        #expect(map.shownLabels.allSatisfy { $0.count <= ConfusionHeatMap.maximumLabelCharacters })
        let image = try ImageDecoder().decode(data: try report.confusionHeatMapPNG())
        #expect(image.width == map.width)
    }

    @Test func manyClassesDrawCellsOnly() throws {
        let labels = (0..<200).map { "class \($0)" }
        let report = try ClassificationReport(trueLabels: labels, predictedLabels: labels.map { $0 == "class 7" ? "class 8" : $0 })
        let map = ConfusionHeatMap(report)
        #expect(!map.labelled && map.shownLabels.isEmpty)
        #expect(map.cell * 200 <= 2400 && map.width < 3000 && map.height < 3000)
        let image = try ImageDecoder().decode(data: try report.confusionHeatMapPNG())
        #expect(image.width == map.width && image.height == map.height)
        // The one sample of "class 7" was predicted "class 8": that cell is the darkest blue.
        let t = try #require(report.labels.firstIndex(of: "class 7")), p = try #require(report.labels.firstIndex(of: "class 8"))
        let (x, y) = map.cellOrigin(truth: t, predicted: p)
        let o = ((y + map.cell / 2) * image.width + x + map.cell / 2) * 3
        #expect(Array(image.pixels[o..<o + 3]) == [8, 48, 107])
        #expect(Array(image.pixels[o - 3 * map.cell..<o - 3 * map.cell + 3]) == [255, 255, 255])
    }

    @Test func aMatrixWithoutSamplesStillDraws() throws {
        // Given labels that no sample has: every row is empty (share 0, white cells, counts 0).
        let report = try ClassificationReport(trueLabels: ["x"], predictedLabels: ["y"], labels: ["a", "b"])
        #expect(report.confusion == [[0, 0], [0, 0]])
        let map = ConfusionHeatMap(report)
        #expect(map.share(truth: 0, predicted: 0) == 0)
        let image = try ImageDecoder().decode(data: try report.confusionHeatMapPNG())
        #expect(image.width == map.width && image.height == map.height)
    }
}
