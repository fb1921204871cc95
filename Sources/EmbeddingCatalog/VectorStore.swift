import Foundation

/// Which model produced a store's vectors, and their length. A store only accepts vectors of its model.
public struct StoreIdentity: Sendable, Equatable, Codable {
    /// A name that identifies the model's weights (e.g. its folder name or hub id).
    public var model: String
    /// Length of every vector, e.g. 512.
    public var dimension: Int

    public init(model: String, dimension: Int) {
        self.model = model
        self.dimension = dimension
    }
}

/// A change to a stored text vector.
public enum TextVectorChange: Sendable, Equatable {
    /// Leave the stored text vector as it is.
    case keep
    /// The row has no text any more.
    case remove
    /// A new text vector, `[dimension]`.
    case set([Float])
}

/// One row written by the indexer: fingerprint, text and metadata always; vectors when they changed.
public struct ItemUpdate: Sendable, Equatable {
    public var id: String
    public var fingerprint: RowFingerprint
    public var text: String?
    public var metadata: Metadata
    /// A new image vector `[dimension]`, or `nil` to keep the stored one (required for a new row).
    public var imageVector: [Float]?
    public var textVector: TextVectorChange

    public init(id: String, fingerprint: RowFingerprint, text: String?, metadata: Metadata,
                imageVector: [Float]?, textVector: TextVectorChange) {
        self.id = id
        self.fingerprint = fingerprint
        self.text = text
        self.metadata = metadata
        self.imageVector = imageVector
        self.textVector = textVector
    }
}

/// Persistence of catalog rows and their vectors.
///
/// The embedded SQLite store (`SQLiteVectorStore`) is the default; a PostgreSQL backend for shared
/// deployments implements the same protocol. Implementations must make `commit` atomic: after a crash
/// at any moment, a reopened store holds either all of a commit or none of it.
public protocol VectorStore: AnyObject, Sendable {
    /// The model and dimension of the stored vectors.
    var identity: StoreIdentity { get }

    /// Where the store lives, for messages (a path or a connection description).
    var location: String { get }

    /// The fingerprint of every stored row, by id.
    func fingerprints() throws -> [String: RowFingerprint]

    /// Writes `updates` and deletes `deletions` in one atomic transaction.
    /// - Throws: `CatalogError.dimensionMismatch` / `.nonFiniteVector` before writing anything.
    func commit(updates: [ItemUpdate], deletions: [String]) throws

    /// Number of stored rows.
    func count() throws -> Int

    /// Every row, ordered by id, with its vectors in contiguous matrices.
    /// - Complexity: O(n · dimension); reads the whole store.
    func loadSnapshot() throws -> CatalogSnapshot

    /// Makes the caller the store's only writer until the returned lock is released (deinit), first
    /// calling `waiting` when another writer holds it: two index runs at once would otherwise each
    /// commit their own plan and leave rows of two catalog versions.
    func lockForWriting(waiting: () -> Void) throws -> AnyObject
}

extension VectorStore {
    /// Checks the vectors of `updates` against the store's dimension and for NaN/infinity.
    func validate(_ updates: [ItemUpdate]) throws {
        let dimension = identity.dimension
        for update in updates {
            if let v = update.imageVector { try Self.check(v, dimension, "image vector of '\(update.id)'") }
            if case let .set(v) = update.textVector { try Self.check(v, dimension, "text vector of '\(update.id)'") }
        }
    }

    static func check(_ v: [Float], _ dimension: Int, _ what: String) throws {
        guard v.count == dimension else {
            throw CatalogError.dimensionMismatch(what: what, expected: dimension, found: v.count)
        }
        guard v.allSatisfy({ $0.isFinite }) else { throw CatalogError.nonFiniteVector(what: what) }
    }
}
