import EmbeddingCatalog
import Foundation

/// Writes `rows` rows of 512-dim image + text vectors and four metadata fields into a fresh SQLite
/// store in batches of 1,000 transactions, then times opening it into a snapshot.
func storeBenchmark(rows: Int) throws {
    let dim = 512
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-bench-\(UUID().uuidString).sqlite")
    defer {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
    }
    let store = try SQLiteVectorStore(url: url, identity: StoreIdentity(model: "bench", dimension: dim))
    let vector = (0..<dim).map { Float($0 % 7) - 3 }
    var start = Date()
    for batchStart in stride(from: 0, to: rows, by: 1000) {
        let updates = (batchStart..<min(batchStart + 1000, rows)).map { i in
            ItemUpdate(
                id: String(format: "item%08d", i), fingerprint: RowFingerprint(image: UInt64(i), text: 1, metadata: 2),
                text: "stripes, long sleeves, 80s style t-shirt \(i)",
                metadata: [
                    "brand": .string("Armani"), "category": .string("t-shirt"), "price": .number(Double(i % 300)),
                    "colour": .string("blue")
                ],
                imageVector: vector, textVector: .set(vector))
        }
        try store.commit(updates: updates, deletions: [])
    }
    let write = Date().timeIntervalSince(start)
    start = Date()
    let snapshot = try SQLiteVectorStore(url: url, identity: nil).loadSnapshot()
    let open = Date().timeIntervalSince(start)
    print(
        String(
            format: "store: %d rows × 2 vectors × %d: write %.1f s (%.0f rows/s), open into a snapshot %.2f s (%.0f rows/s)",
            snapshot.count, dim, write, Double(rows) / write, open, Double(rows) / open))
}
