// Test helper: indexes a catalog with the slow `DeterministicEmbedder`, printing one line per committed
// batch, so the crash-resume test can SIGKILL a real indexing process at any moment.
// Usage: catalog-index-helper CATALOG STORE BATCH_SIZE DELAY_MS
import EmbeddingCatalog
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 5, let batchSize = Int(arguments[3]), let delay = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: catalog-index-helper CATALOG STORE BATCH_SIZE DELAY_MS\n".utf8))
    exit(2)
}
do {
    let embedder = DeterministicEmbedder(delayPerBatch: .milliseconds(delay))
    let store = try SQLiteVectorStore(url: URL(fileURLWithPath: arguments[2]), identity: embedder.storeIdentity)
    let indexer = try CatalogIndexer(store: store, embedder: embedder, batchSize: batchSize)
    let summary = try await indexer.run(try Catalog.load(URL(fileURLWithPath: arguments[1]))) { progress in
        guard progress.phase == .embedding else { return }
        FileHandle.standardOutput.write(Data("committed \(progress.completed)/\(progress.total)\n".utf8))
    }
    FileHandle.standardOutput.write(Data("done \(summary.added) added, \(summary.failures.count) failed\n".utf8))
} catch {
    FileHandle.standardError.write(Data("catalog-index-helper: \(error)\n".utf8))
    exit(1)
}
