import EmbeddingCatalog
import Foundation
import Testing

@testable import PostgresCatalog

/// The PostgreSQL store's versioned layout: a version-1 store (no generations, no claims) is migrated
/// on open with its rows kept; a version this build does not know is refused, naming both versions.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, "\(PostgresTestDatabase.howToRun)"))
struct PostgresSchemaTests {
    static let identity = StoreIdentity(model: "m", dimension: 3)

    /// Writes the version-1 layout of `location` by hand, with one row.
    static func writeVersion1(_ location: PostgresLocation) throws {
        let session = try PostgresSession(location)
        let info = "\"\(location.table)_info\"", items = "\"\(location.table)_items\""
        try session.query("CREATE TABLE \(unescaped: info) (key text PRIMARY KEY, value text NOT NULL)", "v1")
        try session.query(
            """
            CREATE TABLE \(unescaped: items) (id text PRIMARY KEY, image_hash bigint NOT NULL, text_hash bigint,
                metadata_hash bigint NOT NULL, text text, metadata jsonb NOT NULL, image_vector vector(3) NOT NULL,
                text_vector vector(3))
            """, "v1")
        try session.query("INSERT INTO \(unescaped: info) VALUES ('schema_version', '1'), ('model', 'm'), ('dimension', '3')", "v1")
        try session.query(
            """
            INSERT INTO \(unescaped: items) VALUES ('a', 1, NULL, 2, 'it''s a', '{"brand": "Levi''s"}', '[0.6,0.8,0]', NULL)
            """, "v1")
    }

    @Test func aVersion1StoreIsMigratedWithItsRows() throws {
        let location = try PostgresTestDatabase.freshLocation()
        try Self.writeVersion1(location)
        let store = try PostgresVectorStore(address: location, identity: Self.identity)
        #expect(store.openedSchemaVersion == 1 && store.schemaVersion == 2)
        let snapshot = try store.loadSnapshot()
        #expect(snapshot.ids == ["a"] && snapshot.imageVectors == [0.6, 0.8, 0] && snapshot.texts == ["it's a"])
        #expect(snapshot.metadata == [["brand": .string("Levi's")]])
        // It works as a version-2 store: commits raise the generation, workers can claim.
        try store.commit(
            updates: [
                ItemUpdate(
                    id: "b", fingerprint: RowFingerprint(image: 3, text: nil, metadata: 4), text: nil, metadata: [:],
                    imageVector: [0, 0, 1], textVector: .remove)
            ], deletions: ["a"])
        #expect(try store.fingerprints().keys.sorted() == ["b"])
        let generation = try store.session.query("SELECT value FROM \(unescaped: store.schema.info) WHERE key = 'generation'", "read")
        #expect(try generation.first?.decode(String.self) == "1")
        let removed = try store.session.query("SELECT id, generation FROM \(unescaped: store.schema.removed)", "read")
        #expect(try removed.map { try $0.decode((String, Int64).self) }.map { "\($0.0)@\($0.1)" } == ["a@1"])
        // A second open finds version 2 and migrates nothing.
        #expect(try PostgresVectorStore(address: location, identity: nil).openedSchemaVersion == 2)
    }

    @Test func anUnknownVersionIsRefused() throws {
        let location = try PostgresTestDatabase.freshLocation()
        try Self.writeVersion1(location)
        let session = try PostgresSession(location)
        try session.query("UPDATE \(unescaped: "\"\(location.table)_info\"") SET value = '99' WHERE key = 'schema_version'", "v99")
        #expect {
            try PostgresVectorStore(address: location, identity: Self.identity)
        } throws: { error in
            "\(error)".contains("schema version 99, expected 2") && "\(error)".contains(location.description)
        }
    }
}
