import Foundation

/// A store that several index runs fill at once, on one machine or many (the PostgreSQL store): instead
/// of one writer for a whole run (`VectorStore.lockForWriting`), each run joins as a worker and claims
/// rows in batches under a lease, so every row is embedded once and the work is shared.
///
/// What an implementation must keep:
/// - **A claim is exclusive while its lease lives**: two workers never both hold a row; a worker that
///   dies (even `kill -9`) loses only its claimed rows, which others take over once the lease expires.
/// - **Claims and commits are atomic**: `commit` writes the rows and releases their claims in one
///   transaction, so a row is never both committed and claimed, nor released without its update.
/// - **Exclusive writers are excluded**: while workers are joined, `lockForWriting` waits, and a worker
///   waits in `joinIndexing` while an exclusive writer holds the store.
public protocol SharedIndexingStore: VectorStore {
    /// Joins this store's workers for one run, first calling `waiting` when an exclusive writer holds it.
    /// - Parameter lease: seconds a claim lives without being renewed; the worker renews its claims
    ///   while it lives, so only a dead or stuck worker's claims expire.
    func joinIndexing(lease: Double, waiting: () -> Void) throws -> any IndexingWorker
}

/// A row a worker would like to index: its id and the fingerprint the worker's catalog gives it.
public struct ClaimCandidate: Sendable, Equatable {
    public var id: String
    public var fingerprint: RowFingerprint

    public init(id: String, fingerprint: RowFingerprint) {
        self.id = id
        self.fingerprint = fingerprint
    }
}

/// What became of one candidate of `IndexingWorker.claim`.
public enum ClaimOutcome: Sendable, Equatable {
    /// Now this worker's, until it commits it, releases it, or its lease expires.
    case claimed
    /// Already stored with the candidate's fingerprint: another worker indexed it since the plan.
    case done
    /// Another worker holds a live claim on it; ask again later.
    case held
    /// Not claimed this time (past the limit, or another worker claimed it at the same moment); ask again.
    case skipped
}

/// One run's membership of a shared store's workers; leaving (deinit or `finish`) releases its claims.
public protocol IndexingWorker: AnyObject, Sendable {
    /// A name for this worker in messages and in the store (host, process, a random part).
    var name: String { get }

    /// Claims at most `limit` of `candidates` that still need work and that no other worker holds,
    /// in their order, and renews this worker's other claims.
    /// - Returns: one outcome per candidate, in order.
    func claim(_ candidates: [ClaimCandidate], limit: Int) throws -> [ClaimOutcome]

    /// Writes `updates` and releases the claims of `released` (the batch's ids, failed rows included)
    /// in one transaction.
    /// - Returns: the ids of `updates` that were new rows (not stored before this commit), so each
    ///   worker counts only what it added even when a lease expired and two workers wrote one row.
    func commit(_ updates: [ItemUpdate], releasing released: [String]) throws -> Set<String>

    /// Deletes those of `ids` that no worker holds; returns how many rows went.
    func prune(_ ids: [String]) throws -> Int

    /// Releases every claim left and leaves the store's workers.
    func finish() throws
}
