import Foundation

/// One part of a search query; parts are combined with weights (`WeightedTerm`).
public enum QueryTerm: Sendable, Equatable {
    /// A text, embedded by the text tower (text → image retrieval).
    case text(String)
    /// An image file, embedded by the vision tower.
    case image(URL)
    /// The stored image vector of an item ("more like this").
    case like(id: String)
    /// A vector given directly, `[dimension]`.
    case vector([Float])
}

/// A query term with its weight in the combined query `normalise(Σ wᵢ · normalise(vᵢ))`.
public struct WeightedTerm: Sendable, Equatable {
    public var term: QueryTerm
    /// Any finite non-zero number; negative weights steer away from a term.
    public var weight: Float

    public init(_ term: QueryTerm, weight: Float = 1) {
        self.term = term
        self.weight = weight
    }
}

/// How the matrix is scanned.
public enum ScanMode: Sendable, Equatable {
    /// Every candidate scored with the fp32 vectors.
    case exact
    /// An int8 scan picks `candidates` rows (default `max(100, 10·k)`), re-ranked with the fp32 vectors.
    case compressed(candidates: Int? = nil)
}

/// Everything about a search except the query vector.
public struct SearchOptions: Sendable, Equatable {
    /// All must match (AND); applied before ranking.
    public var filters: [MetadataFilter]
    /// Number of results.
    public var topK: Int
    /// Weight `w` of the products' own text vectors: score = (1−w)·cos(q, image) + w·cos(q, text); rows
    /// without text use their image score for both parts. 0 ranks by image vectors only.
    public var productTextWeight: Float
    public var mode: ScanMode
    /// Leave the items of `.like` terms out of the results.
    public var excludeQueryItems: Bool

    public init(
        filters: [MetadataFilter] = [], topK: Int = 10, productTextWeight: Float = 0,
        mode: ScanMode = .exact, excludeQueryItems: Bool = true
    ) {
        self.filters = filters
        self.topK = topK
        self.productTextWeight = productTextWeight
        self.mode = mode
        self.excludeQueryItems = excludeQueryItems
    }
}

/// One hit: the item, its score (cosine, or the blended score) and its metadata.
extension SearchOptions {
    /// What every ranking (the exact scan, a store's approximate index) refuses before any work: a
    /// query vector of another dimension or not finite, top-k below 1, a text blend outside 0 … 1.
    package func check(query: [Float], dimension d: Int) throws {
        guard query.count == d else { throw CatalogError.dimensionMismatch(what: "query vector", expected: d, found: query.count) }
        guard query.allSatisfy({ $0.isFinite }) else { throw CatalogError.nonFiniteVector(what: "query vector") }
        guard topK > 0 else { throw CatalogError.invalidQuery("top-k must be positive, got \(topK)") }
        guard productTextWeight.isFinite, (0...1).contains(productTextWeight) else {
            throw CatalogError.invalidQuery("product text weight must be in 0 ... 1, got \(productTextWeight)")
        }
    }
}

public struct SearchResult: Sendable, Equatable, Codable {
    public var id: String
    public var score: Float
    public var metadata: Metadata

    public init(id: String, score: Float, metadata: Metadata) {
        self.id = id
        self.score = score
        self.metadata = metadata
    }
}

/// The `--json` output: `{"results": [{"id": ..., "score": ..., "metadata": {...}}, ...]}`.
public struct SearchResponse: Sendable, Equatable, Codable {
    public var results: [SearchResult]

    public init(results: [SearchResult]) { self.results = results }

    /// The response as JSON, keys sorted.
    public func jsonData(pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
