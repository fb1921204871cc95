import EmbeddingCatalog
import Foundation
import PostgresNIO

/// The tables of one PostgreSQL store and its versioned layout, with the migrations from older ones.
///
/// Version 2 (current), for a store named NAME (`?table=NAME`, default `fashionclip`):
/// - `NAME_info(key, value)`: `schema_version`, `model`, `dimension`, and `generation`, a counter every
///   commit raises by one under the row's lock, so commits are ordered and a reader knows what changed;
/// - `NAME_items`: one row per product (fingerprint, text, `jsonb` metadata, `vector(D)` vectors) and
///   the `generation` of the commit that last wrote it;
/// - `NAME_removed(id, generation)`: rows pruned, for readers that reload only what changed;
/// - `NAME_claims(id, worker, expires)`: rows indexing workers hold (`SharedIndexingStore`).
///
/// Version 1 had only `info` and `items` (no generations, no claims); it is migrated on open.
struct PostgresSchema: Sendable {
    static let currentVersion = 2
    /// Versions this build migrates from.
    static let migratable = [1]

    /// The store's name, the prefix of its tables (`PostgresLocation.table`: lower-case letters, digits, _).
    let prefix: String
    let info: String
    let items: String
    let removed: String
    let claims: String

    init(table: String) {
        prefix = table
        info = "\"\(table)_info\""
        items = "\"\(table)_items\""
        removed = "\"\(table)_removed\""
        claims = "\"\(table)_claims\""
    }

    /// The advisory lock key of `purpose` for this store (the catalog's content hash of the name).
    func lockKey(_ purpose: String) -> Int64 {
        Int64(bitPattern: ContentHash.of(text: items + " " + purpose))
    }

    /// Creates the current layout's tables for `identity` (each only if absent).
    func create(_ sql: PostgresSession.Transaction, _ identity: StoreIdentity) throws {
        let d = String(identity.dimension)
        try sql.query("CREATE TABLE IF NOT EXISTS \(unescaped: info) (key text PRIMARY KEY, value text NOT NULL)", "create")
        try sql.query(
            """
            CREATE TABLE IF NOT EXISTS \(unescaped: items) (
                id text PRIMARY KEY, image_hash bigint NOT NULL, text_hash bigint, metadata_hash bigint NOT NULL,
                text text, metadata jsonb NOT NULL, image_vector vector(\(unescaped: d)) NOT NULL,
                text_vector vector(\(unescaped: d)), generation bigint NOT NULL DEFAULT 0)
            """, "create")
        try createVersion2Tables(sql)
        let values = [
            ("schema_version", String(Self.currentVersion)), ("model", identity.model), ("dimension", d), ("generation", "0")
        ]
        for (key, value) in values {
            try sql.query("INSERT INTO \(unescaped: info) (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO NOTHING", "create")
        }
    }

    private func createVersion2Tables(_ sql: PostgresSession.Transaction) throws {
        try sql.query("CREATE TABLE IF NOT EXISTS \(unescaped: removed) (id text PRIMARY KEY, generation bigint NOT NULL)", "create")
        try sql.query(
            "CREATE TABLE IF NOT EXISTS \(unescaped: claims) (id text PRIMARY KEY, worker text NOT NULL, expires timestamptz NOT NULL)",
            "create")
        try sql.query(
            "CREATE INDEX IF NOT EXISTS \(unescaped: "\"\(prefix)_items_generation\"") ON \(unescaped: items) (generation)",
            "create")
    }

    /// Brings a store of an older layout to the current one, in one transaction under the store's
    /// creation lock (workers opening an old store together migrate it once).
    /// - Returns: the version found before migrating (the current one if there was nothing to do).
    func migrate(_ session: PostgresSession, found: Int, location: String) throws -> Int {
        guard found != Self.currentVersion else { return found }
        guard Self.migratable.contains(found) else {
            throw CatalogError.storage(
                path: location, operation: "open",
                message: "schema version \(found), expected \(Self.currentVersion) (this build migrates from "
                    + "\(Self.migratable.map(String.init).joined(separator: ", ")))")
        }
        try session.transaction("migrate the store from schema version \(found)") { sql in
            try sql.query("SELECT pg_advisory_xact_lock(\(lockKey("create")))", "lock the store's layout")
            let now = try sql.query("SELECT value FROM \(unescaped: info) WHERE key = 'schema_version'", "read the version")
            guard try now.first?.decode(String.self) == String(found) else { return }  // another process migrated it
            // 1 → 2: generations, tombstones of pruned rows, indexing claims.
            try sql.query("ALTER TABLE \(unescaped: items) ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0", "migrate")
            try createVersion2Tables(sql)
            try sql.query("INSERT INTO \(unescaped: info) (key, value) VALUES ('generation', '0') ON CONFLICT (key) DO NOTHING", "migrate")
            try sql.query(
                "UPDATE \(unescaped: info) SET value = \(String(Self.currentVersion)) WHERE key = 'schema_version'", "migrate")
        }
        return found
    }

    /// Raises the store's generation inside `sql` and returns the new one. The row stays locked to
    /// the end of the transaction, so commits take generations in the order they become visible.
    func nextGeneration(_ sql: PostgresSession.Transaction) throws -> Int64 {
        let rows = try sql.query(
            "UPDATE \(unescaped: info) SET value = (value::bigint + 1)::text WHERE key = 'generation' RETURNING value::bigint",
            "raise the store's generation")
        guard let generation = try rows.first?.decode(Int64.self) else {
            throw CatalogError.storage(path: sql.location.description, operation: "commit", message: "store is damaged: its info lacks a generation")
        }
        return generation
    }
}
