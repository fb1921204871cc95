import Foundation
import Testing
import EmbeddingCatalog

/// An embedder whose image vector is the text vector of the text written inside the "image" file,
/// so evaluation outcomes are known in advance.
struct EchoEmbedder: CatalogEmbedder {
    let base = DeterministicEmbedder(dimension: 24)
    var modelIdentifier: String { "echo" }
    var dimension: Int { 24 }

    func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>] {
        var out: [Result<[Float], Error>] = []
        for url in urls {
            let text = String(decoding: (try? Data(contentsOf: url)) ?? Data("BAD".utf8), as: UTF8.self)
            if text.hasPrefix("BAD") { out.append(.failure(DeterministicEmbedder.DecodeError())); continue }
            out.append(.success(try await base.embedTexts([text])[0]))
        }
        return out
    }

    func embedTexts(_ texts: [String]) async throws -> [[Float]] { try await base.embedTexts(texts) }
}

@Suite struct EvaluatorTests {
    @Test func zeroShotOnClassFolders() async throws {
        let root = try TestCatalogs.temporaryFolder()
        let files: [(String, String, String)] = [("dress", "1.jpg", "a photo of a dress"), ("dress", "2.jpg", "a photo of a dress"),
                                                 ("shoes", "1.png", "a photo of a shoes"), ("shoes", "2.jpg", "a photo of a dress"),
                                                 ("shoes", "3.jpg", "BAD"), ("hat", "1.jpg", "a photo of a shoes")]
        for (label, name, content) in files {
            let folder = root.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(content.utf8).write(to: folder.appendingPathComponent(name))
        }
        let set = try LabelledSet.load(root)
        #expect(set.classes == ["dress", "hat", "shoes"])
        #expect(set.samples.count == 6)
        let result = try await Evaluator(embedder: EchoEmbedder(), batchSize: 4).zeroShot(set)
        #expect(result.failures.count == 1 && result.failures[0].id.hasSuffix("shoes/3.jpg"))
        let expected = try ClassificationReport(trueLabels: ["dress", "dress", "hat", "shoes", "shoes"],
                                                predictedLabels: ["dress", "dress", "shoes", "shoes", "dress"])
        #expect(result.report == expected)
        let written = try result.writeOutputs(to: root.appendingPathComponent("out"))
        #expect(written.map(\.lastPathComponent) == ["confusion.csv", "per_class.csv", "confusion.png"])
    }

    @Test func labelledCSV() throws {
        let root = try TestCatalogs.temporaryFolder()
        let url = root.appendingPathComponent("set.csv")
        try "image,label\na.jpg,dress\nb.jpg,\"t-shirt, short\"\n".write(to: url, atomically: true, encoding: .utf8)
        let set = try LabelledSet.load(url)
        #expect(set.classes == ["dress", "t-shirt, short"])
        #expect(set.samples[1].image.path == root.appendingPathComponent("b.jpg").standardizedFileURL.path)
        try "image,label\na.jpg,\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CatalogError.malformedCatalog(file: url.path, line: 2, reason: "empty 'image' or 'label'")) { try LabelledSet.load(url) }
    }

    @Test func retrievalOnPairs() async throws {
        let root = try TestCatalogs.temporaryFolder()
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

@Suite struct FormattingTests {
    @Test func progressLine() {
        let p = IndexProgress(completed: 50, total: 200, failed: 2, elapsed: 10)
        #expect(p.formatted(barWidth: 8) == "[##------] 50/200 indexed  5.0 rows/s  ETA 30s  2 failed")
        #expect(IndexProgress.duration(187) == "3m07s" && IndexProgress.duration(7500) == "2h05m")
    }

    @Test func resultTable() {
        let response = SearchResponse(results: [SearchResult(id: "a", score: 0.5, metadata: ["price": .number(9), "brand": .string("X")])])
        #expect(response.table() == "  1  0.5000  a  brand=X  price=9")
    }
}
