import CLIPImageProcessing
import EmbeddingCatalog
import FashionCLIPEvaluation
import Foundation
import Testing

@Suite struct EvaluatorTests {
    @Test func zeroShotOnClassFolders() async throws {
        let root = try EvaluationFixtures.temporaryFolder()
        try EvaluationFixtures.write(
            [
                ("dress/1.jpg", "a photo of a dress"), ("dress/2.jpg", "a photo of a dress"),
                ("shoes/1.png", "a photo of a shoes"), ("shoes/2.jpg", "a photo of a dress"),
                ("shoes/3.jpg", "BAD"), ("hat/1.jpg", "a photo of a shoes")
            ], in: root)
        let set = try LabelledSet.load(root)
        #expect(set.classes == ["dress", "hat", "shoes"])
        #expect(set.samples.count == 6)
        let result = try await Evaluator(embedder: EchoEmbedder(), batchSize: 4).zeroShot(set)
        #expect(result.failures.count == 1 && result.failures[0].id.hasSuffix("shoes/3.jpg"))
        let expected = try ClassificationReport(
            trueLabels: ["dress", "dress", "hat", "shoes", "shoes"],
            predictedLabels: ["dress", "dress", "shoes", "shoes", "dress"])
        #expect(result.report == expected)
        let written = try result.writeOutputs(to: root.appendingPathComponent("out"))
        #expect(written.map(\.lastPathComponent) == ["confusion.csv", "per_class.csv", "confusion.png"])
        #expect(try String(contentsOf: written[0], encoding: .utf8) == expected.confusionCSV())
        #expect(try String(contentsOf: written[1], encoding: .utf8) == expected.perClassCSV())
        let picture = try ImageDecoder().decode(fileAt: written[2])
        let map = ConfusionHeatMap(expected)
        #expect(picture.width == map.width && picture.height == map.height)
    }

    @Test func labelledCSV() throws {
        let root = try EvaluationFixtures.temporaryFolder()
        let url = root.appendingPathComponent("set.csv")
        try "image,label\na.jpg,dress\nb.jpg,\"t-shirt, short\"\n".write(to: url, atomically: true, encoding: .utf8)
        let set = try LabelledSet.load(url)
        #expect(set.classes == ["dress", "t-shirt, short"])
        #expect(set.samples[1].image.path == root.appendingPathComponent("b.jpg").standardizedFileURL.path)
        try "image,label\na.jpg,\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: EvaluationError.malformedSet(file: url.path, line: 2, reason: "empty 'image' or 'label'")) { try LabelledSet.load(url) }
    }

    @Test func retrievalOnPairs() async throws {
        let root = try EvaluationFixtures.temporaryFolder()
        var lines = ["id,image,text"]
        for i in 0..<12 {
            // Images 10 and 11 show the text of pair 0: a tie at the top for text 0.
            let content = i == 5 ? "BAD" : "caption \(i >= 10 ? 0 : i)"
            try Data(content.utf8).write(to: root.appendingPathComponent("\(i).jpg"))
            lines.append("p\(i),\(i).jpg,caption \(i)")
        }
        let url = root.appendingPathComponent("pairs.csv")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let result = try await Evaluator(embedder: EchoEmbedder(), batchSize: 5).retrieval(try Catalog.load(url))
        #expect(result.failures.map(\.id) == ["p5"])
        #expect(result.ids.count == 11)
        let t2i = result.report.textToImage
        // Text 0 ties with images 10 and 11 (pessimistic rank 3); so do texts 10 and 11 (rank ≥ 3).
        #expect(t2i.ranks[0] == 3)
        #expect(t2i.ranks[9] >= 3 && t2i.ranks[10] >= 3)
        #expect(Array(t2i.ranks[1...8]) == [Int](repeating: 1, count: 8))
        #expect(t2i.hits[1]! == 8.0 / 11.0)
        #expect(abs(t2i.meanReciprocalRank - t2i.ranks.reduce(0) { $0 + 1 / Double($1) } / 11) < 1e-12)
    }
}
