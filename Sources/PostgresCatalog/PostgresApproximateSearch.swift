import EmbeddingCatalog
import Foundation
import PostgresNIO

/// Search through a store's HNSW index (`PostgresVectorStore.approximateSearcher`): the database
/// walks the index for the rows nearest the query (`ORDER BY image_vector <=> q`, pgvector 0.8's
/// iterative scan in strict order, so rows come nearest first however many are asked for), and
/// the filters and exclusions are applied here, by `MetadataFilter.matches`, to the rows it returns,
/// exactly as the exact scan applies them (numbers compared as numbers, texts as Swift compares them).
///
/// The SQL narrows only by what every match must have: each filtered key present
/// (`metadata ?& $keys`, a bound parameter like the query vector and the limit; no filter text is
/// ever part of the statement). A filtered search reads 10·k (at least 100) candidates, then 4× more
/// while too few match, up to `maximumCandidates`; a filter more selective than that leaves the search
/// to the exact scan (nil), as does a blend with the products' text vectors, which the index cannot
/// rank. Scores are inner products, as the exact scan's: for the unit vectors `index` stores, the
/// cosine order the index follows is the same order.
public struct PostgresApproximateSearch: ApproximateSearching {
    let store: PostgresVectorStore
    /// Candidates the index keeps per query (`hnsw.ef_search`).
    public let efSearch: Int
    /// The most candidates one search reads before the exact scan answers instead.
    public static let maximumCandidates = 20_000

    public func approximateSearch(vector: [Float], options: SearchOptions, excluding excluded: Set<String>) throws -> [SearchResult]? {
        let d = store.identity.dimension
        guard vector.count == d else { throw CatalogError.dimensionMismatch(what: "query vector", expected: d, found: vector.count) }
        guard vector.allSatisfy({ $0.isFinite }) else { throw CatalogError.nonFiniteVector(what: "query vector") }
        guard options.topK > 0 else { throw CatalogError.invalidQuery("top-k must be positive, got \(options.topK)") }
        guard options.mode == .exact, options.productTextWeight == 0 else { return nil }
        let k = options.topK
        guard k <= Self.maximumCandidates else { return nil }
        let keys = Array(Set(options.filters.map(\.key).filter { $0 != "id" })).sorted()
        // PostgreSQL's texts hold no NUL, so no stored key does: nothing matches.
        if keys.contains(where: { $0.contains("\u{0}") }) { return [] }
        // Float's description is its shortest round-trip form: pgvector reads back the same floats.
        let literal = "[" + vector.map { "\($0)" }.joined(separator: ",") + "]"
        let filtered = !options.filters.isEmpty
        var limit = filtered ? max(10 * k, 100) : k
        limit = min(limit + excluded.count, Self.maximumCandidates)
        while true {
            let rows = try candidates(literal, keys: keys, limit: limit)
            var results: [SearchResult] = []
            for row in rows where !excluded.contains(row.id) {
                guard options.filters.allSatisfy({ $0.matches(id: row.id, metadata: row.metadata) }) else { continue }
                results.append(row)
                if results.count == k { return results }
            }
            // Fewer rows than asked: the scan ended (a small store, or pgvector's max_scan_tuples).
            // The exact scan knows whether there are more.
            guard rows.count == limit, limit < Self.maximumCandidates else { return nil }
            limit = min(limit * 4, Self.maximumCandidates)
        }
    }

    /// The `limit` rows nearest `literal` by the index that have every key of `keys`, nearest first.
    func candidates(_ literal: String, keys: [String], limit: Int) throws -> [SearchResult] {
        try store.session.transaction("search the HNSW index") { sql in
            try sql.query("SET LOCAL hnsw.ef_search = \(unescaped: String(efSearch))", "search the HNSW index")
            try sql.query("SET LOCAL hnsw.iterative_scan = strict_order", "search the HNSW index")
            try sql.query("SET LOCAL hnsw.max_scan_tuples = \(unescaped: String(Self.maximumCandidates * 2))", "search the HNSW index")
            let rows: [PostgresRow]
            let items = store.itemsTable
            if keys.isEmpty {
                rows = try sql.query(
                    """
                    SELECT id, metadata::text, -(image_vector <#> \(literal)::vector) FROM \(unescaped: items)
                    ORDER BY image_vector <=> \(literal)::vector LIMIT \(limit)
                    """, "search the HNSW index")
            } else {
                rows = try sql.query(
                    """
                    SELECT id, metadata::text, -(image_vector <#> \(literal)::vector) FROM \(unescaped: items)
                    WHERE metadata ?& \(keys)::text[] ORDER BY image_vector <=> \(literal)::vector LIMIT \(limit)
                    """, "search the HNSW index")
            }
            let decoder = JSONDecoder()
            return try rows.map { row in
                let (id, json, score) = try row.decode((String, String, Double).self)
                guard let metadata = try? decoder.decode(Metadata.self, from: Data(json.utf8)) else {
                    throw CatalogError.storage(
                        path: store.location, operation: "search the HNSW index",
                        message: "row '\(id)': metadata is not a JSON object of texts, numbers and booleans")
                }
                return SearchResult(id: id, score: Float(score), metadata: metadata)
            }
        }
    }
}
