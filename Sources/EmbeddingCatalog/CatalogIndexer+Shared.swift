import Foundation

extension CatalogIndexer {
    /// Candidates offered per claim: enough that a worker finds free rows past those other workers
    /// just took, few enough that a claim stays a small statement on an 800K-row catalog.
    static func claimWindow(batchSize: Int) -> Int { max(4 * batchSize, 64) }

    /// Seconds between looks at rows other workers hold, once this worker has nothing else to do.
    static let heldRowPoll: UInt64 = 300_000_000

    /// The run on a shared store: every worker plans from the same catalog, then claims batches of
    /// what is left (starting at a place of its own, so workers that start together take different
    /// rows), embeds and commits them; rows held by other workers are looked at again until they
    /// are stored (by their holder) or free (their holder died and its lease expired). So when a
    /// worker ends, every row of its catalog is stored or failed, whoever did it.
    func runShared(
        _ shared: any SharedIndexingStore, _ catalog: Catalog, prune: Bool,
        progress: @Sendable (IndexProgress) -> Void, waitingForWriter: @escaping @Sendable () -> Void
    ) async throws -> IndexSummary {
        let lease = self.lease
        let worker = try await Self.offThePool { try shared.joinIndexing(lease: lease, waiting: waitingForWriter) }
        let start = Date()
        var summary = IndexSummary()
        let stored = try shared.fingerprints()
        let pending = try plan(catalog, stored: stored, into: &summary, progress: progress)

        // The queue, reversed so the next candidates are at its end; rotated by a random offset.
        let offset = pending.isEmpty ? 0 : Int.random(in: 0..<pending.count)
        var queue = Array((pending[offset...] + pending[..<offset]).reversed())
        var held: [PlannedRow] = []
        var report = IndexProgress(completed: 0, total: pending.count, failed: summary.failures.count, elapsed: 0)
        let embedStart = Date()
        let window = Self.claimWindow(batchSize: batchSize)
        while !queue.isEmpty || !held.isEmpty {
            try Task.checkCancellation()
            if queue.isEmpty {
                // Only rows other workers hold are left: wait for them to commit or their leases to expire.
                try await Task.sleep(nanoseconds: Self.heldRowPoll)
                queue = held.reversed()
                held = []
            }
            let candidates = Array(queue.suffix(window).reversed())
            queue.removeLast(candidates.count)
            let outcomes = try worker.claim(
                candidates.map { ClaimCandidate(id: $0.row.id, fingerprint: $0.fingerprint) }, limit: batchSize)
            guard outcomes.count == candidates.count else {
                throw CatalogError.storage(
                    path: shared.location, operation: "claim rows",
                    message: "\(outcomes.count) outcomes for \(candidates.count) candidates")
            }
            var batch: [PlannedRow] = []
            var skipped: [PlannedRow] = []
            for (row, outcome) in zip(candidates, outcomes) {
                switch outcome {
                case .claimed: batch.append(row)
                case .done: summary.byOtherWorkers += 1
                case .held: held.append(row)
                case .skipped: skipped.append(row)
                }
            }
            queue += skipped.reversed()
            report.completed += outcomes.filter { $0 == .done }.count
            if !batch.isEmpty {
                let (updates, failures) = try await embed(batch)
                let inserted = try worker.commit(updates, releasing: batch.map(\.row.id))
                Self.count(updates, of: batch, inserted: inserted, into: &summary)
                summary.failures += failures
                report.completed += batch.count
            }
            // Progress when something was done, not at every look at rows others hold.
            guard !batch.isEmpty || outcomes.contains(.done) else { continue }
            report.failed = summary.failures.count
            report.elapsed = Date().timeIntervalSince(embedStart)
            progress(report)
        }

        if prune {
            let present = Set(catalog.rows.map(\.id))
            let gone = stored.keys.filter { !present.contains($0) }.sorted()
            if !gone.isEmpty { summary.pruned = try worker.prune(gone) }
        }
        try worker.finish()
        summary.elapsed = Date().timeIntervalSince(start)
        return summary
    }
}
