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

    public init(
        id: String, fingerprint: RowFingerprint, text: String?, metadata: Metadata,
        imageVector: [Float]?, textVector: TextVectorChange
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.text = text
        self.metadata = metadata
        self.imageVector = imageVector
        self.textVector = textVector
    }
}

/// The seam between the catalog and its persistence: everything indexing, search, evaluation and the
/// server ask of a store. Indexing (`CatalogIndexer`) plans from `fingerprints()` and writes with
/// `commit`; search reads one `loadSnapshot()`; nothing else touches the store.
///
/// `SQLiteVectorStore` (one file, embedded) implements it; a store that outgrows one machine implements
/// it too and is opened by location beside it (`StoreLocation` in `FashionCLIPCatalog`), with no change to
/// the code above. See docs/ARCHITECTURE.md, "Adding a store". What an implementation must keep:
/// - **Identity**: a store is created for one `StoreIdentity` and refuses (`CatalogError.modelMismatch`)
///   to open for another, so vectors of two models never mix.
/// - **Schema version**: a store written by another layout is refused on open, naming both versions.
/// - **Atomic batches**: after a crash at any moment a reopened store holds either all of a `commit`
///   or none of it; pruning (deletions) goes through the same `commit`.
/// - **One writer**: `lockForWriting` excludes other writers, in other processes too, for a whole run.
public protocol VectorStore: AnyObject, Sendable {
    /// The model and dimension of the stored vectors.
    var identity: StoreIdentity { get }

    /// The version of the layout this store reads and writes (a store of another version is refused).
    var schemaVersion: Int { get }

    /// Where the store lives, for messages (a path or a connection description).
    var location: String { get }

    /// The fingerprint of every stored row, by id.
    func fingerprints() throws -> [String: RowFingerprint]

    /// Writes `updates` (new and changed rows) and deletes `deletions` (rows gone from the catalog:
    /// pruning) in one atomic transaction.
    /// - Throws: `CatalogError.dimensionMismatch` / `.nonFiniteVector` before writing anything.
    func commit(updates: [ItemUpdate], deletions: [String]) throws

    /// Number of stored rows.
    func count() throws -> Int

    /// Every row, ordered by id, with its vectors in contiguous matrices (what search scans).
    /// - Complexity: O(n · dimension); reads the whole store.
    func loadSnapshot() throws -> CatalogSnapshot

    /// A value that changes whenever a commit lands in the store, from this process or any other (and
    /// when the store is replaced): a server polls it and reloads its snapshot when it changed.
    /// Cheap: one small read.
    func changeToken() throws -> String

    /// Makes the caller the store's only writer until the returned lock is released (deinit), first
    /// calling `waiting` when another writer holds it: two index runs at once would otherwise each
    /// commit their own plan and leave rows of two catalog versions.
    func lockForWriting(waiting: () -> Void) throws -> AnyObject

    /// The store's own approximate index, when it has one (PostgreSQL with `store hnsw`'s index), for
    /// searches to rank through; nil: rank the snapshot exactly. SQLite has none.
    func approximateIndex() throws -> (any ApproximateSearching)?
}

extension VectorStore {
    /// None: stores without an index of their own rank their snapshot exactly.
    public func approximateIndex() throws -> (any ApproximateSearching)? { nil }

    /// Checks the vectors of `updates` against the store's dimension and for NaN/infinity.
    package func validate(_ updates: [ItemUpdate]) throws {
        let dimension = identity.dimension
        for update in updates {
            if let v = update.imageVector { try Self.check(v, dimension, "image vector of '\(update.id)'") }
            if case let .set(v) = update.textVector { try Self.check(v, dimension, "text vector of '\(update.id)'") }
        }
    }

    package static func check(_ v: [Float], _ dimension: Int, _ what: String) throws {
        guard v.count == dimension else {
            throw CatalogError.dimensionMismatch(what: what, expected: dimension, found: v.count)
        }
        guard v.allSatisfy({ $0.isFinite }) else { throw CatalogError.nonFiniteVector(what: what) }
    }
}
