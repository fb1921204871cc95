import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running server sees rows indexed after it started (issue 23), from SQLite and from PostgreSQL:
/// `serve` looks at the store's change token every `--reload-interval` and reads it again when it moved.
@Suite struct LiveReloadTests {
    /// The demo catalog's first `rows` products, as a CSV beside the demo images.
    static func partialCatalog(rows: Int, in folder: URL) throws -> URL {
        let lines = try String(contentsOf: CommandRunner.catalog.appendingPathComponent("catalog.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline)
        let images = CommandRunner.catalog.appendingPathComponent("images").path
        let text = lines.prefix(rows + 1).map { $0.replacingOccurrences(of: ",images/", with: ",\(images)/") }.joined(separator: "\n")
        let url = folder.appendingPathComponent("catalog-\(rows).csv")
        try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func products(_ server: ServedProcess) async throws -> Int? {
        let (body, _) = try await URLSession.shared.data(from: URL(string: server.address + "api/info")!)
        let info = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        return (info?["store"] as? [String: Any])?["products"] as? Int
    }

    static func check(store: String, in folder: URL) async throws {
        let model = CommandRunner.model
        let first = try CommandRunner.run(["index", "--model", model, "--catalog", try partialCatalog(rows: 20, in: folder).path, "--store", store])
        #expect(first.status == 0, "\(first.stderr)")
        let full = CommandRunner.catalog.appendingPathComponent("catalog.csv").path
        let server = try ServedProcess.start(["--model", model, "--store", store, "--catalog", full, "--reload-interval", "0.2"])
        defer { server.stop() }
        #expect(try await products(server) == 20)
        let (missing, missingResponse) = try await URLSession.shared.data(from: URL(string: server.address + "api/product?id=p030")!)
        #expect((missingResponse as? HTTPURLResponse)?.statusCode == 404, "\(String(decoding: missing, as: UTF8.self))")

        // Index the rest (and prune 5) while it runs: within seconds it serves them, images included.
        let rest = try CommandRunner.run(["index", "--model", model, "--catalog", try partialCatalog(rows: 25, in: folder).path, "--store", store])
        #expect(rest.status == 0, "\(rest.stderr)")
        let all = try CommandRunner.run(["index", "--model", model, "--catalog", full, "--store", store])
        #expect(all.status == 0 && all.text.contains("5 added"), "\(all.text) \(all.stderr)")
        var seen: Int?
        for _ in 0..<100 {
            seen = try await products(server)
            if seen == 30 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen == 30, "the server still serves \(seen ?? -1) products")
        let (_, image) = try await URLSession.shared.data(from: URL(string: server.address + "api/product/image?id=p030")!)
        #expect((image as? HTTPURLResponse)?.statusCode == 200)
        let (body, _) = try await URLSession.shared.data(from: URL(string: server.address + "api/search?like=p030&topK=1")!)
        #expect(String(decoding: body, as: UTF8.self).contains("\"p030\""))

        let pruned = try CommandRunner.run(
            ["index", "--model", model, "--catalog", try partialCatalog(rows: 25, in: folder).path, "--store", store, "--prune"])
        #expect(pruned.status == 0 && pruned.text.contains("5 pruned"), "\(pruned.text) \(pruned.stderr)")
        for _ in 0..<100 {
            seen = try await products(server)
            if seen == 25 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen == 25, "the server still serves \(seen ?? -1) products after the prune")
    }

    @Test func aSQLiteStoreIndexedUnderARunningServer() async throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.check(store: folder.appendingPathComponent("live.sqlite").path, in: folder)
    }

    @Test(
        .enabled(if: PostgresStoreTests.url != nil || ProcessInfo.processInfo.environment["CI"] == "true", "needs FASHIONCLIP_TEST_POSTGRES_URL"))
    func aPostgreSQLStoreIndexedUnderARunningServer() async throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try #require(PostgresStoreTests.freshStore(), "CI=true but FASHIONCLIP_TEST_POSTGRES_URL is unset")
        try await Self.check(store: store, in: folder)
    }
}
