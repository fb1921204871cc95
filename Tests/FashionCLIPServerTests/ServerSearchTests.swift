import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import FashionCLIPServer
import Foundation
import Testing

/// Search over HTTP gives what `CatalogSearcher` gives for the same query; products and their images.
@Suite(.serialized) struct ServerSearchTests {
    static let image = ServerFixture.root.appendingPathComponent("Demo/catalog/images/sneakers-red.jpg")

    /// The ids and scores of a `results` array.
    static func hits(_ object: [String: Any]) -> [(id: String, score: Float)] {
        ((object["results"] as? [[String: Any]]) ?? []).map { ($0["id"] as? String ?? "", ($0["score"] as? NSNumber)?.floatValue ?? .nan) }
    }

    static func same(_ hits: [(id: String, score: Float)], _ expected: [SearchResult]) -> Bool {
        hits.map(\.id) == expected.map(\.id) && zip(hits, expected).allSatisfy { abs($0.score - $1.score) <= 1e-6 }
    }

    @Test("text, like and photo queries rank as the library does, filters applied")
    func queries() async throws {
        let model = try await ServerFixture.loaded().model
        let searcher = try await ServerFixture.searcher()
        let embedder = ModelCatalogEmbedder(model: model)
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            let text = try await server.json("GET", "/api/search?text=red%20sneakers&filter=price%3C300&topK=5")
            #expect(text.status == 200, "\(errorMessage(text.object))")
            let expectedText = try await searcher.search(
                [WeightedTerm(.text("red sneakers"))],
                options: SearchOptions(filters: [try MetadataFilter(parsing: "price<300")], topK: 5), embedder: embedder)
            #expect(Self.same(Self.hits(text.object), expectedText))
            let first = try #require((text.object["results"] as? [[String: Any]])?.first)
            #expect(first["image"] as? String == "/api/product/image?id=\(expectedText[0].id)")
            #expect((first["text"] as? String)?.isEmpty == false)

            let like = try await server.json("GET", "/api/search?like=p001&topK=3")
            let expectedLike = try await searcher.search([WeightedTerm(.like(id: "p001"))], options: SearchOptions(topK: 3))
            #expect(Self.same(Self.hits(like.object), expectedLike) && !Self.hits(like.object).contains { $0.id == "p001" })

            let photo = try await server.json(
                "POST", "/api/search/image?topK=4", body: try Data(contentsOf: Self.image),
                contentType: "image/jpeg")
            let expectedPhoto = try await searcher.search(
                [WeightedTerm(.image(Self.image))], options: SearchOptions(topK: 4),
                embedder: embedder)
            #expect(Self.same(Self.hits(photo.object), expectedPhoto))

            let blended = try await server.json(
                "POST", "/api/search",
                object: [
                    "text": "striped t-shirt", "like": ["p002"], "likeWeight": 0.5, "productTextWeight": 0.3, "topK": 6,
                    "filter": ["brand!=Nike"]
                ])
            let expectedBlend = try await searcher.search(
                [WeightedTerm(.like(id: "p002"), weight: 0.5), WeightedTerm(.text("striped t-shirt"))],
                options: SearchOptions(filters: [try MetadataFilter(parsing: "brand!=Nike")], topK: 6, productTextWeight: 0.3),
                embedder: embedder)
            #expect(Self.same(Self.hits(blended.object), expectedBlend), "\(blended.object)")
            let echo = try #require(blended.object["query"] as? [String: Any])
            #expect(echo["filter"] as? [String] == ["brand!=Nike"] && blended.object["products"] as? Int == 30)
        }
    }

    @Test("bad queries are 400, unknown products 404, each naming what was wrong")
    func badQueries() async throws {
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            let cases: [(String, Int, String)] = [
                ("/api/search", 400, "give a query"),
                ("/api/search?text=dress&topK=0", 400, "topK"),
                ("/api/search?text=dress&topK=many", 400, "topK must be a number"),
                ("/api/search?text=dress&filter=price~3", 400, "filter 'price~3'"),
                ("/api/search?like=p999", 404, "p999"),
                ("/api/search?text=dress&compressed=true", 400, "compressed"),
                ("/api/search?text=dress&compressed=yes", 400, "compressed must be true or false"),
                ("/api/product?id=p999", 404, "p999"),
                ("/api/product", 400, "?id=")
            ]
            for (path, status, message) in cases {
                let answer = try await server.json("GET", path)
                #expect(answer.status == status && errorMessage(answer.object).contains(message), "\(path): \(answer)")
            }
        }
    }

    @Test("products: text, metadata and the catalog's image file")
    func products() async throws {
        try await LiveServer.with(try await ServerFixture.resources(compressed: true)) { server in
            let product = try await server.json("GET", "/api/product?id=p010")
            #expect(product.status == 200 && product.object["id"] as? String == "p010")
            #expect((product.object["metadata"] as? [String: Any])?["category"] as? String == "dress")
            let image = try await server.send("GET", try #require(product.object["image"] as? String))
            #expect(image.status == 200 && image.headers["content-type"] == "image/jpeg")
            #expect(image.body == (try Data(contentsOf: ServerFixture.root.appendingPathComponent("Demo/catalog/images/dress-navy.jpg"))))
            let png = try await server.send("GET", "/api/product/image?id=p004")
            #expect(png.status == 200 && png.headers["content-type"] == "image/png")
            let compressed = try await server.json("GET", "/api/search?text=navy%20dress&compressed=true&topK=3")
            #expect(compressed.status == 200 && ServerSearchTests.hits(compressed.object).count == 3)
        }
    }
}
