import Foundation
import Testing
import EmbeddingCatalog

/// Index → search → evaluate on a generated catalog of a few hundred items, through the public API
/// the CLI wraps.
@Suite struct EndToEndTests {
    @Test func indexSearchEvaluate() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let catalogURL = try TestCatalogs.writeCSV(in: folder, count: 300, bad: [10])
        let embedder = EchoEmbedder()
        let storeURL = folder.appendingPathComponent("store.sqlite")

        // index
        let store = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
        let summary = try await CatalogIndexer(store: store, embedder: embedder, batchSize: 16)
            .run(try Catalog.load(catalogURL), prune: true)
        #expect(summary.added == 299 && summary.failures.map(\.id) == ["p0010"])

        // search: a reopened store, no model needed for --like; a text query with a filter.
        let searcher = CatalogSearcher(snapshot: try SQLiteVectorStore(url: storeURL, identity: nil).loadSnapshot(), compressed: true)
        let like = try await searcher.search([WeightedTerm(.like(id: "p0042"))], options: SearchOptions(topK: 5))
        #expect(like.count == 5 && !like.contains { $0.id == "p0042" })
        // EchoEmbedder: image "image bytes 7 " embeds like the text "image bytes 7 ".
        let text = try await searcher.search([WeightedTerm(.text("image bytes 7 "))],
                                             options: SearchOptions(filters: [try MetadataFilter(parsing: "price<100")], topK: 3),
                                             embedder: embedder)
        #expect(text.first?.id == "p0007")
        let json = try JSONSerialization.jsonObject(with: SearchResponse(results: text).jsonData()) as! [String: Any]
        #expect((json["results"] as! [[String: Any]]).count == 3)

        // evaluate: retrieval over the rows with text, zero-shot over a labelled CSV.
        let retrieval = try await Evaluator(embedder: embedder).retrieval(try Catalog.load(catalogURL))
        #expect(retrieval.ids.count == 199 && retrieval.failures.map(\.id) == ["p0010"])
        #expect(retrieval.report.textToImage.hits[10]! >= 0 && retrieval.report.textToImage.meanReciprocalRank > 0)
        var lines = ["image,label"]
        for i in 0..<40 {
            let label = ["dress", "shoes"][i % 2]
            try Data("a photo of a \(i % 5 == 0 ? "hat" : label)".utf8).write(to: folder.appendingPathComponent("z\(i).jpg"))
            lines.append("z\(i).jpg,\(label)")
        }
        let setURL = folder.appendingPathComponent("labelled.csv")
        try lines.joined(separator: "\n").write(to: setURL, atomically: true, encoding: .utf8)
        let zeroShot = try await Evaluator(embedder: embedder).zeroShot(try LabelledSet.load(setURL))
        // Classes come from the labels (dress, shoes): "hat" images go to whichever prompt is closer.
        #expect(zeroShot.report.accuracy >= 0.8)
        #expect(zeroShot.report.support == [20, 20])
    }
}
