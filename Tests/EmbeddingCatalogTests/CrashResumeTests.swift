import EmbeddingCatalog
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills a real indexing process (`catalog-index-helper`) with SIGKILL mid-run, several times, then
/// checks that the store opens, is sound, and that resuming loses and duplicates nothing.
@Suite struct CrashResumeTests {
    static func helperURL() throws -> URL {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug"))
        for folder in candidates {
            var dir = folder
            for _ in 0..<4 {
                let url = dir.appendingPathComponent("catalog-index-helper")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
                dir.deleteLastPathComponent()
            }
        }
        throw CatalogError.invalidQuery("catalog-index-helper not built: run the tests with `make test` (FASHIONCLIP_TESTS=1 swift test), which builds it")
    }

    /// Starts the helper; kills it with SIGKILL once it printed `killAfter` commit lines, or after
    /// `killAfterSeconds` whatever it is doing (start-up, schema creation, a commit ...).
    static func runHelper(
        catalog: URL, store: URL, killAfter: Int?,
        killAfterSeconds: Double? = nil
    ) throws -> (killed: Bool, output: String) {
        let process = Process()
        process.executableURL = try helperURL()
        process.arguments = [catalog.path, store.path, "5", "20"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        if let killAfterSeconds {
            let pid = process.processIdentifier
            // A thread of its own: under a full parallel test run the Dispatch pool (one thread per core)
            // can be busy with other tests' blocking reads, which would delay the kill past the helper's end.
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: killAfterSeconds)
                kill(pid, SIGKILL)
            }
        }
        var output = ""
        var killed = false
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
            let commits = output.components(separatedBy: "committed").count - 1
            if let killAfter, commits >= killAfter, !killed {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        return ((killed || killAfterSeconds != nil) && process.terminationReason == .uncaughtSignal, output)
    }

    @Test func killNineMidRunThenResume() async throws {
        let folder = try TestCatalogs.temporaryFolder()
        let catalogURL = try TestCatalogs.writeCSV(in: folder, count: 200, bad: [33])
        let storeURL = folder.appendingPathComponent("store.sqlite")
        let embedder = DeterministicEmbedder()

        var storedCounts: [Int] = []
        // Kills at arbitrary moments (possibly before the store exists, or mid-transaction), then after
        // 2, 4 and 7 committed batches of the following runs.
        for seconds in [0.02, 0.15, 0.3] {
            _ = try Self.runHelper(catalog: catalogURL, store: storeURL, killAfter: nil, killAfterSeconds: seconds)
            if FileManager.default.fileExists(atPath: storeURL.path) {
                let store = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
                #expect(try store.integrityCheck() == "ok")
            }
        }
        for killAfter in [2, 4, 7] {
            let run = try Self.runHelper(catalog: catalogURL, store: storeURL, killAfter: killAfter)
            #expect(run.killed, "helper finished before it could be killed: \(run.output)")
            let store = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
            #expect(try store.integrityCheck() == "ok")
            let counts = try store.rowAndDistinctIDCounts()
            #expect(counts.rows == counts.distinct)
            storedCounts.append(counts.rows)
        }
        #expect(storedCounts == storedCounts.sorted() && storedCounts.last! > storedCounts.first!)
        #expect(storedCounts.last! < 199, "the helper finished before the last kill; nothing left to resume")

        // Resume in-process: only what was not committed gets embedded.
        let store = try SQLiteVectorStore(url: storeURL, identity: embedder.storeIdentity)
        let before = try store.count()
        let summary = try await CatalogIndexer(store: store, embedder: embedder, batchSize: 5)
            .run(try Catalog.load(catalogURL))
        #expect(summary.unchanged == before)
        #expect(summary.added == 199 - before)
        #expect(summary.failures.map(\.id) == ["p0033"])

        // Nothing lost or duplicated: the store equals a fresh, uninterrupted build.
        let freshURL = folder.appendingPathComponent("fresh.sqlite")
        let fresh = try SQLiteVectorStore(url: freshURL, identity: embedder.storeIdentity)
        _ = try await CatalogIndexer(store: fresh, embedder: embedder, batchSize: 64).run(try Catalog.load(catalogURL))
        #expect(try store.allUpdates() == fresh.allUpdates())
        #expect(try store.rowAndDistinctIDCounts() == (199, 199))
    }
}
