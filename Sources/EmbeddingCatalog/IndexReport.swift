import Foundation

/// Progress of an indexing run: while fingerprinting the catalog (every 256 rows), then after every
/// committed batch.
public struct IndexProgress: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Reading and hashing the catalog's images to find what changed; counts are catalog rows.
        case fingerprinting
        /// Embedding and storing the rows that changed; counts are those rows.
        case embedding
    }

    /// Rows that needed work and are done (committed or failed).
    public var completed: Int
    /// Rows that need work in this run (new or changed); unchanged rows are not counted.
    public var total: Int
    /// Rows that failed so far.
    public var failed: Int
    /// Seconds since the phase began.
    public var elapsed: Double
    public var phase: Phase = .embedding

    public init(completed: Int, total: Int, failed: Int, elapsed: Double, phase: Phase = .embedding) {
        self.completed = completed
        self.total = total
        self.failed = failed
        self.elapsed = elapsed
        self.phase = phase
    }

    /// Rows per second so far (0 before the first batch).
    public var rate: Double { elapsed > 0 ? Double(completed) / elapsed : 0 }

    /// Seconds left at the current rate, nil while unknown.
    public var estimatedRemaining: Double? {
        guard rate > 0 else { return nil }
        return Double(total - completed) / rate
    }
}

/// A row that could not be indexed, with the reason; the run goes on without it.
public struct IndexFailure: Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }

    public var description: String { "\(id): \(reason)" }
}

/// What an indexing run did.
public struct IndexSummary: Sendable, Equatable, CustomStringConvertible {
    /// Rows in the catalog.
    public var catalogRows = 0
    /// Rows already stored with the same image, text and metadata (not re-embedded).
    public var unchanged = 0
    /// New rows stored.
    public var added = 0
    /// Stored rows whose image or text changed and were re-embedded.
    public var reembedded = 0
    /// Stored rows whose metadata alone changed (no embedding).
    public var metadataOnly = 0
    /// On a shared store: rows that needed work when this run planned, which other workers indexed
    /// meanwhile (this run neither embedded nor wrote them).
    public var byOtherWorkers = 0
    /// Rows removed because they are gone from the catalog (`prune`).
    public var pruned = 0
    /// Rows that failed, with reasons. A failed row keeps its previously stored version, if any.
    public var failures: [IndexFailure] = []
    /// Images and texts sent to the embedder.
    public var embeddedImages = 0
    public var embeddedTexts = 0
    /// Seconds the whole run took.
    public var elapsed: Double = 0

    /// One line for the end of a CLI run.
    public var description: String {
        let seconds = String(format: "%.1f", elapsed)
        return "\(catalogRows) rows: \(added) added, \(reembedded) re-embedded, \(metadataOnly) metadata updated, "
            + "\(unchanged) unchanged, \(pruned) pruned, \(failures.count) failed"
            + (byOtherWorkers > 0 ? ", \(byOtherWorkers) by other workers" : "") + " in \(seconds) s"
    }
}
