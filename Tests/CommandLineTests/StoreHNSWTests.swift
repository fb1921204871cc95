import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `fashionclip store hnsw` and search through the index (issue 23): on the 30-row test catalog in
/// PostgreSQL, search with the index answers as `--exact` does (ids and order; at this size the
/// index finds every row), and so does a server over it; `--drop` removes it; a SQLite store and
/// bad parameters are refused.
/// Needs a CPU that runs the wheel's AVX-512 pgvector (see PostgresHNSWTests).
enum WheelPgvector {
    static let runsHere = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx512f") ?? true
}

@Suite struct StoreHNSWTests {

    static func ids(_ json: String) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (object?["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test(
        .enabled(
            if: (PostgresStoreTests.url != nil || ProcessInfo.processInfo.environment["CI"] == "true") && WheelPgvector.runsHere,
            "needs FASHIONCLIP_TEST_POSTGRES_URL and a CPU with AVX-512 for the wheel's pgvector"))
    func searchThroughTheIndexAnswersAsExact() async throws {
        let store = try #require(PostgresStoreTests.freshStore(), "CI=true but FASHIONCLIP_TEST_POSTGRES_URL is unset")
        let catalog = CommandRunner.catalog.appendingPathComponent("catalog.csv").path
        let index = try CommandRunner.run(["index", "--model", CommandRunner.model, "--catalog", catalog, "--store", store])
        #expect(index.status == 0, "\(index.stderr)")
        let built = try CommandRunner.run(["store", "hnsw", "--store", store, "--m", "8", "--ef-construction", "32", "--json"])
        #expect(built.status == 0 && built.text.contains("\"index\":\"hnsw\"") && built.text.contains("\"rows\":\"30\""), "\(built.text) \(built.stderr)")
        let requests: [[String]] = [["--like", "p001"], ["--text", "navy dress", "--filter", "price<300"], ["--like", "p002", "--top-k", "5"]]
        for request in requests {
            let base = ["search", "--model", CommandRunner.model, "--json", "--store", store] + request
            let approximate = try CommandRunner.run(base + ["--ef-search", "200"])
            let exact = try CommandRunner.run(base + ["--exact"])
            #expect(approximate.status == 0 && exact.status == 0, "\(request): \(approximate.stderr) \(exact.stderr)")
            #expect(try Self.ids(approximate.text) == Self.ids(exact.text), "\(request)")
            #expect(try !Self.ids(exact.text).isEmpty)
        }
        // The server ranks through the index too (and says so), or exactly with --exact: the same ids.
        var answers: [[String]] = []
        for flags in [[], ["--exact"]] {
            let server = try ServedProcess.start(["--model", CommandRunner.model, "--store", store] + flags)
            defer { server.stop() }
            #expect(server.banner.contains("HNSW") == flags.isEmpty, "\(server.banner)")
            let (body, _) = try await URLSession.shared.data(from: URL(string: server.address + "api/search?like=p001&topK=8")!)
            answers.append(try Self.ids(String(decoding: body, as: UTF8.self)))
        }
        #expect(answers[0] == answers[1] && answers[0].count == 8, "\(answers)")
        let badEf = try CommandRunner.run(["search", "--store", store, "--like", "p001", "--ef-search", "0"])
        #expect(badEf.status == 64 && badEf.stderr.contains("--ef-search"), "\(badEf.stderr)")
        let badM = try CommandRunner.run(["store", "hnsw", "--store", store, "--m", "1"])
        #expect(badM.status == 1 && badM.stderr.contains("m must be 2"), "\(badM.stderr)")
        let dropped = try CommandRunner.run(["store", "hnsw", "--store", store, "--drop"])
        #expect(dropped.status == 0 && dropped.text.contains("ranks exactly"), "\(dropped.text) \(dropped.stderr)")
    }

    @Test func aSQLiteStoreIsRefused() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["store", "hnsw", "--store", folder.appendingPathComponent("s.sqlite").path])
        #expect(result.status == 64 && result.stderr.contains("postgresql://"), "\(result.stderr)")
    }
}
