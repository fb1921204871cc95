import EmbeddingCatalog
import Foundation
import Testing

/// Index → search on a generated catalog of a few hundred items, through the public API the CLI wraps
/// (evaluation over the same kind of catalog is in FashionCLIPEvaluationTests).
@Suite struct EndToEndTests {
    @Test func indexSearch() async throws {
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
        let text = try await searcher.search(
            [WeightedTerm(.text("image bytes 7 "))],
            options: SearchOptions(filters: [try MetadataFilter(parsing: "price<100")], topK: 3),
            embedder: embedder)
        #expect(text.first?.id == "p0007")
        let json = try JSONSerialization.jsonObject(with: SearchResponse(results: text).jsonData()) as! [String: Any]
        #expect((json["results"] as! [[String: Any]]).count == 3)
    }
}
