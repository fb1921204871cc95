import EmbeddingCatalog
import Foundation
import Synchronization
import Testing

@testable import PostgresCatalog

#if canImport(Glibc)
import Glibc
#endif

/// Several index runs on one PostgreSQL store at once (issue 23): they share the work (every row
/// embedded once, the "added" counts sum to the catalog), a SIGKILLed worker loses only its claimed
/// batch, which the others take over when its lease runs out, and the store ends equal to what one
/// process writes into SQLite.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, "\(PostgresTestDatabase.howToRun)"))
struct SharedIndexingTests {
    static let embedder = DeterministicEmbedder(delayPerBatch: .milliseconds(15))

    /// What one uninterrupted process writes into SQLite for `catalog`.
    static func reference(_ catalog: URL, in folder: URL, prune: Bool = false, into name: String = "reference.sqlite") async throws
        -> CatalogSnapshot
    {
        let store = try SQLiteVectorStore(url: folder.appendingPathComponent(name), identity: embedder.storeIdentity)
        _ = try await CatalogIndexer(store: store, embedder: DeterministicEmbedder(), batchSize: 64)
            .run(try Catalog.load(catalog), prune: prune)
        return try store.loadSnapshot()
    }

    static func expectEqual(_ a: CatalogSnapshot, _ b: CatalogSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.ids == b.ids, sourceLocation: sourceLocation)
        #expect(a.imageVectors == b.imageVectors, "image vectors differ", sourceLocation: sourceLocation)
        #expect(a.textVectors == b.textVectors, "text vectors differ", sourceLocation: sourceLocation)
        #expect(a.hasText == b.hasText && a.texts == b.texts && a.metadata == b.metadata, sourceLocation: sourceLocation)
    }

    /// Three indexers at once in this process, each with a store connection of its own.
    static func runWorkers(_ count: Int, _ catalog: Catalog, at location: PostgresLocation, prune: Bool = false) async throws
        -> [IndexSummary]
    {
        try await withThrowingTaskGroup(of: IndexSummary.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let store = try PostgresVectorStore(address: location, identity: embedder.storeIdentity)
                    return try await CatalogIndexer(store: store, embedder: embedder, batchSize: 6).run(catalog, prune: prune)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func threeWorkersShareTheWorkAndPruneOnce() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalogURL = try TestCatalogs.writeCSV(in: folder, count: 240, bad: [33])
        let location = try PostgresTestDatabase.freshLocation()

        let first = try await Self.runWorkers(3, try Catalog.load(catalogURL), at: location)
        #expect(first.map(\.added).reduce(0, +) == 239, "\(first)")
        #expect(first.filter { $0.added > 0 }.count >= 2, "the work was not shared: \(first.map(\.added))")
        for summary in first {
            #expect(summary.failures.map(\.id) == ["p0033"])
            #expect(summary.added + summary.reembedded + summary.byOtherWorkers + summary.failures.count == 240, "\(summary)")
        }
        let store = try PostgresVectorStore(address: location, identity: Self.embedder.storeIdentity)
        Self.expectEqual(try store.loadSnapshot(), try await Self.reference(catalogURL, in: folder))
        #expect(try store.session.query("SELECT count(*) FROM \(unescaped: store.schema.claims)", "count").first?.decode(Int64.self) == 0)

        // Again: nothing to do. Then 30 rows gone and 5 changed, pruned by three workers at once.
        let again = try await Self.runWorkers(3, try Catalog.load(catalogURL), at: location)
        #expect(again.allSatisfy { $0.unchanged == 239 && $0.added == 0 && $0.byOtherWorkers == 0 }, "\(again)")
        let changed = try TestCatalogs.writeCSV(in: folder, count: 210, bad: [33], seed: "")
        for i in [3, 50, 100, 150, 200] {
            try Data("new image \(i)".utf8).write(to: folder.appendingPathComponent(String(format: "images/item%04d.jpg", i)))
        }
        let pruned = try await Self.runWorkers(3, try Catalog.load(changed), at: location, prune: true)
        #expect(pruned.map(\.pruned).reduce(0, +) == 30, "\(pruned)")
        #expect(pruned.map(\.reembedded).reduce(0, +) == 5, "\(pruned)")
        let reference = try await Self.reference(changed, in: folder, prune: true, into: "pruned.sqlite")
        Self.expectEqual(try store.loadSnapshot(), reference)
    }

    @Test func aKilledWorkersBatchIsTakenOverWhenItsLeaseRunsOut() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalogURL = try TestCatalogs.writeCSV(in: folder, count: 300, bad: [77])
        let location = try PostgresTestDatabase.freshLocation()
        let url = location.connectionURL.absoluteString

        // Three real processes; the first is killed with SIGKILL after its third commit.
        var processes: [(Process, Pipe)] = []
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = try CrashResumeTests.helperURL()
            process.arguments = [catalogURL.path, url, "5", "25", "2"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            processes.append((process, pipe))
        }
        var victimOutput = ""
        let victim = processes[0]
        while victimOutput.components(separatedBy: "committed").count - 1 < 3 {
            let chunk = victim.1.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            victimOutput += String(decoding: chunk, as: UTF8.self)
        }
        kill(victim.0.processIdentifier, SIGKILL)
        victim.0.waitUntilExit()
        #expect(victim.0.terminationReason == .uncaughtSignal, "the victim ended before it was killed: \(victimOutput)")

        var added = 0
        for (process, pipe) in processes.dropFirst() {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(output)")
            let done = try #require(output.split(separator: "\n").last { $0.hasPrefix("done ") }, "\(output)")
            added += try #require(Int(done.split(separator: " ")[1]))
        }
        // The survivors waited out the victim's lease and stored its batch: the store is complete
        // before any further run, each row once, and equal to one process's SQLite store.
        let store = try PostgresVectorStore(address: location, identity: Self.embedder.storeIdentity)
        #expect(try store.count() == 299)
        #expect(added < 299, "the victim committed nothing before it was killed")
        #expect(added >= 299 - 5 * (victimOutput.components(separatedBy: "committed").count + 1), "work was repeated or lost")
        Self.expectEqual(try store.loadSnapshot(), try await Self.reference(catalogURL, in: folder))
        let final = try await CatalogIndexer(store: store, embedder: Self.embedder, batchSize: 5).run(try Catalog.load(catalogURL))
        #expect(final.added == 0 && final.unchanged == 299 && final.failures.map(\.id) == ["p0077"], "\(final)")
    }

    @Test func anExclusiveWriterWaitsForTheWorkers() async throws {
        let location = try PostgresTestDatabase.freshLocation()
        let store = try PostgresVectorStore(address: location, identity: Self.embedder.storeIdentity)
        let worker = try store.joinIndexing(lease: 5, waiting: { Issue.record("no writer holds the store yet") })
        final class Flag: Sendable { let value = Atomic<Bool>(false) }
        let waited = Flag(), locked = Flag()
        Thread.detachNewThread {
            if (try? store.lockForWriting(waiting: { waited.value.store(true, ordering: .relaxed) })) != nil {
                locked.value.store(true, ordering: .relaxed)
            }
        }
        try await Task.sleep(for: .seconds(1))
        let waitedForWorker = waited.value.load(ordering: .relaxed)
        #expect(waitedForWorker, "the exclusive writer did not wait for the joined worker")
        try worker.finish()
        // Once the worker left, the writer gets the store.
        for _ in 0..<40 where !locked.value.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(100)) }
        let writerGotIt = locked.value.load(ordering: .relaxed)
        #expect(writerGotIt, "the writer did not get the store after the worker left")
    }
}
