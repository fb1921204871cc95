import EmbeddingCatalog
import Foundation
import Testing

@Suite struct IndexerTests {
    let embedder = DeterministicEmbedder()

    func open(_ folder: URL) throws -> SQLiteVectorStore {
        try SQLiteVectorStore(url: folder.appendingPathComponent("store.sqlite"), identity: embedder.storeIdentity)
    }

    @Test func indexesThenSkipsUnchangedRows() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 30, bad: [4, 17])
        let indexer = try CatalogIndexer(store: try open(folder), embedder: embedder, batchSize: 7)
        let reports = Reports()
        let first = try await indexer.run(try Catalog.load(url)) { reports.append($0) }
        #expect(first.added == 28)
        #expect(first.failures.map(\.id) == ["p0004", "p0017"])
        #expect(first.failures[0].reason.contains("not an image"))
        #expect(first.embeddedTexts == 19)  // rows 2, 5, 8 ... have no text; 4 and 17 failed
        #expect(reports.values.last == IndexProgress(completed: 30, total: 30, failed: 2, elapsed: reports.values.last!.elapsed))
        #expect(reports.values.map(\.phase) == [.fingerprinting] + [IndexProgress.Phase](repeating: .embedding, count: 5))
        #expect(reports.values[0].completed == 30 && reports.values[0].total == 30)

        let second = try await indexer.run(try Catalog.load(url))
        #expect(second.unchanged == 28 && second.added == 0 && second.embeddedImages == 0)
        #expect(second.failures.count == 2)  // the broken images are retried and fail again
        #expect(try open(folder).count() == 28)
    }

    @Test func storedVectorsAreTheNormalisedEmbeddings() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 5)
        let store = try open(folder)
        _ = try await CatalogIndexer(store: store, embedder: embedder).run(try Catalog.load(url))
        let snapshot = try store.loadSnapshot()
        #expect(snapshot.ids == ["p0000", "p0001", "p0002", "p0003", "p0004"])
        let expected = try await embedder.embedImages([folder.appendingPathComponent("images/item0001.jpg")])[0].get()
        #expect(snapshot.imageVector(row: 1) == VectorMath.normalized(expected)!)
        #expect(snapshot.hasText == [true, true, false, true, true])
        #expect(snapshot.textVector(row: 2) == nil)
        #expect(snapshot.metadata[3]["brand"] == .string("Zara, Inc."))
    }

    @Test func changesReembedOnlyWhatChangedAndPruneRemovesGoneRows() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 10)
        let store = try open(folder)
        let indexer = try CatalogIndexer(store: store, embedder: embedder, batchSize: 4)
        _ = try await indexer.run(try Catalog.load(url))
        var rows = try Catalog.load(url).rows
        try Data("new bytes".utf8).write(to: rows[0].image)  // image changed
        rows[1].text = "a new description"  // text changed
        rows[3].metadata["price"] = .string("1000")  // metadata only
        rows[4].text = nil  // text removed
        rows.remove(at: 9)  // gone
        let changed = Catalog(source: url, rows: rows)
        let summary = try await indexer.run(changed, prune: true)
        #expect(summary.reembedded == 3 && summary.metadataOnly == 1 && summary.unchanged == 5 && summary.pruned == 1)
        #expect(summary.embeddedImages == 1 && summary.embeddedTexts == 1)
        let snapshot = try store.loadSnapshot()
        #expect(snapshot.count == 9 && snapshot.rowOfID["p0009"] == nil)
        #expect(snapshot.metadata[3]["price"] == .string("1000"))
        #expect(snapshot.hasText[4] == false && snapshot.texts[4] == nil)
        #expect(snapshot.texts[1] == "a new description")
        let again = try await indexer.run(changed, prune: true)
        #expect(again.unchanged == 9 && again.pruned == 0)
    }

    @Test func missingImageIsReportedWithIDAndRunGoesOn() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 6)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("images/item0002.jpg"))
        let summary = try await CatalogIndexer(store: try open(folder), embedder: embedder).run(try Catalog.load(url))
        #expect(summary.added == 5)
        #expect(summary.failures.count == 1 && summary.failures[0].id == "p0002")
        #expect(summary.failures[0].reason.contains("item0002.jpg"))
    }

    @Test func storeRejectsAnotherModelOrDimension() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let path = folder.appendingPathComponent("store.sqlite")
        _ = try SQLiteVectorStore(url: path, identity: StoreIdentity(model: "m", dimension: 16))
        #expect(
            throws: CatalogError.modelMismatch(
                path: path.path, expected: StoreIdentity(model: "other", dimension: 16),
                found: StoreIdentity(model: "m", dimension: 16))
        ) {
            try SQLiteVectorStore(url: path, identity: StoreIdentity(model: "other", dimension: 16))
        }
        #expect(try SQLiteVectorStore(url: path, identity: nil).identity == StoreIdentity(model: "m", dimension: 16))
        #expect(throws: (any Error).self) { try SQLiteVectorStore(url: folder.appendingPathComponent("none"), identity: nil) }
        let store = try SQLiteVectorStore(url: path, identity: nil)
        let bad = ItemUpdate(
            id: "x", fingerprint: RowFingerprint(image: 1, text: nil, metadata: 2), text: nil,
            metadata: [:], imageVector: [1, 2], textVector: .remove)
        #expect(throws: CatalogError.dimensionMismatch(what: "image vector of 'x'", expected: 16, found: 2)) {
            try store.commit(updates: [bad], deletions: [])
        }
        #expect(try store.count() == 0)
    }
}

/// Collects progress reports from the indexer's callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [IndexProgress] = []
    func append(_ p: IndexProgress) {
        lock.lock()
        stored.append(p)
        lock.unlock()
    }
    var values: [IndexProgress] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
