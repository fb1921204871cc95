import EmbeddingCatalog
import Foundation
import PostgresNIO

/// The shared store: a catalog in PostgreSQL with pgvector, for catalogs that outgrow one machine.
///
/// A few tables per store (`PostgresSchema`: info, items with `jsonb` metadata and `vector(D)` vectors,
/// pruned rows, indexing claims), so several stores can share a database (`?table=NAME`). Vectors go
/// in as pgvector's text form and come back through its binary form, so they are the fp32 values
/// written, bit for bit. Each `commit` is one transaction and raises the store's generation; rows are
/// read in byte order of their ids (`COLLATE "C"`), as the SQLite store does. Several index runs share
/// the work through `SharedIndexingStore` (`PostgresIndexingWorker`).
public final class PostgresVectorStore: SharedIndexingStore, Sendable {
    public let identity: StoreIdentity
    public var location: String { address.description }
    public let address: PostgresLocation
    let session: PostgresSession
    let schema: PostgresSchema
    var itemsTable: String { schema.items }
    /// The layout version the store had when opened (older ones are migrated on open).
    public let openedSchemaVersion: Int

    public var schemaVersion: Int { PostgresSchema.currentVersion }
    /// Connections of the searches through the HNSW index (opened as searches need them).
    let searchSessions: PostgresSessionPool
    /// pgvector's `vector` holds at most 16,000 dimensions.
    static let maximumDimension = 16000

    /// Opens the store at `address`, creating its tables for `identity` when they do not exist, and
    /// migrating an older layout to the current one.
    /// - Parameter identity: the model in use; `nil` opens an existing store with whatever it holds.
    /// - Throws: `CatalogError.modelMismatch` for another model or dimension; `.storage` when the
    ///   database cannot be reached, lacks pgvector, or holds no store and `identity` is nil.
    public init(address: PostgresLocation, identity: StoreIdentity?) throws {
        self.address = address
        searchSessions = PostgresSessionPool(address)
        schema = PostgresSchema(table: address.table)
        session = try PostgresSession(address)
        try Self.requireVector(session)
        let stored = try Self.readInfo(session, schema, location: address.description)
        if let stored {
            openedSchemaVersion = try schema.migrate(session, found: stored.version, location: address.description)
            if let identity, identity != stored.identity {
                throw CatalogError.modelMismatch(path: address.description, expected: identity, found: stored.identity)
            }
            self.identity = stored.identity
        } else if let identity {
            guard (1...Self.maximumDimension).contains(identity.dimension) else {
                throw CatalogError.storage(
                    path: address.description, operation: "create",
                    message: "dimension \(identity.dimension): pgvector holds 1 to \(Self.maximumDimension)")
            }
            self.identity = try Self.create(session, identity, schema, location: address.description)
            openedSchemaVersion = PostgresSchema.currentVersion
        } else {
            throw CatalogError.storage(path: address.description, operation: "open", message: "no such store; run `index` first")
        }
    }

    /// pgvector must be installed in the database; it is created when the user may.
    private static func requireVector(_ session: PostgresSession) throws {
        let installed = try session.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'", "look for pgvector")
        guard installed.isEmpty else { return }
        do {
            try session.query("CREATE EXTENSION IF NOT EXISTS vector", "create the pgvector extension")
        } catch {
            throw CatalogError.storage(
                path: session.location.description, operation: "open",
                message: "the pgvector extension is not installed in database '\(session.location.database)' and could not be "
                    + "created (\(error)); a superuser can run CREATE EXTENSION vector there")
        }
    }

    /// The stored identity and layout version, or nil when the store's tables do not exist.
    private static func readInfo(
        _ session: PostgresSession, _ schema: PostgresSchema, location: String
    ) throws -> (identity: StoreIdentity, version: Int)? {
        let exists = try session.query("SELECT to_regclass(\(schema.info)) IS NOT NULL", "look for the store")
        guard try exists.first?.decode(Bool.self) == true else { return nil }
        var info: [String: String] = [:]
        for row in try session.query("SELECT key, value FROM \(unescaped: schema.info)", "read the store's identity") {
            let (key, value) = try row.decode((String, String).self)
            info[key] = value
        }
        guard let version = info["schema_version"].flatMap(Int.init) else {
            throw CatalogError.storage(path: location, operation: "open", message: "store is damaged: its info lacks a schema version")
        }
        guard let model = info["model"], let dimension = info["dimension"].flatMap(Int.init),
            (1...maximumDimension).contains(dimension)
        else {
            throw CatalogError.storage(path: location, operation: "open", message: "store is damaged: its info lacks a model or a dimension")
        }
        return (StoreIdentity(model: model, dimension: dimension), version)
    }

    /// Creates the tables; under an advisory lock, so workers starting together create them once.
    /// Returns the identity stored (another worker's, if it won the race).
    private static func create(
        _ session: PostgresSession, _ identity: StoreIdentity, _ schema: PostgresSchema, location: String
    ) throws -> StoreIdentity {
        try session.transaction("create the store") { sql in
            try sql.query("SELECT pg_advisory_xact_lock(\(schema.lockKey("create")))", "lock the store's creation")
            try schema.create(sql, identity)
        }
        guard let stored = try readInfo(session, schema, location: location) else {
            throw CatalogError.storage(path: location, operation: "create", message: "the store's info vanished after it was written")
        }
        guard stored.version == PostgresSchema.currentVersion else {
            throw CatalogError.storage(
                path: location, operation: "create", message: "schema version \(stored.version), expected \(PostgresSchema.currentVersion)")
        }
        guard stored.identity == identity else { throw CatalogError.modelMismatch(path: location, expected: identity, found: stored.identity) }
        return stored.identity
    }

    public func fingerprints() throws -> [String: RowFingerprint] {
        var result: [String: RowFingerprint] = [:]
        let rows = try session.query("SELECT id, image_hash, text_hash, metadata_hash FROM \(unescaped: itemsTable)", "read fingerprints")
        result.reserveCapacity(rows.count)
        for row in rows {
            let (id, image, text, metadata) = try row.decode((String, Int64, Int64?, Int64).self)
            result[id] = RowFingerprint(
                image: UInt64(bitPattern: image), text: text.map { UInt64(bitPattern: $0) }, metadata: UInt64(bitPattern: metadata))
        }
        return result
    }

    /// The items table's oid (a store dropped and re-created is another table) and the store's
    /// generation, which every commit raises.
    public func changeToken() throws -> String {
        let rows = try session.query(
            """
            SELECT to_regclass(\(schema.items))::oid::bigint, (SELECT value FROM \(unescaped: schema.info) WHERE key = 'generation')
            """, "read the store's generation")
        guard let row = rows.first else { return "" }
        let (table, generation) = try row.decode((Int64?, String?).self)
        return "\(table ?? 0):\(generation ?? "")"
    }

    public func count() throws -> Int {
        let rows = try session.query("SELECT count(*) FROM \(unescaped: itemsTable)", "count rows")
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    public func commit(updates: [ItemUpdate], deletions: [String]) throws {
        try validate(updates)
        let rows = try PostgresRowBatch(updates)
        try session.transaction("commit a batch") { sql in
            let generation = try schema.nextGeneration(sql)
            try rows.write(sql, schema, generation: generation)
            if !deletions.isEmpty {
                try Self.delete(deletions, sql, schema, generation: generation, unlessClaimed: false)
            }
        }
    }

    /// Deletes `ids` (those no live claim holds, when `unlessClaimed`), leaving tombstones for readers.
    /// - Returns: how many rows went.
    @discardableResult
    static func delete(
        _ ids: [String], _ sql: PostgresSession.Transaction, _ schema: PostgresSchema, generation: Int64, unlessClaimed: Bool
    ) throws -> Int {
        let gone = try sql.query(
            """
            WITH gone AS (
                DELETE FROM \(unescaped: schema.items) i WHERE i.id = ANY(\(ids))
                    AND (NOT \(unlessClaimed) OR NOT EXISTS (
                        SELECT 1 FROM \(unescaped: schema.claims) k WHERE k.id = i.id AND k.expires >= now()))
                RETURNING i.id)
            INSERT INTO \(unescaped: schema.removed) (id, generation) SELECT id, \(generation) FROM gone
            ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation
            RETURNING id
            """, "prune \(ids.count) rows")
        return gone.count
    }
}
