import Foundation
import TensorKernels

/// Builds or updates a store from a catalog: embeds what is new or changed, in batches, each batch
/// committed atomically, so an interrupted run (even `kill -9`) resumes where it stopped.
///
/// A row is compared with its stored version by fingerprint (`RowFingerprint`): a changed image is
/// re-embedded, a changed text re-embedded, changed metadata rewritten without embedding, an
/// unchanged row skipped. Vectors are L2-normalised before they are stored.
public struct CatalogIndexer: Sendable {
    public let store: any VectorStore
    public let embedder: any CatalogEmbedder
    /// Rows per embedding call and per transaction.
    public var batchSize: Int
    /// On a shared store (`SharedIndexingStore`): seconds a claimed batch stays this run's without
    /// renewal (the run renews its claims while it lives); a killed run's batch is taken over after it.
    public var lease: Double = 60

    /// - Throws: `CatalogError.modelMismatch` when the embedder's model or dimension is not the store's.
    public init(store: any VectorStore, embedder: any CatalogEmbedder, batchSize: Int = 32) throws {
        precondition(batchSize > 0, "CatalogIndexer: batchSize must be positive")
        guard store.identity == embedder.storeIdentity else {
            throw CatalogError.modelMismatch(path: store.location, expected: embedder.storeIdentity, found: store.identity)
        }
        self.store = store
        self.embedder = embedder
        self.batchSize = batchSize
    }

    /// `body` (a store's lock or join) on a thread of its own: the wait for another writer blocks, and
    /// on a two-core machine two blocked waits took both threads of Swift's cooperative pool, so the
    /// holders could never run to let go.
    static func offThePool<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    /// Indexes `catalog` into the store.
    ///
    /// - Parameters:
    ///   - prune: also delete stored rows whose id is no longer in the catalog (one transaction, at the end).
    ///   - waitingForWriter: called when another process (or caller) is indexing into the same store;
    ///     the run then waits for it to finish.
    ///   - progress: called every 256 rows while fingerprinting (on all cores), then after each
    ///     committed batch.
    /// - Returns: counts and the failed rows (id + reason); failures do not stop the run.
    /// - Throws: store errors, embedder errors that fail a whole batch, `CancellationError`.
    public func run(
        _ catalog: Catalog, prune: Bool = false,
        progress: @Sendable (IndexProgress) -> Void = { _ in },
        waitingForWriter: @escaping @Sendable () -> Void = {}
    ) async throws -> IndexSummary {
        if let shared = store as? any SharedIndexingStore {
            return try await runShared(shared, catalog, prune: prune, progress: progress, waitingForWriter: waitingForWriter)
        }
        // One writer at a time, from the plan to the last commit (the plan reads what is stored).
        let store = self.store
        let writer = try await Self.offThePool { try store.lockForWriting(waiting: waitingForWriter) }
        defer { withExtendedLifetime(writer) {} }
        let start = Date()
        var summary = IndexSummary()
        let stored = try store.fingerprints()
        let pending = try plan(catalog, stored: stored, into: &summary, progress: progress)

        var report = IndexProgress(completed: 0, total: pending.count, failed: summary.failures.count, elapsed: 0)
        let embedStart = Date()
        var offset = 0
        while offset < pending.count {
            try Task.checkCancellation()
            let batch = Array(pending[offset..<min(offset + batchSize, pending.count)])
            offset += batch.count
            let (updates, failures) = try await embed(batch)
            try store.commit(updates: updates, deletions: [])
            Self.count(updates, of: batch, inserted: nil, into: &summary)
            summary.failures += failures
            report.completed += batch.count
            report.failed = summary.failures.count
            report.elapsed = Date().timeIntervalSince(embedStart)
            progress(report)
        }

        if prune {
            let present = Set(catalog.rows.map(\.id))
            let gone = stored.keys.filter { !present.contains($0) }.sorted()
            if !gone.isEmpty { try store.commit(updates: [], deletions: gone) }
            summary.pruned = gone.count
        }
        summary.elapsed = Date().timeIntervalSince(start)
        return summary
    }

    /// Fingerprints every catalog row (reading the image bytes) and keeps those that need work;
    /// unchanged rows and unreadable images are counted in `summary`.
    func plan(
        _ catalog: Catalog, stored: [String: RowFingerprint], into summary: inout IndexSummary,
        progress: @Sendable (IndexProgress) -> Void
    ) throws -> [PlannedRow] {
        let start = Date()
        summary.catalogRows = catalog.rows.count
        var pending: [PlannedRow] = []
        var scan = IndexProgress(completed: 0, total: catalog.rows.count, failed: 0, elapsed: 0, phase: .fingerprinting)
        let rows = catalog.rows
        for chunkStart in stride(from: 0, to: rows.count, by: 256) {
            try Task.checkCancellation()
            let chunk = chunkStart..<min(chunkStart + 256, rows.count)
            for (row, result) in zip(rows[chunk], Self.fingerprints(rows[chunk])) {
                let fingerprint: RowFingerprint
                do { fingerprint = try result.get() } catch {
                    summary.failures.append(IndexFailure(id: row.id, reason: "cannot read image \(row.image.path): \(error.localizedDescription)"))
                    continue
                }
                let old = stored[row.id]
                if old == fingerprint {
                    summary.unchanged += 1
                    continue
                }
                pending.append(PlannedRow(row: row, fingerprint: fingerprint, stored: old))
            }
            scan.completed = chunk.upperBound
            scan.failed = summary.failures.count
            scan.elapsed = Date().timeIntervalSince(start)
            progress(scan)
        }
        return pending
    }

    /// Counts a committed batch: new rows (those in `inserted` when the store says which were new,
    /// else those the plan found absent), re-embedded rows and metadata-only rows.
    static func count(_ updates: [ItemUpdate], of batch: [PlannedRow], inserted: Set<String>?, into summary: inout IndexSummary) {
        let planned = Dictionary(batch.map { ($0.row.id, $0) }, uniquingKeysWith: { first, _ in first })
        for update in updates {
            let isNew = inserted.map { $0.contains(update.id) } ?? (planned[update.id]?.stored == nil)
            if isNew {
                summary.added += 1
            } else if update.imageVector != nil || update.textVector != .keep {
                summary.reembedded += 1
            } else {
                summary.metadataOnly += 1
            }
            if update.imageVector != nil { summary.embeddedImages += 1 }
            if case .set = update.textVector { summary.embeddedTexts += 1 }
        }
    }

    /// Fingerprints of `rows`, in order, computed on all cores (reading and hashing the image files).
    static func fingerprints(_ rows: ArraySlice<CatalogRow>) -> [Result<RowFingerprint, Error>] {
        let rows = Array(rows)
        let results = SliceResults<Result<RowFingerprint, Error>>(count: rows.count)
        Kernels.forEachSlice(rows.count) { i in results.store(Result { try fingerprint(rows[i]) }, at: i) }
        return results.values.map { $0! }
    }

    /// The fingerprint of a catalog row: FNV-1a 64 of the image bytes, the text and the metadata.
    public static func fingerprint(_ row: CatalogRow) throws -> RowFingerprint {
        // Through FileHandle: Foundation's Data(contentsOf:) leaks 4 KB on each read of an empty file.
        let handle = try FileHandle(forReadingFrom: row.image)
        defer { try? handle.close() }
        let bytes = try handle.readToEnd() ?? Data()
        return RowFingerprint(
            image: ContentHash.of(bytes: bytes), text: row.text.map(ContentHash.of(text:)),
            metadata: ContentHash.of(metadata: row.metadata))
    }

    /// Embeds what each row of `batch` needs; returns the updates to commit and the rows that failed.
    func embed(_ batch: [PlannedRow]) async throws -> ([ItemUpdate], [IndexFailure]) {
        let imageRows = batch.indices.filter { batch[$0].needsImage }
        let textRows = batch.indices.filter { batch[$0].needsText }
        let images = imageRows.isEmpty ? [] : try await embedder.embedImages(imageRows.map { batch[$0].row.image })
        guard images.count == imageRows.count else {
            throw CatalogError.embedderContract(expected: imageRows.count, found: images.count)
        }
        let texts = textRows.isEmpty ? [] : try await embedder.embedTexts(textRows.map { batch[$0].row.text! })
        guard texts.count == textRows.count else {
            throw CatalogError.embedderContract(expected: textRows.count, found: texts.count)
        }
        var imageVector: [Int: [Float]] = [:]
        var failure: [Int: String] = [:]
        for (i, result) in zip(imageRows, images) {
            switch result {
            case let .success(v): imageVector[i] = try normalized(v, "image vector of '\(batch[i].row.id)'", &failure, i)
            case let .failure(error): failure[i] = "image \(batch[i].row.image.path): \(error.localizedDescription)"
            }
        }
        var textVector: [Int: [Float]] = [:]
        for (i, v) in zip(textRows, texts) where failure[i] == nil {
            textVector[i] = try normalized(v, "text vector of '\(batch[i].row.id)'", &failure, i)
        }
        var updates: [ItemUpdate] = []
        var failures: [IndexFailure] = []
        for (i, planned) in batch.enumerated() {
            if let reason = failure[i] {
                failures.append(IndexFailure(id: planned.row.id, reason: reason))
                continue
            }
            let textChange: TextVectorChange
            if let v = textVector[i] { textChange = .set(v) } else if planned.row.text == nil { textChange = .remove } else { textChange = .keep }
            updates.append(
                ItemUpdate(
                    id: planned.row.id, fingerprint: planned.fingerprint, text: planned.row.text,
                    metadata: planned.row.metadata, imageVector: imageVector[i], textVector: textChange))
        }
        return (updates, failures)
    }

    /// Normalises `v`; a wrong length throws (the embedder is broken), a zero or NaN vector fails the row.
    private func normalized(_ v: [Float], _ what: String, _ failure: inout [Int: String], _ i: Int) throws -> [Float]? {
        guard v.count == store.identity.dimension else {
            throw CatalogError.dimensionMismatch(what: what, expected: store.identity.dimension, found: v.count)
        }
        guard let n = VectorMath.normalized(v) else {
            failure[i] = "\(what) is zero or not finite"
            return nil
        }
        return n
    }
}

/// A catalog row that needs work, with its new and stored fingerprints.
struct PlannedRow: Sendable {
    let row: CatalogRow
    let fingerprint: RowFingerprint
    let stored: RowFingerprint?

    var needsImage: Bool { stored?.image != fingerprint.image }
    var needsText: Bool { fingerprint.text != nil && stored?.text != fingerprint.text }
}
