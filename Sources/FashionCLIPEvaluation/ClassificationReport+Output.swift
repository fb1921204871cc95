import CLIPImageProcessing
import Foundation

extension ClassificationReport {
    /// The confusion matrix as CSV: a header `true\predicted,<labels>…`, then one row per true label.
    public func confusionCSV() -> String {
        var lines = [(["true\\predicted"] + labels).map(Self.csvField).joined(separator: ",")]
        for (t, label) in labels.enumerated() {
            lines.append(([Self.csvField(label)] + confusion[t].map(String.init)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The per-class table as CSV: `label,precision,recall,f1,support`, then `macro avg` and `weighted avg`.
    public func perClassCSV() -> String {
        func f(_ x: Double) -> String { String(format: "%.6f", x) }
        var lines = ["label,precision,recall,f1,support"]
        for (i, label) in labels.enumerated() {
            lines.append("\(Self.csvField(label)),\(f(precision[i])),\(f(recall[i])),\(f(f1[i])),\(support[i])")
        }
        let total = support.reduce(0, +)
        lines.append("macro avg,\(f(macroPrecision)),\(f(macroRecall)),\(f(macroF1)),\(total)")
        lines.append("weighted avg,\(f(weightedPrecision)),\(f(weightedRecall)),\(f(weightedF1)),\(total)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A fixed-width text table like scikit-learn's `classification_report`, for the terminal.
    public func table() -> String {
        let width = max(12, labels.map(\.count).max() ?? 0)
        func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        func f(_ x: Double) -> String { String(format: "%9.4f", x) }
        var lines = [pad("") + " precision    recall        f1   support"]
        for (i, label) in labels.enumerated() {
            lines.append(pad(label) + " \(f(precision[i])) \(f(recall[i])) \(f(f1[i])) \(String(format: "%9d", support[i]))")
        }
        let total = String(format: "%9d", support.reduce(0, +))
        lines.append("")
        lines.append(pad("accuracy") + String(repeating: " ", count: 20) + " \(f(accuracy)) \(total)")
        lines.append(pad("macro avg") + " \(f(macroPrecision)) \(f(macroRecall)) \(f(macroF1)) \(total)")
        lines.append(pad("weighted avg") + " \(f(weightedPrecision)) \(f(weightedRecall)) \(f(weightedF1)) \(total)")
        return lines.joined(separator: "\n")
    }

    /// A heat map of the confusion matrix normalised per true label (white → dark blue), one square
    /// of `cell` pixels per entry, rows = true labels in `labels` order. No text is drawn; the labels
    /// are those of `confusionCSV()`.
    /// - Throws: `ImageProcessingError` when libpng fails.
    public func confusionHeatMapPNG(cell: Int = 16) throws -> Data {
        let c = labels.count
        let side = c * cell
        var rgb = [UInt8](repeating: 255, count: side * side * 3)
        for t in 0..<c {
            let rowTotal = confusion[t].reduce(0, +)
            for p in 0..<c {
                let v = rowTotal == 0 ? 0 : Double(confusion[t][p]) / Double(rowTotal)
                // Linear blend from white (255,255,255) to dark blue (8,48,107), matplotlib "Blues" ends.
                let colour = [255 - v * 247, 255 - v * 207, 255 - v * 148].map { UInt8($0.rounded()) }
                for y in t * cell ..< (t + 1) * cell {
                    for x in p * cell ..< (p + 1) * cell {
                        let o = (y * side + x) * 3
                        rgb[o] = colour[0]; rgb[o + 1] = colour[1]; rgb[o + 2] = colour[2]
                    }
                }
            }
        }
        return try PNGImageEncoder.encodeRGB(width: side, height: side, pixels: rgb)
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
