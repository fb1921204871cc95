import Foundation

/// Copies one store into another, of any kind (SQLite ↔ PostgreSQL): ids, texts, metadata, both
/// vectors bit for bit, and the rows' fingerprints, so indexing the copy with the same catalog finds
/// every row unchanged. A user starts embedded and moves to the shared store without re-embedding.
public struct StoreCopier: Sendable {
    public let source: any VectorStore
    public let destination: any VectorStore
    /// Rows per transaction in the destination.
    public var batchSize: Int

    /// - Throws: `CatalogError.modelMismatch` when the destination holds another model's vectors.
    public init(from source: any VectorStore, to destination: any VectorStore, batchSize: Int = 512) throws {
        precondition(batchSize > 0, "StoreCopier: batchSize must be positive")
        guard source.identity == destination.identity else {
            throw CatalogError.modelMismatch(path: destination.location, expected: source.identity, found: destination.identity)
        }
        self.source = source
        self.destination = destination
        self.batchSize = batchSize
    }

    /// Copies every row, holding both stores' writer locks (the source must not change under the
    /// copy; nothing else may write the destination meanwhile). Each batch is one destination
    /// transaction: an interrupted copy leaves whole batches, and is refused again as non-empty.
    /// - Parameter progress: rows copied so far, after each batch.
    /// - Returns: the number of rows copied.
    /// - Throws: `CatalogError.storage` when the destination already holds rows (naming it and how many).
    public func copy(progress: (Int) -> Void = { _ in }) throws -> Int {
        let sourceLock = try source.lockForWriting(waiting: {})
        let destinationLock = try destination.lockForWriting(waiting: {})
        defer { withExtendedLifetime((sourceLock, destinationLock)) {} }
        let existing = try destination.count()
        guard existing == 0 else {
            throw CatalogError.storage(
                path: destination.location, operation: "copy into",
                message: "the store already holds \(existing) rows; copy into a new or empty store")
        }
        let fingerprints = try source.fingerprints()
        let snapshot = try source.loadSnapshot()
        guard fingerprints.count == snapshot.count else {
            throw CatalogError.storage(
                path: source.location, operation: "copy",
                message: "\(fingerprints.count) fingerprints for \(snapshot.count) rows: the store changed during the copy")
        }
        let d = snapshot.identity.dimension
        var copied = 0
        for start in stride(from: 0, to: snapshot.count, by: batchSize) {
            let rows = start..<min(start + batchSize, snapshot.count)
            let updates = try rows.map { r -> ItemUpdate in
                let id = snapshot.ids[r]
                guard let fingerprint = fingerprints[id] else {
                    throw CatalogError.storage(path: source.location, operation: "copy", message: "row '\(id)' has no fingerprint")
                }
                let text: TextVectorChange = snapshot.hasText[r] ? .set(Array(snapshot.textVectors[r * d..<(r + 1) * d])) : .remove
                return ItemUpdate(
                    id: id, fingerprint: fingerprint, text: snapshot.texts[r], metadata: snapshot.metadata[r],
                    imageVector: Array(snapshot.imageVectors[r * d..<(r + 1) * d]), textVector: text)
            }
            try destination.commit(updates: updates, deletions: [])
            copied += updates.count
            progress(copied)
        }
        return copied
    }
}
