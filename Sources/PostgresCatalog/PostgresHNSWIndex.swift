import EmbeddingCatalog
import Foundation
import PostgresNIO

/// A pgvector HNSW index over a PostgreSQL store's image vectors (`vector_cosine_ops`), made by
/// `fashionclip store hnsw` and used by search unless it asks for `--exact`.
///
/// - `m` (2 … 100, pgvector's default 16): links per node; more gives better recall, a larger index
///   and a slower build.
/// - `efConstruction` (≥ 2·m, 4 … 1000, default 64): the candidate list while building.
/// - `efSearch` (1 … 1000, default 200 here; pgvector's is 40): the candidate list per query, set per
///   query (`SET LOCAL hnsw.ef_search`); more gives better recall and slower queries. Measured (Zen 5,
///   2 cores, m = 16, ef_construction = 64): on 200 000 clustered 512-d vectors (`catalog-benchmarks
///   hnsw`) recall@10 0.98 at 100 and 0.99 at 200, a few ms a query; on 100 000 uniformly random 64-d
///   ones (the hard case) 0.82 at 200 and 0.99 at 1000 (0.69 and 0.97–0.98 with a 10 % filter), and
///   with m = 24, ef_construction = 100 (`PostgresHNSWTests`) 0.94 at 200 and 1.0 at 1000 (0.84, 1.0).
public struct HNSWParameters: Sendable, Equatable, CustomStringConvertible {
    public var m: Int
    public var efConstruction: Int

    public init(m: Int = 16, efConstruction: Int = 64) {
        self.m = m
        self.efConstruction = efConstruction
    }

    public static let efSearchRange = 1...1000
    public static let defaultEfSearch = 200

    public var description: String { "m = \(m), ef_construction = \(efConstruction)" }

    /// pgvector's limits, checked here so a bad value is our clear error rather than the server's.
    func validate(location: String) throws {
        guard (2...100).contains(m) else {
            throw CatalogError.storage(path: location, operation: "create the HNSW index", message: "m must be 2 … 100, got \(m)")
        }
        guard (4...1000).contains(efConstruction), efConstruction >= 2 * m else {
            throw CatalogError.storage(
                path: location, operation: "create the HNSW index",
                message: "ef_construction must be 4 … 1000 and at least 2·m = \(2 * m), got \(efConstruction)")
        }
    }
}

extension PostgresVectorStore {
    /// The index's name (quoted), one per store.
    var hnswIndexName: String { "\"\(schema.prefix)_image_hnsw\"" }
    /// Seconds an index build may take before the server counts as gone (a million rows take minutes).
    static let indexBuildDeadline: Int64 = 4 * 3600

    /// Builds the HNSW index (replacing one with other parameters). Takes as long as pgvector needs:
    /// minutes for a million rows. Rows committed later are added to it by PostgreSQL as they come.
    public func createHNSWIndex(_ parameters: HNSWParameters) throws {
        try parameters.validate(location: location)
        if let existing = try hnswIndex(), existing == parameters { return }
        try session.transaction("create the HNSW index") { sql in
            try sql.query("DROP INDEX IF EXISTS \(unescaped: hnswIndexName)", "replace the HNSW index")
            // The graph built in memory (pgvector builds far slower once it outgrows this).
            try sql.query("SET LOCAL maintenance_work_mem = '1GB'", "create the HNSW index")
            try sql.query(
                """
                CREATE INDEX \(unescaped: hnswIndexName) ON \(unescaped: itemsTable)
                USING hnsw (image_vector vector_cosine_ops) WITH (m = \(unescaped: String(parameters.m)), ef_construction = \(unescaped: String(parameters.efConstruction)))
                """, "create the HNSW index", within: Self.indexBuildDeadline)
        }
    }

    /// Drops the HNSW index, if there is one: search is exact again.
    public func dropHNSWIndex() throws {
        try session.query("DROP INDEX IF EXISTS \(unescaped: hnswIndexName)", "drop the HNSW index")
    }

    /// The parameters of the store's HNSW index, or nil when it has none.
    public func hnswIndex() throws -> HNSWParameters? {
        let name = "\(schema.prefix)_image_hnsw"
        let rows = try session.query(
            "SELECT coalesce(array_to_string(c.reloptions, ','), '') FROM pg_class c WHERE c.relname = \(name) AND c.relkind = 'i'",
            "look for the HNSW index")
        guard let options = try rows.first?.decode(String.self) else { return nil }
        var parameters = HNSWParameters()
        for pair in options.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "m" { parameters.m = value }
            if parts[0] == "ef_construction" { parameters.efConstruction = value }
        }
        return parameters
    }

    /// `approximateSearcher()` as the `VectorStore` requirement: the HNSW index at the default ef_search.
    public func approximateIndex() throws -> (any ApproximateSearching)? { try approximateSearcher() }

    /// A searcher over the store's HNSW index with `efSearch` candidates per query, or nil when the
    /// store has no such index.
    public func approximateSearcher(efSearch: Int = HNSWParameters.defaultEfSearch) throws -> PostgresApproximateSearch? {
        guard HNSWParameters.efSearchRange.contains(efSearch) else {
            throw CatalogError.invalidQuery(
                "ef-search must be \(HNSWParameters.efSearchRange.lowerBound) … \(HNSWParameters.efSearchRange.upperBound), got \(efSearch)")
        }
        guard try hnswIndex() != nil else { return nil }
        let encoding = try session.query("SHOW server_encoding", "look for the HNSW index").first?.decode(String.self)
        return PostgresApproximateSearch(store: self, efSearch: efSearch, unicodeNormalization: encoding == "UTF8")
    }
}
