import EmbeddingCatalog
import FashionCLIP
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
        return try await search(body, images: [.data(data, name: "the uploaded image")])
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

    /// Embeds the query's texts and images (one model call), combines every term, and ranks.
    private func search(_ body: SearchRequest, images: [ImageInput]) async throws -> Response {
        let searcher = try resources.requireSearcher(for: "search")
        let texts = (body.text?.values ?? []).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let likes = (body.like?.values ?? []).filter { !$0.isEmpty }
        guard !texts.isEmpty || !images.isEmpty || !likes.isEmpty else {
            throw APIError.badRequest("give a query: text, image or like (a stored product id)")
        }
        try Self.check(texts.count, atMost: configuration.maxTexts, "query texts")
        try checkLengths(texts, "text")
        try Self.check(images.count, atMost: configuration.maxImages, "query images")
        let topK = body.topK ?? 10
        guard (1...configuration.maxTopK).contains(topK) else {
            throw APIError.badRequest("topK must be in 1 ... \(configuration.maxTopK), found \(topK)")
        }
        let filters = try (body.filter?.values ?? []).filter { !$0.isEmpty }.map(MetadataFilter.init(parsing:))
        var terms = likes.map { WeightedTerm(.like(id: $0), weight: body.likeWeight ?? 1) }
        if !texts.isEmpty || !images.isEmpty {
            let model = try resources.requireModel(for: texts.isEmpty ? "an image query" : "a text query")
            let (textVectors, imageVectors) = try await gate.run {
                (try texts.isEmpty ? [] : model.embedTexts(texts), try model.embedImages(images).map { try $0.get() })
            }
            terms += textVectors.map { WeightedTerm(.vector($0), weight: body.textWeight ?? 1) }
            terms += imageVectors.map { WeightedTerm(.vector($0), weight: body.imageWeight ?? 1) }
        }
        let compressed = body.compressed ?? false
        let options = SearchOptions(filters: filters, topK: topK, productTextWeight: body.productTextWeight ?? 0,
                                    mode: compressed ? .compressed(candidates: nil) : .exact)
        let vector = try await searcher.queryVector(terms, embedder: nil)
        let excluded = Set(likes)
        let results = try await gate.run { try searcher.search(vector: vector, options: options, excluding: excluded) }
        let snapshot = searcher.snapshot
        let hits = results.map { result in
            SearchHit(id: result.id, score: result.score, text: snapshot.rowOfID[result.id].flatMap { snapshot.texts[$0] },
                      metadata: result.metadata, image: resources.imagePath(of: result.id))
        }
        return try JSONResponse.make(SearchResults(
            results: hits, products: snapshot.count,
            query: QueryEcho(text: texts, images: images.count, like: likes, filter: filters.map(\.description), topK: topK,
                             productTextWeight: options.productTextWeight, compressed: compressed)))
    }
}
