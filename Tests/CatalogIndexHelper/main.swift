// Test helper: indexes a catalog with the slow `DeterministicEmbedder`, printing one line per committed
// batch, so the crash-resume and shared-worker tests can SIGKILL a real indexing process at any moment.
// Usage: catalog-index-helper CATALOG STORE BATCH_SIZE DELAY_MS [LEASE_S]
// STORE is a SQLite file, or a postgresql:// URL (a shared store: several helpers share the work).
import EmbeddingCatalog
import Foundation
import PostgresCatalog

let arguments = CommandLine.arguments
guard (5...6).contains(arguments.count), let batchSize = Int(arguments[3]), let delay = Int(arguments[4]),
    let lease = arguments.count == 6 ? Double(arguments[5]) : 60
else {
    FileHandle.standardError.write(Data("usage: catalog-index-helper CATALOG STORE BATCH_SIZE DELAY_MS [LEASE_S]\n".utf8))
    exit(2)
}
do {
    let embedder = DeterministicEmbedder(delayPerBatch: .milliseconds(delay))
    let store: any VectorStore =
        PostgresLocation.isPostgresURL(arguments[2])
        ? try PostgresVectorStore(address: try PostgresLocation(parsing: arguments[2]), identity: embedder.storeIdentity)
        : try SQLiteVectorStore(url: URL(fileURLWithPath: arguments[2]), identity: embedder.storeIdentity)
    var indexer = try CatalogIndexer(store: store, embedder: embedder, batchSize: batchSize)
    indexer.lease = lease
    let summary = try await indexer.run(try Catalog.load(URL(fileURLWithPath: arguments[1]))) { progress in
        guard progress.phase == .embedding else { return }
        FileHandle.standardOutput.write(Data("committed \(progress.completed)/\(progress.total)\n".utf8))
    }
    FileHandle.standardOutput.write(
        Data("done \(summary.added) added, \(summary.byOtherWorkers) by others, \(summary.failures.count) failed\n".utf8))
} catch {
    FileHandle.standardError.write(Data("catalog-index-helper: \(error)\n".utf8))
    exit(1)
}
