import Foundation

/// A store's own approximate index (PostgreSQL: a pgvector HNSW index), which ranks without reading
/// the whole store into memory. `CatalogQueryRunner` asks it first for an exact-mode search and
/// ranks the snapshot exactly when it answers nil.
public protocol ApproximateSearching: Sendable {
    /// The best `options.topK` rows for the unit query `vector` by the index, filters and exclusions
    /// applied as `CatalogSearcher` applies them; nil when the index cannot answer this search as asked
    /// (a blend with the products' text vectors, or a filter so selective that the index's candidates
    /// hold too few matches): the caller then ranks exactly.
    func approximateSearch(vector: [Float], options: SearchOptions, excluding: Set<String>) throws -> [SearchResult]?
}
