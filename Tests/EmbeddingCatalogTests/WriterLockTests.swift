import EmbeddingCatalog
import Foundation
import Testing

/// Two index runs on one store: the second waits for the first (issue 19, item 17), so the store
/// never mixes rows of two catalog versions.
@Suite struct WriterLockTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    @Test func aSecondWriterWaitsForTheFirst() async throws {
        let embedder = DeterministicEmbedder()
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 8)
        let storeURL = folder.appendingPathComponent("store.sqlite")
        let first = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
        var held: AnyObject? = try first.lockForWriting { Issue.record("the first writer had to wait") }
        let second = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
        let waited = Flag(), finished = Flag()
        let catalog = try Catalog.load(url)
        let run = Task.detached {
            let summary = try await CatalogIndexer(store: second, embedder: embedder)
                .run(catalog, waitingForWriter: { waited.set() })
            finished.set()
            return summary
        }
        // The run waits while the lock is held…
        for _ in 0..<200 where !waited.isSet { try await Task.sleep(for: .milliseconds(10)) }
        #expect(waited.isSet)
        try await Task.sleep(for: .milliseconds(200))
        let during = try first.count()
        #expect(!finished.isSet && during == 0)
        // … and goes on once it is released.
        withExtendedLifetime(held) {}
        held = nil
        let summary = try await run.value
        let after = try first.count()
        #expect(summary.added == 8 && after == 8)
    }
}
