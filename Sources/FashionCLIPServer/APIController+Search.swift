import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation
import Hummingbird

extension APIController {
    /// `GET /api/search?text=…&like=…&filter=…&topK=…`: the query's fields as parameters (repeat
    /// `text`, `like` and `filter` for several); no image (POST one to `/api/search/image`).
    func search(query request: Request) async throws -> Response {
        try await search(try Self.searchRequest(request), images: [])
    }

    /// `POST /api/search` with a `SearchRequest` JSON body (images base64-encoded).
    func search(json request: Request) async throws -> Response {
        let body = try await JSONResponse.decode(SearchRequest.self, from: request, limit: configuration.maxRequestBytes)
        return try await search(body, images: try Self.base64Images(body.image?.values ?? [], field: "image"))
    }

    /// `POST /api/search/image?topK=…&filter=…` with an image file as the body: products that look like
    /// it (the other query parameters as for GET, `imageWeight` included).
    func searchImage(_ request: Request) async throws -> Response {
        let body = try Self.searchRequest(request)
        let data = try await Self.imageBody(request, limit: configuration.maxRequestBytes)
        return try await search(body, images: [.data(data, name: "in the request body")])
    }

    /// A search request from the request's query parameters.
    private static func searchRequest(_ request: Request) throws -> SearchRequest {
        let parameters = request.uri.queryParameters
        return SearchRequest(
            text: StringList(parameters.getAll("text")), image: nil, like: StringList(parameters.getAll("like")),
            textWeight: try queryNumber(request, "textWeight", Float.self),
            imageWeight: try queryNumber(request, "imageWeight", Float.self),
            likeWeight: try queryNumber(request, "likeWeight", Float.self), filter: StringList(parameters.getAll("filter")),
            topK: try queryNumber(request, "topK", Int.self),
            productTextWeight: try queryNumber(request, "productTextWeight", Float.self),
            compressed: try queryFlag(request, "compressed"))
    }

    /// Answers through `CatalogQueryRunner`, the routine `fashionclip search` uses: one model call for
    /// the texts and images, every term combined, ranked; limits from the configuration. Filters must
    /// name a stored metadata key and order by numbers (`SearchFilterError`).
    private func search(_ body: SearchRequest, images: [ImageInput]) async throws -> Response {
        let searcher = try resources.requireSearcher(for: "search")
        let query = body.query(images: images)
        let validated = try configuration.queryLimits.validate(query)
        try SearchFilterError.check(validated.filters, metadataKeys: resources.metadataKeys.keys)
        if validated.needsModel {
            _ = try resources.requireModel(for: validated.texts.isEmpty ? "an image query" : "a text query")
        }
        let runner = CatalogQueryRunner(
            searcher: searcher, embedder: resources.embedder, limits: configuration.queryLimits, approximate: resources.approximateIndex)
        let answer = try await runner.answer(validated, calls: gate)
        let snapshot = searcher.snapshot
        let hits = answer.results.map { result in
            SearchHit(
                id: result.id, score: result.score, text: snapshot.rowOfID[result.id].flatMap { snapshot.texts[$0] },
                metadata: result.metadata, image: resources.imagePath(of: result.id))
        }
        let options = validated.options
        return try JSONResponse.make(
            SearchResults(
                results: hits, products: snapshot.count,
                query: QueryEcho(
                    text: validated.texts, images: images.count, like: validated.likes, filter: validated.filters.map(\.description),
                    topK: options.topK, productTextWeight: options.productTextWeight, compressed: query.compressed)))
    }
}
