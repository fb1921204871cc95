import EmbeddingCatalog
import Foundation
import PostgresNIO

/// Search through a store's HNSW index (`PostgresVectorStore.approximateSearcher`): the database
/// walks the index for the rows nearest the query (`ORDER BY image_vector <=> q`, pgvector 0.8's
/// iterative scan in strict order, so rows come nearest first however many are asked for), and
/// the filters and exclusions are applied here, by `MetadataFilter.matches`, to the rows it returns,
/// exactly as the exact scan applies them (numbers compared as numbers, texts as Swift compares them).
///
/// The SQL narrows by a condition every match meets (`PostgresFilterSQL`: keys present, equalities;
/// every key, value, the vector and the limit are bound parameters, no filter text is ever part of
/// the statement), so pgvector's iterative scan walks the index until it has enough such rows. A
/// search whose filters are all equalities (which the SQL states, up to stored texts of unusual
/// number syntax) reads k rows; others read 20·k (at least 200); then
/// 4× more while too few match, up to `maximumCandidates`. A filter more selective than the scan
/// reaches leaves the search to the exact scan (nil), as does a blend with the products' text
/// vectors, which the index cannot rank. Scores are inner products, as the exact scan's: for the unit vectors `index` stores, the
/// cosine order the index follows is the same order.
public struct PostgresApproximateSearch: ApproximateSearching {
    let store: PostgresVectorStore
    /// Candidates the index keeps per query (`hnsw.ef_search`).
    public let efSearch: Int
    /// The database is UTF-8, so texts compare up to canonical equivalence in SQL (`normalize`).
    let unicodeNormalization: Bool
    /// The most candidates one search reads before the exact scan answers instead.
    public static let maximumCandidates = 20_000

    public func approximateSearch(vector: [Float], options: SearchOptions, excluding excluded: Set<String>) throws -> [SearchResult]? {
        try options.check(query: vector, dimension: store.identity.dimension)
        guard options.mode == .exact, options.productTextWeight == 0 else { return nil }
        let k = options.topK
        guard k <= Self.maximumCandidates else { return nil }
        // PostgreSQL's texts hold no NUL, so no stored key does: nothing matches.
        if options.filters.contains(where: { $0.key != "id" && $0.key.contains("\u{0}") }) { return [] }
        // Float's description is its shortest round-trip form: pgvector reads back the same floats.
        let literal = "[" + vector.map { "\($0)" }.joined(separator: ",") + "]"
        // Filters the SQL states in full leave few rows for `matches` to drop; others, more.
        let full = options.filters.allSatisfy { filter in
            filter.key != "id" && filter.op == .equal && (Double(filter.value) != nil || unicodeNormalization)
        }
        var limit = full ? k : max(20 * k, 200)
        limit = min(limit + excluded.count, Self.maximumCandidates)
        while true {
            let rows = try candidates(literal, filters: options.filters, limit: limit)
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

    /// The `limit` rows nearest `literal` by the index that may pass `filters` (`PostgresFilterSQL`),
    /// nearest first.
    func candidates(_ literal: String, filters: [MetadataFilter], limit: Int) throws -> [SearchResult] {
        try store.searchSessions.with { session in try candidates(literal, filters: filters, limit: limit, on: session) }
    }

    private func candidates(_ literal: String, filters: [MetadataFilter], limit: Int, on session: PostgresSession) throws -> [SearchResult] {
        var filter = try PostgresFilterSQL(vector: literal, filters: filters, unicodeNormalization: unicodeNormalization)
        let limitPlaceholder = try filter.bindLimit(limit)
        // Our SQL and placeholders only: every key, value and the vector are bound parameters.
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT id, metadata::text, -(image_vector <#> $1::vector) FROM \(store.itemsTable) \(filter.whereClause)
                ORDER BY image_vector <=> $1::vector LIMIT \(limitPlaceholder)
                """, binds: filter.binds)
        return try session.transaction("search the HNSW index") { sql in
            // The settings for this transaction only, in one round trip (set_config(…, true) is SET
            // LOCAL). enable_seqscan off: pgvector's cost estimate grows with ef_search, and past a
            // few hundred the planner chose a sequential scan and a sort instead (exact, and 100×
            // slower than ours in memory: 678 ms a query at 200 000 × 512 with ef_search 800).
            try sql.query(
                """
                SELECT set_config('hnsw.ef_search', \(String(efSearch)), true),
                       set_config('hnsw.iterative_scan', 'strict_order', true),
                       set_config('hnsw.max_scan_tuples', \(String(Self.maximumCandidates * 2)), true),
                       set_config('enable_seqscan', 'off', true)
                """, "search the HNSW index")
            let rows = try sql.query(query, "search the HNSW index")
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
