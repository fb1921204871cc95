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

    /// The confusion matrix as a labelled PNG heat map (see `ConfusionHeatMap`): a title with the
    /// sample count and accuracy, true labels down the left, predicted labels along the top, each cell
    /// shaded white → dark blue by its share of the true label's samples, with its count printed on it.
    /// - Throws: `ImageProcessingError` when libpng fails.
    public func confusionHeatMapPNG() throws -> Data {
        try ConfusionHeatMap(self).png()
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
