import EmbeddingCatalog
import FashionCLIP
import Foundation

/// Answers a `CatalogQuery` over one catalog: validates it (`QueryLimits`), embeds all its texts in one
/// model call and all its images in another, combines every term with its weight into one query vector
/// (`normalise(Σ w · normalise(v))`, texts then images then likes) and ranks the catalog.
///
/// The one routine behind `fashionclip search` and the server's `/api/search` routes, so the same
/// request gives the same ranking from either.
public struct CatalogQueryRunner: Sendable {
    /// The catalog searched.
    public let searcher: CatalogSearcher
    /// The model that built the catalog; needed for text and image terms.
    public let embedder: ModelCatalogEmbedder?
    /// The bounds every request is checked against.
    public let limits: QueryLimits
    /// The store's approximate index (PostgreSQL's HNSW), asked first for exact-mode rankings; nil:
    /// always the exact scan of `searcher`.
    public let approximate: (any ApproximateSearching)?

    public init(
        searcher: CatalogSearcher, embedder: ModelCatalogEmbedder?, limits: QueryLimits, approximate: (any ApproximateSearching)? = nil
    ) {
        self.searcher = searcher
        self.embedder = embedder
        self.limits = limits
        self.approximate = approximate
    }

    /// The ranking for `query` and the query as validated.
    public struct Answer: Sendable {
        public let query: ValidatedQuery
        /// Best first; the `like` items are left out.
        public let results: [SearchResult]
    }

    /// Validates, embeds (through `calls`), combines and ranks.
    /// - Throws: `QueryLimitError` (before any work), `CatalogError` (an unknown `like` id, the store
    ///   built by another model, terms that cancel out), the model's errors (an image that does not decode).
    public func answer(_ query: CatalogQuery, calls: some ModelCallRunner = InlineModelCalls()) async throws -> Answer {
        try await answer(try limits.validate(query), calls: calls)
    }

    /// Embeds (through `calls`), combines and ranks a query already validated.
    /// - Throws: as `answer(_:calls:)`, less the validation.
    public func answer(_ validated: ValidatedQuery, calls: some ModelCallRunner = InlineModelCalls()) async throws -> Answer {
        let vector = try await queryVector(validated, calls: calls)
        let options = validated.options
        let excluded = Set(validated.likes)
        let results = try await calls.run { [searcher, approximate] in
            if let approximate, let hits = try approximate.approximateSearch(vector: vector, options: options, excluding: excluded) {
                return hits
            }
            return try searcher.search(vector: vector, options: options, excluding: excluded)
        }
        return Answer(query: validated, results: results)
    }

    /// The normalised query vector of a validated query.
    /// - Throws: as `answer(_:calls:)`.
    public func queryVector(_ query: ValidatedQuery, calls: some ModelCallRunner = InlineModelCalls()) async throws -> [Float] {
        var terms: [WeightedTerm] = []
        if query.needsModel {
            guard let embedder else {
                throw QueryLimitError.needsModel(query.texts.isEmpty ? "an image query" : "a text query")
            }
            let snapshot = searcher.snapshot
            guard embedder.storeIdentity == snapshot.identity else {
                throw CatalogError.modelMismatch(path: "query", expected: embedder.storeIdentity, found: snapshot.identity)
            }
            let model = embedder.model, texts = query.texts, images = query.images
            let (textVectors, imageVectors) = try await calls.run {
                (try texts.isEmpty ? [] : model.embedTexts(texts), try model.embedImages(images).map { try $0.get() })
            }
            terms += textVectors.map { WeightedTerm(.vector($0), weight: query.query.textWeight) }
            terms += imageVectors.map { WeightedTerm(.vector($0), weight: query.query.imageWeight) }
        }
        terms += query.likes.map { WeightedTerm(.like(id: $0), weight: query.query.likeWeight) }
        return try await searcher.queryVector(terms, embedder: nil)
    }
}
