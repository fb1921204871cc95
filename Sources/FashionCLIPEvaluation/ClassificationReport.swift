import Foundation

/// Classification metrics defined exactly as scikit-learn's (`accuracy_score`, `confusion_matrix`,
/// `precision_recall_fscore_support`, `f1_score(average="macro" | "weighted")`).
///
/// - Labels: the sorted union of true and predicted labels (`unique_labels`), or the given list;
///   with a given list, samples whose true or predicted label is not in it are left out of the
///   per-class counts and the confusion matrix (accuracy always counts every sample).
/// - Per class: precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2·tp / (2·tp + fp + fn);
///   a zero denominator gives 0 (scikit-learn's default `zero_division="warn"` returns 0 too).
/// - Macro = unweighted mean over labels; weighted = mean weighted by support (true count), 0 when
///   the total support is 0.
public struct ClassificationReport: Sendable, Equatable {
    /// `[classes]`
    public let labels: [String]
    /// `[classes, classes]`: `confusion[t][p]` samples of true label `labels[t]` predicted `labels[p]`.
    public let confusion: [[Int]]
    /// Fraction of samples whose prediction equals the truth.
    public let accuracy: Double
    /// `[classes]` each.
    public let precision: [Double]
    public let recall: [Double]
    public let f1: [Double]
    public let support: [Int]
    public let macroPrecision: Double
    public let macroRecall: Double
    public let macroF1: Double
    public let weightedPrecision: Double
    public let weightedRecall: Double
    /// The FashionCLIP model card's metric.
    public let weightedF1: Double

    /// - Throws: `EvaluationError.invalidInput` when the arrays differ in length or are empty, or the
    ///   given label list is empty or has duplicates.
    public init(trueLabels: [String], predictedLabels: [String], labels given: [String]? = nil) throws {
        guard trueLabels.count == predictedLabels.count else {
            throw EvaluationError.invalidInput("\(trueLabels.count) true labels but \(predictedLabels.count) predictions")
        }
        guard !trueLabels.isEmpty else { throw EvaluationError.invalidInput("no samples") }
        let labels = given ?? Array(Set(trueLabels).union(predictedLabels)).sorted()
        guard Set(labels).count == labels.count, !labels.isEmpty else {
            throw EvaluationError.invalidInput("label list is empty or has duplicates: \(labels)")
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let c = labels.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: c), count: c)
        var correct = 0
        for (t, p) in zip(trueLabels, predictedLabels) {
            if t == p { correct += 1 }
            if let ti = index[t], let pi = index[p] { confusion[ti][pi] += 1 }
        }
        // scikit-learn counts tp/fp/fn per label over samples whose label is in the list.
        var tp = [Int](repeating: 0, count: c), predicted = tp, actual = tp
        for (t, p) in zip(trueLabels, predictedLabels) {
            let ti = index[t], pi = index[p]
            if let ti { actual[ti] += 1 }
            if let pi { predicted[pi] += 1 }
            if let ti, ti == pi { tp[ti] += 1 }
        }
        func divide(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        let precision = (0..<c).map { divide(tp[$0], predicted[$0]) }
        let recall = (0..<c).map { divide(tp[$0], actual[$0]) }
        let f1 = (0..<c).map { divide(2 * tp[$0], actual[$0] + predicted[$0]) }
        let totalSupport = actual.reduce(0, +)
        func macro(_ v: [Double]) -> Double { v.reduce(0, +) / Double(c) }
        func weighted(_ v: [Double]) -> Double {
            totalSupport == 0 ? 0 : zip(v, actual).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(totalSupport)
        }
        self.labels = labels
        self.confusion = confusion
        accuracy = Double(correct) / Double(trueLabels.count)
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        support = actual
        macroPrecision = macro(precision)
        macroRecall = macro(recall)
        macroF1 = macro(f1)
        weightedPrecision = weighted(precision)
        weightedRecall = weighted(recall)
        weightedF1 = weighted(f1)
    }
}
