import EmbeddingCatalog
import FashionCLIP
import Foundation

/// One search request as a person writes it, the same for the command line and the HTTP API: texts,
/// images and stored product ids (`like`), a weight for each kind, metadata filters, how many results,
/// how much the products' own texts count, and whether to scan the int8 copies.
///
/// `QueryLimits.validate(_:)` checks it and `CatalogQueryRunner` turns it into a query vector and a
/// ranking, so `fashionclip search` and `GET /api/search` answer the same request the same way.
public struct CatalogQuery: Sendable {
    /// Text queries (blank ones are ignored), embedded by the text tower in one call.
    public var texts: [String]
    /// Image queries, embedded by the vision tower in one call.
    public var images: [ImageInput]
    /// Stored product ids whose image vectors join the query ("more like this"); left out of the results.
    public var likes: [String]
    /// Weight of each text, image and like term in `normalise(Σ w · normalise(v))`; finite, non-zero.
    public var textWeight: Float
    public var imageWeight: Float
    public var likeWeight: Float
    /// Metadata filter expressions (`brand=Armani`, `price<100`; see `MetadataFilter`), all must match.
    public var filters: [String]
    /// Number of results.
    public var topK: Int
    /// Blend weight (0…1) of the products' own text vectors (`SearchOptions.productTextWeight`).
    public var productTextWeight: Float
    /// Scan the int8-compressed vectors, then re-rank the candidates exactly.
    public var compressed: Bool

    public init(
        texts: [String] = [], images: [ImageInput] = [], likes: [String] = [],
        textWeight: Float = 1, imageWeight: Float = 1, likeWeight: Float = 1, filters: [String] = [],
        topK: Int = 10, productTextWeight: Float = 0, compressed: Bool = false
    ) {
        self.texts = texts
        self.images = images
        self.likes = likes
        self.textWeight = textWeight
        self.imageWeight = imageWeight
        self.likeWeight = likeWeight
        self.filters = filters
        self.topK = topK
        self.productTextWeight = productTextWeight
        self.compressed = compressed
    }
}

/// A `CatalogQuery` that passed `QueryLimits.validate(_:)`: blank texts and empty ids dropped,
/// filters parsed, every count within its limit.
public struct ValidatedQuery: Sendable {
    /// The non-blank texts, in order.
    public let texts: [String]
    public let images: [ImageInput]
    /// The non-empty ids, in order.
    public let likes: [String]
    public let filters: [MetadataFilter]
    /// The weights, the product-text weight, the result count and the scan mode.
    public let query: CatalogQuery

    /// The search options the query asks for (its `like` items are excluded by `CatalogQueryRunner`).
    public var options: SearchOptions {
        SearchOptions(
            filters: filters, topK: query.topK, productTextWeight: query.productTextWeight,
            mode: query.compressed ? .compressed(candidates: nil) : .exact)
    }

    /// Whether answering needs the model (a text or an image term).
    public var needsModel: Bool { !texts.isEmpty || !images.isEmpty }

    init(texts: [String], images: [ImageInput], likes: [String], filters: [MetadataFilter], query: CatalogQuery) {
        self.texts = texts
        self.images = images
        self.likes = likes
        self.filters = filters
        self.query = query
    }
}
