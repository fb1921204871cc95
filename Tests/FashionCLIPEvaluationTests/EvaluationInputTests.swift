import EmbeddingCatalog
import FashionCLIPEvaluation
import Foundation
import Testing

/// Evaluation from the files a user hands the CLI: a labelled CSV, a catalog with rows lacking text,
/// and inputs that cannot be evaluated.
@Suite struct EvaluationInputTests {
    /// Zero-shot over a labelled CSV whose classes are its labels: images of a third kind ("hat") go to
    /// whichever class prompt is closer; retrieval over a catalog skips the rows without text.
    @Test func labelledCSVAndCatalogRetrieval() async throws {
        let folder = try EvaluationFixtures.temporaryFolder()
        var lines = ["image,label"]
        for i in 0..<40 {
            let label = ["dress", "shoes"][i % 2]
            try EvaluationFixtures.write([("z\(i).jpg", "a photo of a \(i % 5 == 0 ? "hat" : label)")], in: folder)
            lines.append("z\(i).jpg,\(label)")
        }
        let setURL = folder.appendingPathComponent("labelled.csv")
        try lines.joined(separator: "\n").write(to: setURL, atomically: true, encoding: .utf8)
        let zeroShot = try await Evaluator(embedder: EchoEmbedder()).zeroShot(try LabelledSet.load(setURL))
        #expect(zeroShot.report.accuracy >= 0.8)
        #expect(zeroShot.report.support == [20, 20])

        var rows = ["id,image,text"]
        for i in 0..<9 {
            try EvaluationFixtures.write([("p\(i).jpg", i == 4 ? "BAD" : "caption \(i)")], in: folder)
            rows.append("p\(i),p\(i).jpg,\(i % 3 == 2 ? "" : "caption \(i)")")
        }
        let catalogURL = folder.appendingPathComponent("catalog.csv")
        try rows.joined(separator: "\n").write(to: catalogURL, atomically: true, encoding: .utf8)
        let retrieval = try await Evaluator(embedder: EchoEmbedder(), batchSize: 2).retrieval(try Catalog.load(catalogURL))
        #expect(retrieval.ids == ["p0", "p1", "p3", "p6", "p7"])
        #expect(retrieval.failures.map(\.id) == ["p4"])
        #expect(retrieval.report.textToImage.hits[1] == 1 && retrieval.report.imageToText.meanReciprocalRank == 1)
    }

    @Test func inputErrorsAreTyped() throws {
        let folder = try EvaluationFixtures.temporaryFolder()
        let missing = folder.appendingPathComponent("nothing-here")
        #expect(throws: EvaluationError.missingSet(path: missing.path)) { try LabelledSet.load(missing) }
        let csv = folder.appendingPathComponent("set.csv")
        try "image,class\na.jpg,dress\n".write(to: csv, atomically: true, encoding: .utf8)
        #expect(throws: EvaluationError.missingColumn(file: csv.path, column: "label", found: ["image", "class"])) { try LabelledSet.load(csv) }
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty.appendingPathComponent("dress"), withIntermediateDirectories: true)
        #expect(throws: EvaluationError.invalidInput("\(empty.path) holds no labelled images")) { try LabelledSet.load(empty) }
        #expect(throws: EvaluationError.invalidInput("label list is empty or has duplicates: [\"a\", \"a\"]")) {
            try ClassificationReport(trueLabels: ["a"], predictedLabels: ["a"], labels: ["a", "a"])
        }
    }
}
