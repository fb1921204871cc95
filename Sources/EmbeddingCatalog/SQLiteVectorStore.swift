import CSQLite
import Foundation
import Synchronization

/// The embedded default store: one SQLite file in WAL mode; vectors as little-endian fp32 blobs.
///
/// Each `commit` is one `BEGIN IMMEDIATE … COMMIT` transaction, so a process killed at any moment
/// loses at most the commit in flight and the file always reopens. `synchronous=NORMAL` keeps
/// committed transactions across a process kill (only an OS crash or power loss can drop the last
/// ones). Thread-safe: one connection behind a lock.
public final class SQLiteVectorStore: VectorStore, Sendable {
    public let identity: StoreIdentity
    public let location: String
    /// The one connection, used by one thread at a time.
    private let connection: Mutex<SQLiteDatabase>
    /// Commits made through this object (`PRAGMA data_version` counts only other connections').
    private let localCommits = Atomic<Int>(0)

    /// The layout written in `store_info.schema_version`.
    static let currentSchemaVersion = 1
    public var schemaVersion: Int { Self.currentSchemaVersion }
    /// The widest embedding a store may hold (CLIP's are 512 to 1280).
    static let maximumDimension = 65536

    /// Opens the store at `url`, creating it for `identity` when the file does not exist.
    ///
    /// - Parameter identity: the model in use; `nil` opens an existing store with whatever it holds
    ///   (for searches by `--like` that need no model).
    /// - Throws: `CatalogError.modelMismatch` when the store was built by another model or dimension;
    ///   `.storage` when the file is not a store or does not exist and `identity` is nil.
    public init(url: URL, identity: StoreIdentity?) throws {
        let path = url.path
        location = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && identity == nil {
            throw CatalogError.storage(path: path, operation: "open", message: "no such store; run `index` first")
        }
        let database = try SQLiteDatabase(path: path, create: identity != nil)
        // 16 KiB pages hold a row's two 2 KiB vectors without overflow chains (only effective when the
        // file is created); memory-mapped reads avoid copying pages on open.
        try database.execute("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1099511627776;")
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS store_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS items(
                id TEXT PRIMARY KEY NOT NULL,
                image_hash INTEGER NOT NULL,
                text_hash INTEGER,
                metadata_hash INTEGER NOT NULL,
                text TEXT,
                metadata TEXT NOT NULL,
                image_vector BLOB NOT NULL,
                text_vector BLOB);
            """)
        let stored = try Self.readInfo(database)
        if let stored {
            if let identity, identity != stored {
                throw CatalogError.modelMismatch(path: path, expected: identity, found: stored)
            }
            self.identity = stored
        } else if let identity {
            try database.transaction {
                let insert = try database.prepare("INSERT INTO store_info(key, value) VALUES (?, ?)")
                for (key, value) in [
                    ("schema_version", String(Self.currentSchemaVersion)), ("model", identity.model),
                    ("dimension", String(identity.dimension))
                ] {
                    insert.reset()
                    insert.bind(1, key)
                    insert.bind(2, value)
                    try insert.step()
                }
            }
            self.identity = identity
        } else {
            throw CatalogError.storage(path: path, operation: "open", message: "file holds no store_info; not a catalog store")
        }
        connection = Mutex(database)
    }

    private static func readInfo(_ db: SQLiteDatabase) throws -> StoreIdentity? {
        let select = try db.prepare("SELECT key, value FROM store_info")
        var info: [String: String] = [:]
        while try select.step() { info[select.string(0) ?? ""] = select.string(1) ?? "" }
        if info.isEmpty { return nil }
        guard info["schema_version"] == String(currentSchemaVersion) else {
            throw CatalogError.storage(
                path: db.path, operation: "open",
                message: "schema version \(info["schema_version"] ?? "none"), expected \(currentSchemaVersion)")
        }
        guard let model = info["model"], let dimension = info["dimension"].flatMap(Int.init), dimension > 0 else {
            throw CatalogError.storage(path: db.path, operation: "open", message: "store_info lacks model or dimension")
        }
        guard dimension <= maximumDimension else {
            throw CatalogError.storage(
                path: db.path, operation: "open",
                message: "store is damaged: dimension \(dimension) is no embedding width (at most \(maximumDimension))")
        }
        return StoreIdentity(model: model, dimension: dimension)
    }

    /// Runs `body` with the connection, holding the lock.
    func withDatabase<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try connection.withLock { database in try body(database) }
    }

    public func fingerprints() throws -> [String: RowFingerprint] {
        try withDatabase { database in
            let select = try database.prepare("SELECT id, image_hash, text_hash, metadata_hash FROM items")
            var result: [String: RowFingerprint] = [:]
            while try select.step() {
                let text = select.isNull(2) ? nil : UInt64(bitPattern: select.int64(2))
                result[select.string(0) ?? ""] = RowFingerprint(
                    image: UInt64(bitPattern: select.int64(1)), text: text, metadata: UInt64(bitPattern: select.int64(3)))
            }
            return result
        }
    }

    /// The file's identity (device, inode: a store re-created or moved in place is another file) and
    /// SQLite's `data_version`, which this connection sees change whenever another connection commits;
    /// this process's own commits count through `localCommits`.
    public func changeToken() throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: location)
        let file = "\(attributes?[.systemNumber] ?? 0):\(attributes?[.systemFileNumber] ?? 0)"
        let version = try withDatabase { db -> Int64 in
            let statement = try db.prepare("PRAGMA data_version")
            guard try statement.step() else { return 0 }
            return statement.int64(0)
        }
        return "\(file):\(version):\(localCommits.load(ordering: .acquiring))"
    }

    public func count() throws -> Int {
        try withDatabase { database in
            let select = try database.prepare("SELECT COUNT(*) FROM items")
            try select.step()
            return Int(select.int64(0))
        }
    }

    public func commit(updates: [ItemUpdate], deletions: [String]) throws {
        try validate(updates)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadataJSON = try updates.map { String(decoding: try encoder.encode($0.metadata), as: UTF8.self) }
        try withDatabase { database in
            try database.transaction {
                let upsert = try database.prepare(
                    """
                    INSERT INTO items(id, image_hash, text_hash, metadata_hash, text, metadata, image_vector)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(?7, x''))
                    ON CONFLICT(id) DO UPDATE SET image_hash = ?2, text_hash = ?3, metadata_hash = ?4,
                        text = ?5, metadata = ?6, image_vector = COALESCE(?7, image_vector)
                    """)
                let setText = try database.prepare("UPDATE items SET text_vector = ?2 WHERE id = ?1")
                for (update, json) in zip(updates, metadataJSON) {
                    upsert.reset()
                    upsert.bind(1, update.id)
                    upsert.bind(2, Int64(bitPattern: update.fingerprint.image))
                    upsert.bind(3, update.fingerprint.text.map { Int64(bitPattern: $0) })
                    upsert.bind(4, Int64(bitPattern: update.fingerprint.metadata))
                    upsert.bind(5, update.text)
                    upsert.bind(6, json)
                    upsert.bind(7, vector: update.imageVector)
                    try upsert.step()
                    switch update.textVector {
                    case .keep: continue
                    case .remove:
                        setText.reset()
                        setText.bind(1, update.id)
                        setText.bind(2, vector: nil)
                    case let .set(v):
                        setText.reset()
                        setText.bind(1, update.id)
                        setText.bind(2, vector: v)
                    }
                    try setText.step()
                }
                let delete = try database.prepare("DELETE FROM items WHERE id = ?")
                for id in deletions {
                    delete.reset()
                    delete.bind(1, id)
                    try delete.step()
                }
            }
        }
        localCommits.add(1, ordering: .releasing)
    }
}
