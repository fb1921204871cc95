import FashionCLIPEvaluation
import Foundation
import Testing

/// Compares the metric code with scikit-learn's outputs in Fixtures/metrics (written by
/// Scripts/reference/make_metric_goldens.py).
@Suite struct MetricGoldenTests {
    static let fixtureVersion = 1

    static func fixture(_ name: String) throws -> [String: Any] {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let url = root.appendingPathComponent("Fixtures/metrics/\(name)")
        guard let data = try? Data(contentsOf: url),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw EvaluationError.invalidInput("missing fixture \(url.path); run make goldens")
        }
        let version = (json["metadata"] as? [String: Any])?["fixture_version"] as? Int
        guard version == fixtureVersion else {
            throw EvaluationError.invalidInput("fixture \(url.path) has version \(version ?? -1), expected \(fixtureVersion); run make goldens")
        }
        return json
    }

    static func doubles(_ any: Any?) -> [Double] { (any as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .nan } }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 }

    @Test func classificationMatchesScikitLearn() throws {
        let cases = try Self.fixture("classification.json")["cases"] as! [[String: Any]]
        #expect(cases.count >= 8)
        for c in cases {
            let name = c["name"] as! String
            let report = try ClassificationReport(
                trueLabels: c["y_true"] as! [String], predictedLabels: c["y_pred"] as! [String],
                labels: c["labels"] as? [String])
            #expect(report.labels == c["resolved_labels"] as! [String], "\(name)")
            #expect(Self.close(report.accuracy, (c["accuracy"] as! NSNumber).doubleValue), "\(name) accuracy")
            for (key, value) in [("precision", report.precision), ("recall", report.recall), ("f1", report.f1)] {
                let expected = Self.doubles(c[key])
                #expect(expected.count == value.count && zip(expected, value).allSatisfy { Self.close($0, $1) }, "\(name) \(key): \(value) vs \(expected)")
            }
            #expect(report.support == (c["support"] as! [Int]), "\(name) support")
            for (key, value) in [
                ("macro_f1", report.macroF1), ("weighted_f1", report.weightedF1),
                ("macro_precision", report.macroPrecision), ("macro_recall", report.macroRecall),
                ("weighted_precision", report.weightedPrecision), ("weighted_recall", report.weightedRecall)
            ] {
                let expected = (c[key] as! NSNumber).doubleValue
                #expect(Self.close(value, expected), "\(name) \(key): \(value) vs \(expected)")
            }
            #expect(report.confusion == (c["confusion"] as! [[Int]]), "\(name) confusion")
        }
    }

    @Test func retrievalMatchesScikitLearn() throws {
        let cases = try Self.fixture("retrieval.json")["cases"] as! [[String: Any]]
        for c in cases {
            let name = c["name"] as! String
            let similarity = (c["similarity"] as! [[Any]]).map { Self.doubles($0).map(Float.init) }
            let report = try RetrievalReport(similarity: similarity)
            for (key, direction) in [("text_to_image", report.textToImage), ("image_to_text", report.imageToText)] {
                let expected = c[key] as! [String: Any]
                #expect(direction.ranks == (expected["ranks"] as! [Int]), "\(name) \(key) ranks")
                let hits = expected["hits"] as! [String: Any]
                for k in [1, 5, 10] {
                    #expect(Self.close(direction.hits[k]!, (hits[String(k)] as! NSNumber).doubleValue), "\(name) \(key) HITS@\(k)")
                }
                #expect(Self.close(direction.meanReciprocalRank, (expected["mrr"] as! NSNumber).doubleValue), "\(name) \(key) MRR")
            }
        }
    }

    @Test func reportOutputs() throws {
        let report = try ClassificationReport(trueLabels: ["a", "b", "b", "c,d"], predictedLabels: ["a", "b", "a", "c,d"])
        #expect(report.confusionCSV() == "true\\predicted,a,b,\"c,d\"\na,1,0,0\nb,1,1,0\n\"c,d\",0,0,1\n")
        #expect(report.perClassCSV().hasPrefix("label,precision,recall,f1,support\na,0.500000,1.000000,0.666667,1\n"))
        #expect(report.table().contains("weighted avg"))
        #expect(throws: (any Error).self) { try ClassificationReport(trueLabels: ["a"], predictedLabels: []) }
    }
}
