import EmbeddingCatalog
import Foundation
import PostgresNIO
import Synchronization

extension PostgresVectorStore {
    /// Joins the store's indexing workers on a connection of the worker's own, holding the writer lock
    /// shared (so an exclusive writer waits for the workers, and they for it).
    public func joinIndexing(lease: Double, waiting: () -> Void) throws -> any IndexingWorker {
        guard lease.isFinite, lease >= 1 else {
            throw CatalogError.invalidQuery("lease \(lease) s: a claim must live at least 1 s")
        }
        let session = try PostgresSession(address)
        try Self.advisoryLock(schema.lockKey("writer"), shared: true, on: session, waiting: waiting)
        return PostgresIndexingWorker(session: session, schema: schema, store: self, lease: lease)
    }
}

/// One index run's membership of a PostgreSQL store's workers: claims rows in `NAME_claims` under a
/// lease measured by the database's clock (`now()`, so the workers' clocks need not agree), renews
/// them from a heartbeat thread every third of the lease while the run lives, and releases them with
/// each commit. A killed worker's rows come free when its lease runs out; its connection closing drops
/// its shared writer lock.
final class PostgresIndexingWorker: IndexingWorker, Sendable {
    let name: String
    let session: PostgresSession
    let schema: PostgresSchema
    let store: PostgresVectorStore
    let lease: Double
    private let stopped = Atomic<Bool>(false)

    init(session: PostgresSession, schema: PostgresSchema, store: PostgresVectorStore, lease: Double) {
        let host = ProcessInfo.processInfo.hostName
        name = "\(host):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
        self.session = session
        self.schema = schema
        self.store = store
        self.lease = lease
        let interval = lease / 3
        Thread.detachNewThread { [weak self] in
            while true {
                Thread.sleep(forTimeInterval: interval)
                guard let self, !self.stopped.load(ordering: .acquiring) else { return }
                // A failed renewal is not fatal here: the next claim or commit reports the database's state.
                try? self.renew()
            }
        }
    }

    deinit { stopped.store(true, ordering: .releasing) }

    private func renew() throws {
        try session.query(
            "UPDATE \(unescaped: schema.claims) SET expires = now() + make_interval(secs => \(lease)) WHERE worker = \(name)",
            "renew claims")
    }

    func claim(_ candidates: [ClaimCandidate], limit: Int) throws -> [ClaimOutcome] {
        guard !candidates.isEmpty else { return [] }
        let ids = candidates.map(\.id)
        let image = candidates.map { Int64(bitPattern: $0.fingerprint.image) }
        let text = candidates.map { Int64(bitPattern: $0.fingerprint.text ?? 0) }
        let hasText = candidates.map { $0.fingerprint.text != nil }
        let metadata = candidates.map { Int64(bitPattern: $0.fingerprint.metadata) }
        let rows = try session.transaction("claim rows") { sql in
            try sql.query(
                "UPDATE \(unescaped: schema.claims) SET expires = now() + make_interval(secs => \(lease)) WHERE worker = \(name)",
                "renew claims")
            return try sql.query(
                """
                WITH c AS (
                    SELECT * FROM unnest(\(ids)::text[], \(image)::int8[], \(text)::int8[], \(hasText)::bool[], \(metadata)::int8[])
                        WITH ORDINALITY AS c(id, ih, th, has_th, mh, ord)),
                s AS (
                    SELECT c.id, c.ord,
                        COALESCE(i.image_hash = c.ih AND i.metadata_hash = c.mh
                            AND i.text_hash IS NOT DISTINCT FROM (CASE WHEN c.has_th THEN c.th END), false) AS done,
                        EXISTS (SELECT 1 FROM \(unescaped: schema.claims) k
                            WHERE k.id = c.id AND k.worker <> \(name) AND k.expires >= now()) AS held
                    FROM c LEFT JOIN \(unescaped: schema.items) i ON i.id = c.id),
                taken AS (
                    INSERT INTO \(unescaped: schema.claims) AS k (id, worker, expires)
                    SELECT id, \(name), now() + make_interval(secs => \(lease)) FROM s
                    WHERE NOT done AND NOT held ORDER BY ord LIMIT \(Int64(limit))
                    ON CONFLICT (id) DO UPDATE SET worker = EXCLUDED.worker, expires = EXCLUDED.expires
                        WHERE k.expires < now() OR k.worker = EXCLUDED.worker
                    RETURNING k.id)
                SELECT s.ord, s.done, s.held, taken.id IS NOT NULL FROM s LEFT JOIN taken ON taken.id = s.id ORDER BY s.ord
                """, "claim \(candidates.count) rows")
        }
        var outcomes = [ClaimOutcome](repeating: .skipped, count: candidates.count)
        for row in rows {
            let (ord, done, held, claimed) = try row.decode((Int64, Bool, Bool, Bool).self)
            guard (1...Int64(candidates.count)).contains(ord) else { continue }
            outcomes[Int(ord) - 1] = claimed ? .claimed : done ? .done : held ? .held : .skipped
        }
        return outcomes
    }

    func commit(_ updates: [ItemUpdate], releasing released: [String]) throws -> Set<String> {
        try store.validate(updates)
        let batch = try PostgresRowBatch(updates)
        return try session.transaction("commit a batch") { sql in
            let generation = try schema.nextGeneration(sql)
            let inserted = try batch.write(sql, schema, generation: generation)
            try sql.query(
                "DELETE FROM \(unescaped: schema.claims) WHERE worker = \(name) AND id = ANY(\(released))", "release claims")
            return inserted
        }
    }

    func prune(_ ids: [String]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try session.transaction("prune") { sql in
            let generation = try schema.nextGeneration(sql)
            return try PostgresVectorStore.delete(ids, sql, schema, generation: generation, unlessClaimed: true)
        }
    }

    func finish() throws {
        stopped.store(true, ordering: .releasing)
        // This worker's claims, and any a dead worker left behind whose lease ran out.
        try session.query(
            "DELETE FROM \(unescaped: schema.claims) WHERE worker = \(name) OR expires < now()", "release claims")
        try session.query("SELECT pg_advisory_unlock_shared(\(schema.lockKey("writer")))", "leave the workers")
    }
}
