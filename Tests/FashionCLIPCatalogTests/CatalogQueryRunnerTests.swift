import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation
import Synchronization
import Testing

/// `CatalogQueryRunner` gives what combining each term by hand through `CatalogSearcher` gives, in one
/// model call for all texts and images.
@Suite struct CatalogQueryRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog = root.appendingPathComponent("Demo/catalog")

    /// The fixture model and the demo catalog indexed with it (once per process).
    private static let indexed = Task<(ModelCatalogEmbedder, CatalogSearcher), any Error> {
        let model = try FashionCLIPModel(folder: root.appendingPathComponent("Fixtures/models/fashionclip-f32"))
        let embedder = ModelCatalogEmbedder(model: model)
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("query-runner-\(UUID().uuidString).sqlite")
        let vectors = try SQLiteVectorStore(url: store, identity: embedder.storeIdentity)
        _ = try await CatalogIndexer(store: vectors, embedder: embedder).run(try Catalog.load(catalog.appendingPathComponent("catalog.csv")))
        return (embedder, CatalogSearcher(snapshot: try vectors.loadSnapshot(), compressed: true))
    }

    /// Counts the model calls it runs.
    final class CountingCalls: ModelCallRunner {
        let count = Atomic<Int>(0)
        func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
            count.add(1, ordering: .relaxed)
            return try body()
        }
    }

    @Test(
        "a mixed query ranks as its terms combined by hand; texts and images embedded in one call",
        arguments: [false, true])
    func mixedQueryMatchesTheTermByTermPath(compressed: Bool) async throws {
        let (embedder, searcher) = try await Self.indexed.value
        let image = Self.catalog.appendingPathComponent("images/dress-navy.jpg")
        let query = CatalogQuery(
            texts: ["red sneakers", "leather bag"], images: [.file(image)], likes: ["p003"],
            textWeight: 0.7, imageWeight: 1.3, likeWeight: -0.4, filters: ["price<400"], topK: 6,
            productTextWeight: 0.25, compressed: compressed)
        let calls = CountingCalls()
        let answer = try await CatalogQueryRunner(searcher: searcher, embedder: embedder, limits: QueryLimits()).answer(query, calls: calls)
        #expect(calls.count.load(ordering: .relaxed) == 2, "one embedding call, one scan")
        let terms = [
            WeightedTerm(.text("red sneakers"), weight: 0.7), WeightedTerm(.text("leather bag"), weight: 0.7),
            WeightedTerm(.image(image), weight: 1.3), WeightedTerm(.like(id: "p003"), weight: -0.4)
        ]
        let expected = try await searcher.search(
            terms,
            options: SearchOptions(
                filters: [try MetadataFilter(parsing: "price<400")], topK: 6, productTextWeight: 0.25,
                mode: compressed ? .compressed(candidates: nil) : .exact),
            embedder: embedder)
        #expect(answer.results.map(\.id) == expected.map(\.id))
        #expect(zip(answer.results, expected).allSatisfy { abs($0.score - $1.score) <= 1e-6 })
        #expect(!answer.results.contains { $0.id == "p003" } && answer.results.count == 6)
    }

    @Test func textWithoutAModelAndUnknownIDsAreNamed() async throws {
        let (_, searcher) = try await Self.indexed.value
        let runner = CatalogQueryRunner(searcher: searcher, embedder: nil, limits: .commandLine)
        await #expect(throws: QueryLimitError.needsModel("a text query")) { try await runner.answer(CatalogQuery(texts: ["dress"])) }
        await #expect(throws: QueryLimitError.needsModel("an image query")) {
            try await runner.answer(CatalogQuery(images: [.file(Self.catalog.appendingPathComponent("images/dress-navy.jpg"))]))
        }
        await #expect(throws: CatalogError.unknownID("p999")) { try await runner.answer(CatalogQuery(likes: ["p999"])) }
        // A like-only query needs no model.
        #expect(try await runner.answer(CatalogQuery(likes: ["p001"], topK: 3)).results.count == 3)
    }
}
