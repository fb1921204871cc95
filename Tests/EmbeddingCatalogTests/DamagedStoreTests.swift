import EmbeddingCatalog
import Foundation
import Testing

/// A store that is not what `index` wrote — duplicate ids, an absurd dimension, a row count its file
/// cannot hold — gives "store is damaged: …", never a trap or an unbounded allocation (issue 19, item 10).
@Suite struct DamagedStoreTests {
    let embedder = DeterministicEmbedder()

    /// A store of 6 indexed rows in a fresh folder.
    func indexedStore() async throws -> URL {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 6)
        let storeURL = folder.appendingPathComponent("store.sqlite")
        let store = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
        _ = try await CatalogIndexer(store: store, embedder: embedder).run(try Catalog.load(url))
        return storeURL
    }

    static func expectDamaged(_ body: () throws -> Void, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: CatalogError.self, sourceLocation: sourceLocation) { try body() }
        #expect(
            "\(error.map { "\($0)" } ?? "")".contains("store is damaged"), "\(what): \(String(describing: error))",
            sourceLocation: sourceLocation)
    }

    @Test func duplicateIDsAreReportedNotTrapped() async throws {
        let url = try await indexedStore()
        let store = try SQLiteVectorStore(url: url, identity: nil)
        // The table rebuilt without its primary key, and one row stored twice.
        try store.executeForTesting(
            """
            CREATE TABLE copy AS SELECT * FROM items; DROP TABLE items; ALTER TABLE copy RENAME TO items;
            INSERT INTO items SELECT * FROM items WHERE id = 'p0003';
            """)
        Self.expectDamaged({ _ = try SQLiteVectorStore(url: url, identity: nil).loadSnapshot() }, "duplicate id")
    }

    @Test func absurdDimensionIsRefusedAtOpen() async throws {
        let url = try await indexedStore()
        try SQLiteVectorStore(url: url, identity: nil).executeForTesting(
            "UPDATE store_info SET value = '1000000000000' WHERE key = 'dimension'")
        Self.expectDamaged({ _ = try SQLiteVectorStore(url: url, identity: nil) }, "dimension 10^12")
    }

    @Test func rowsThatCannotFitTheFileAreRefusedBeforeAllocating() async throws {
        let url = try await indexedStore()
        // A plausible width for which 6 rows would still need more bytes than a 6-row store has…
        try SQLiteVectorStore(url: url, identity: nil).executeForTesting(
            "UPDATE store_info SET value = '60000' WHERE key = 'dimension'")
        Self.expectDamaged({ _ = try SQLiteVectorStore(url: url, identity: nil).loadSnapshot() }, "dimension 60000")
        // … and a width that matches no stored vector is a dimension mismatch, as before.
        try SQLiteVectorStore(url: url, identity: nil).executeForTesting(
            "UPDATE store_info SET value = '24' WHERE key = 'dimension'")
        #expect(throws: CatalogError.self) { _ = try SQLiteVectorStore(url: url, identity: nil).loadSnapshot() }
    }
}
