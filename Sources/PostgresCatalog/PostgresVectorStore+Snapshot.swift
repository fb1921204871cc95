import EmbeddingCatalog
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresVectorStore {
    /// Every row ordered by id (bytes, as SQLite orders them), its vectors read in pgvector's binary
    /// form (`vector_send`: dimension, a reserved int16, then big-endian fp32) into two matrices.
    public func loadSnapshot() throws -> CatalogSnapshot {
        let builder = SnapshotBuilder(dimension: identity.dimension, location: location)
        try session.forEachRow(
            """
            SELECT id, text, metadata::text, vector_send(image_vector), vector_send(text_vector)
            FROM \(unescaped: itemsTable) ORDER BY id COLLATE "C"
            """, "read the store"
        ) { row in
            let (id, text, metadata, image, textVector) = try row.decode((String, String?, String, ByteBuffer, ByteBuffer?).self)
            try builder.append(id: id, text: text, metadata: metadata, image: image, textVector: textVector)
        }
        return try builder.snapshot(identity: identity)
    }

    /// Makes the caller the store's only writer: a session-level advisory lock on a connection of its
    /// own, held until the returned object goes (or its process dies: the server then drops the lock).
    /// Indexing workers (`joinIndexing`) hold the same lock shared, so each kind waits for the other.
    public func lockForWriting(waiting: () -> Void) throws -> AnyObject {
        let holder = try PostgresSession(address)
        try Self.advisoryLock(schema.lockKey("writer"), shared: false, on: holder, waiting: waiting)
        return holder
    }

    /// Takes a session-level advisory lock on `session`, calling `waiting` once if it must wait.
    /// Polled rather than a blocking pg_advisory_lock: each try has an answer in bounded time, so a
    /// server that goes away while we wait is noticed.
    static func advisoryLock(_ key: Int64, shared: Bool, on session: PostgresSession, waiting: () -> Void) throws {
        let attempt: PostgresQuery = shared ? "SELECT pg_try_advisory_lock_shared(\(key))" : "SELECT pg_try_advisory_lock(\(key))"
        if try session.query(attempt, "lock for writing").first?.decode(Bool.self) == true { return }
        waiting()
        while try session.query(attempt, "wait for the other writer").first?.decode(Bool.self) != true {
            Thread.sleep(forTimeInterval: 0.5)
        }
    }
}

/// Rows of a snapshot as they stream in from the server (on NIO's event loop, one at a time).
final class SnapshotBuilder: Sendable {
    struct State {
        var ids: [String] = []
        var texts: [String?] = []
        var metadata: [Metadata] = []
        var hasText: [Bool] = []
        var images: [Float] = []
        var textVectors: [Float] = []
    }

    let dimension: Int
    let location: String
    private let state = Mutex(State())

    init(dimension: Int, location: String) {
        self.dimension = dimension
        self.location = location
    }

    func append(id: String, text: String?, metadata json: String, image: ByteBuffer, textVector: ByteBuffer?) throws {
        let metadata: Metadata
        do {
            metadata = try FlatJSONObject.parse(json) ?? JSONDecoder().decode(Metadata.self, from: Data(json.utf8))
        } catch {
            throw CatalogError.storage(path: location, operation: "read metadata of '\(id)'", message: "not a JSON object: \(json)")
        }
        try state.withLock { state in
            let row = state.ids.count
            if let previous = state.ids.last, previous == id {
                throw CatalogError.storage(path: location, operation: "read", message: "store is damaged: id '\(id)' is stored twice")
            }
            try Self.append(image, to: &state.images, what: "stored image vector of '\(id)' in \(location)", dimension)
            if let textVector {
                if state.textVectors.count < row * dimension { state.textVectors += [Float](repeating: 0, count: row * dimension - state.textVectors.count) }
                try Self.append(textVector, to: &state.textVectors, what: "stored text vector of '\(id)' in \(location)", dimension)
            }
            state.ids.append(id)
            state.texts.append(text)
            state.metadata.append(metadata)
            state.hasText.append(textVector != nil)
        }
    }

    /// Appends one `vector_send` value's floats, checking its dimension.
    private static func append(_ buffer: ByteBuffer, to out: inout [Float], what: String, _ dimension: Int) throws {
        var buffer = buffer
        guard let count = buffer.readInteger(as: Int16.self), buffer.readInteger(as: Int16.self) != nil,
            Int(count) == dimension, buffer.readableBytes == dimension * 4
        else {
            throw CatalogError.dimensionMismatch(what: what, expected: dimension, found: max(0, buffer.readableBytes / 4))
        }
        // No reserveCapacity(count + dimension) here: reserving exactly one row more each time made
        // every row copy the whole matrix (200 000 × 512 took minutes); appends grow geometrically.
        for _ in 0..<dimension {
            out.append(Float(bitPattern: buffer.readInteger(endianness: .big, as: UInt32.self)!))
        }
    }

    func snapshot(identity: StoreIdentity) throws -> CatalogSnapshot {
        state.withLock { state in
            let n = state.ids.count, d = dimension
            var textVectors = state.textVectors
            if state.hasText.contains(true) {
                if textVectors.count < n * d { textVectors += [Float](repeating: 0, count: n * d - textVectors.count) }
            } else {
                textVectors = []
            }
            return CatalogSnapshot(
                identity: identity, ids: state.ids, imageVectors: state.images, textVectors: textVectors,
                hasText: state.hasText, texts: state.texts, metadata: state.metadata)
        }
    }
}
