import EmbeddingCatalog
import Foundation
import Testing

@Suite struct SearchTests {
    /// A random snapshot: `n` rows of `d`-dim unit vectors, every 4th row without text, metadata with
    /// brand and price; ids `r00000` … so that row order is id order.
    static func snapshot(n: Int, d: Int, seed: UInt64 = 1) -> CatalogSnapshot {
        let embedder = DeterministicEmbedder(dimension: d)
        var images: [Float] = [], texts: [Float] = [], hasText: [Bool] = [], metadata: [Metadata] = []
        for r in 0..<n {
            images += VectorMath.normalized(embedder.vector(seed: seed &* 1000 &+ UInt64(r)))!
            let withText = r % 4 != 3
            texts +=
                withText
                ? VectorMath.normalized(embedder.vector(seed: seed &* 7777 &+ UInt64(r)))!
                : [Float](repeating: 0, count: d)
            hasText.append(withText)
            metadata.append(["brand": .string(["Armani", "Gucci", "Prada"][r % 3]), "price": .string(String(r % 200))])
        }
        return CatalogSnapshot(
            identity: StoreIdentity(model: "test-model", dimension: d),
            ids: (0..<n).map { String(format: "r%05d", $0) }, imageVectors: images,
            textVectors: texts, hasText: hasText, texts: hasText.map { $0 ? "t" : nil },
            metadata: metadata)
    }

    /// Brute force in Double: score every row, filter, sort by (score desc, id asc).
    static func reference(
        _ s: CatalogSnapshot, query: [Float], k: Int, filters: [MetadataFilter] = [],
        weight w: Double = 0, excluding: Set<String> = []
    ) -> [(String, Double)] {
        var scored: [(String, Double)] = []
        let d = s.identity.dimension
        for r in 0..<s.count where !excluding.contains(s.ids[r]) {
            guard filters.allSatisfy({ $0.matches(id: s.ids[r], metadata: s.metadata[r]) }) else { continue }
            let image = VectorMath.dot(s.imageVectors[r * d..<(r + 1) * d], query)
            let text = s.hasText[r] ? VectorMath.dot(s.textVectors[r * d..<(r + 1) * d], query) : image
            scored.append((s.ids[r], (1 - w) * image + w * text))
        }
        scored.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        return Array(scored.prefix(k))
    }

    static func expectSame(_ results: [SearchResult], _ reference: [(String, Double)], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(results.map(\.id) == reference.map(\.0), sourceLocation: sourceLocation)
        for (r, e) in zip(results, reference) {
            #expect(abs(Double(r.score) - e.1) < 1e-5, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(1, 7), (50, 49), (3000, 64), (6000, 77)])
    func exactSearchEqualsBruteForce(n: Int, d: Int) throws {
        let s = Self.snapshot(n: n, d: d)
        let searcher = CatalogSearcher(snapshot: s)
        let query = VectorMath.normalized(DeterministicEmbedder(dimension: d).vector(seed: 99))!
        for k in [1, 10, 100] {
            Self.expectSame(
                try searcher.search(vector: query, options: SearchOptions(topK: k)),
                Self.reference(s, query: query, k: k))
        }
    }

    /// A top-k far above the store's size returns every row, ranked, instead of reserving room for
    /// 10¹⁰ hits (the CLI's `--top-k 10000000000` aborted allocating 400 GB; issue 19, item 8); the
    /// compressed scan's candidate count is bounded the same way.
    @Test func hugeTopKIsBoundedByTheStore() throws {
        let s = Self.snapshot(n: 300, d: 16)
        let searcher = CatalogSearcher(snapshot: s, compressed: true)
        let query = VectorMath.normalized(DeterministicEmbedder(dimension: 16).vector(seed: 7))!
        let all = try searcher.search(vector: query, options: SearchOptions(topK: 10_000_000_000))
        Self.expectSame(all, Self.reference(s, query: query, k: 300))
        let compressed = try searcher.search(
            vector: query,
            options: SearchOptions(
                topK: Int.max / 2, mode: .compressed(candidates: Int.max)))
        #expect(compressed.count == 300 && Set(compressed.map(\.id)) == Set(all.map(\.id)))
    }

    @Test func filtersApplyBeforeRanking() throws {
        let s = Self.snapshot(n: 5000, d: 32)
        let searcher = CatalogSearcher(snapshot: s, compressed: true)
        let query = VectorMath.normalized(DeterministicEmbedder(dimension: 32).vector(seed: 5))!
        let cases: [[String]] = [
            ["brand=Armani"], ["price<100"], ["brand!=Gucci", "price>=150"], ["price<=3"],
            ["id>r04990"], ["colour=red"], ["brand = 'Prada'", "price > 198"]
        ]
        for expressions in cases {
            let filters = try expressions.map(MetadataFilter.init(parsing:))
            for mode in [ScanMode.exact, .compressed()] {
                let results = try searcher.search(vector: query, options: SearchOptions(filters: filters, topK: 10, mode: mode))
                Self.expectSame(results, Self.reference(s, query: query, k: 10, filters: filters))
            }
        }
    }

    @Test func numericComparisonOnlyWhenBothSidesAreNumbers() throws {
        let price = try MetadataFilter(parsing: "price<100")
        #expect(price.matches(id: "a", metadata: ["price": .string("99.5")]))
        #expect(!price.matches(id: "a", metadata: ["price": .string("100")]))
        #expect(price.matches(id: "a", metadata: ["price": .number(20)]))  // "20" < "100" would fail as text
        #expect(!price.matches(id: "a", metadata: [:]))
        #expect(!(try MetadataFilter(parsing: "brand!=x")).matches(id: "a", metadata: [:]))
        let text = try MetadataFilter(parsing: "size<M")
        #expect(text.matches(id: "a", metadata: ["size": .string("L")]))
        #expect(try MetadataFilter(parsing: "a==b") == MetadataFilter(key: "a", op: .equal, value: "b"))
        #expect(try MetadataFilter(parsing: " colour >= \"x y\" ") == MetadataFilter(key: "colour", op: .greaterOrEqual, value: "x y"))
        for bad in ["brand", "=x", "a!b", "a<b<c"] {
            #expect(throws: (any Error).self) { try MetadataFilter(parsing: bad) }
        }
    }

    @Test("a filter cut short is refused by name; an empty text is written quoted (issue 19, item 18)")
    func emptyValues() throws {
        for bad in ["price<", "price>=", "brand=", "brand != ", "price<\"\"", "price>=''"] {
            #expect {
                try MetadataFilter(parsing: bad)
            } throws: { error in
                guard case .invalidFilter(let expression, let reason) = error as? CatalogError else { return false }
                return expression == bad && reason.contains("empty value")
            }
        }
        let empty = try MetadataFilter(parsing: "brand=\"\"")
        #expect(empty == MetadataFilter(key: "brand", op: .equal, value: ""))
        #expect(empty.matches(id: "a", metadata: ["brand": .string("")]))
        #expect(!empty.matches(id: "a", metadata: ["brand": .string("x")]))
        #expect(try MetadataFilter(parsing: "brand!=''").matches(id: "a", metadata: ["brand": .string("x")]))
    }

    @Test func textBlendingAndLikeAndWeightedCombinations() async throws {
        let s = Self.snapshot(n: 4000, d: 32)
        let searcher = CatalogSearcher(snapshot: s, compressed: true)
        let embedder = DeterministicEmbedder(dimension: 32)
        let query = VectorMath.normalized(embedder.vector(seed: 8))!
        for mode in [ScanMode.exact, .compressed()] {
            let blended = try searcher.search(vector: query, options: SearchOptions(topK: 10, productTextWeight: 0.3, mode: mode))
            Self.expectSame(blended, Self.reference(s, query: query, k: 10, weight: Double(Float(0.3))))
        }
        // --like r00042 excludes the item itself and ranks by its image vector.
        let like = try await searcher.search([WeightedTerm(.like(id: "r00042"))], options: SearchOptions(topK: 5))
        Self.expectSame(like, Self.reference(s, query: s.imageVector(row: 42), k: 5, excluding: ["r00042"]))
        // Weighted text + like: normalise(0.7·t̂ + 0.3·l̂); text terms go through the embedder.
        let t = VectorMath.normalized(embedder.vector(seed: ContentHash.of(text: "red dress") ^ 0x5151))!
        let l = s.imageVector(row: 7)
        let combined = VectorMath.normalized(zip(t, l).map { 0.7 * $0 + 0.3 * $1 })!
        let results = try await searcher.search(
            [WeightedTerm(.text("red dress"), weight: 0.7), WeightedTerm(.like(id: "r00007"), weight: 0.3)],
            options: SearchOptions(topK: 10), embedder: embedder)
        Self.expectSame(results, Self.reference(s, query: combined, k: 10, excluding: ["r00007"]))
        await #expect(throws: CatalogError.invalidQuery("a text query needs a model")) {
            try await searcher.search([WeightedTerm(.text("x"))])
        }
        await #expect(throws: CatalogError.unknownID("nope")) { try await searcher.search([WeightedTerm(.like(id: "nope"))]) }
        #expect(throws: CatalogError.invalidQuery("compressed scan asked of a searcher built without compressed: true")) {
            try CatalogSearcher(snapshot: s).search(vector: query, options: SearchOptions(mode: .compressed()))
        }
    }

    @Test func compressedScanRecallAgainstExact() throws {
        let s = Self.snapshot(n: 8000, d: 64, seed: 3)
        let searcher = CatalogSearcher(snapshot: s, compressed: true)
        var hits = 0, total = 0
        for q in 0..<20 {
            let query = VectorMath.normalized(DeterministicEmbedder(dimension: 64).vector(seed: 500 + UInt64(q)))!
            let exact = try searcher.search(vector: query, options: SearchOptions(topK: 10))
            let fast = try searcher.search(vector: query, options: SearchOptions(topK: 10, mode: .compressed()))
            hits += Set(exact.map(\.id)).intersection(fast.map(\.id)).count
            total += 10
            // Re-ranked scores are the exact ones.
            for r in fast { if let e = exact.first(where: { $0.id == r.id }) { #expect(e.score == r.score) } }
        }
        #expect(Double(hits) / Double(total) >= 0.99)
    }

    @Test func jsonOutputShape() throws {
        let response = SearchResponse(results: [SearchResult(id: "a", score: 0.5, metadata: ["brand": .string("Armani"), "price": .number(99)])])
        let json = String(decoding: try response.jsonData(), as: UTF8.self)
        #expect(json == #"{"results":[{"id":"a","metadata":{"brand":"Armani","price":99},"score":0.5}]}"#)
    }

    @Test func endToEndFromStore() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 300)
        let embedder = DeterministicEmbedder()
        let store = try SQLiteVectorStore(url: folder.appendingPathComponent("s.sqlite"), identity: embedder.storeIdentity)
        _ = try await CatalogIndexer(store: store, embedder: embedder).run(try Catalog.load(url))
        let searcher = CatalogSearcher(snapshot: try store.loadSnapshot())
        let results = try await searcher.search(
            [WeightedTerm(.image(folder.appendingPathComponent("images/item0123.jpg")))],
            options: SearchOptions(filters: [try MetadataFilter(parsing: "brand=Zara, Inc.")], topK: 3),
            embedder: embedder)
        #expect(results.first?.id == "p0123")
        #expect(abs((results.first?.score ?? 0) - 1) < 1e-5)
        #expect(results.allSatisfy { $0.metadata["brand"] == .string("Zara, Inc.") })
    }
}
