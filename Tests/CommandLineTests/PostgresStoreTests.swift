import Foundation
import Testing

/// The CLI on the shared store (issue 23): `index` and `search` with `--store postgresql://…` give the
/// SQLite store's answers for the same catalog and queries, and the password never shows.
@Suite struct PostgresStoreTests {
    static let url = ProcessInfo.processInfo.environment["FASHIONCLIP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The test server's URL with a table prefix of its own.
    static func freshStore() -> String? {
        guard let url else { return nil }
        let table = "cli" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        return url + (url.contains("?") ? "&" : "?") + "table=\(table)"
    }

    @Test(
        "index and search through PostgreSQL equal the SQLite store's, filters and apostrophes included",
        .enabled(if: url != nil || ProcessInfo.processInfo.environment["CI"] == "true", "needs FASHIONCLIP_TEST_POSTGRES_URL"))
    func sameAnswersAsSQLite() throws {
        let postgres = try #require(Self.freshStore(), "CI=true but FASHIONCLIP_TEST_POSTGRES_URL is unset")
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = folder.appendingPathComponent("catalog.sqlite").path
        let catalog = CommandRunner.catalog.appendingPathComponent("catalog.csv").path
        for store in [sqlite, postgres] {
            let index = try CommandRunner.run(["index", "--model", CommandRunner.model, "--catalog", catalog, "--store", store])
            #expect(index.status == 0 && index.text.contains("30 added"), "\(index.stderr)")
            let again = try CommandRunner.run(["index", "--model", CommandRunner.model, "--catalog", catalog, "--store", store])
            #expect(again.text.contains("30 unchanged"), "\(again.text) \(again.stderr)")
        }
        let password = try #require(URLComponents(string: Self.url ?? "")?.password)
        let requests: [[String]] = [
            ["--text", "navy dress"], ["--like", "p001"], ["--text", "red sneakers", "--filter", "price<300"],
            ["--text", "a bag", "--product-text-weight", "0.3"], ["--like", "p002", "--filter", "brand=Levi's"],
            ["--text", "t-shirt", "--filter", "brand=Acme' OR '1'='1"], ["--like", "p003", "--text", "striped", "--top-k", "30"]
        ]
        for request in requests {
            let arguments = ["search", "--model", CommandRunner.model, "--json"] + request
            let fromSQLite = try CommandRunner.run(arguments + ["--store", sqlite])
            let fromPostgres = try CommandRunner.run(arguments + ["--store", postgres])
            #expect(fromSQLite.status == 0 && fromPostgres.status == 0, "\(request): \(fromSQLite.stderr) \(fromPostgres.stderr)")
            #expect(fromPostgres.text == fromSQLite.text, "\(request) ranks differently")
            #expect(!fromPostgres.text.contains(password) && !fromPostgres.stderr.contains(password))
        }
        // The password from --store-password-file instead of the URL.
        let passwordFile = folder.appendingPathComponent("password")
        try (password + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        let withoutPassword = postgres.replacingOccurrences(of: ":\(password)@", with: "@")
        let fromFile = try CommandRunner.run(["search", "--store", withoutPassword, "--store-password-file", passwordFile.path, "--like", "p001"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        // A wrong password: a clear message naming the store without any password, status 1, in bounded time.
        let wrong = postgres.replacingOccurrences(of: ":\(password)@", with: ":wrong-password@")
        let started = Date()
        let refused = try CommandRunner.run(["search", "--store", wrong, "--like", "p001"], timeout: 60)
        #expect(refused.status == 1 && refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("wrong-password") && !refused.stderr.contains(password), "\(refused.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        // Nobody listening: the same, within 30 s.
        let down = try CommandRunner.run(["search", "--store", "postgresql://u:secret@127.0.0.1:1/db", "--like", "p001"], timeout: 60)
        #expect(down.status == 1 && down.stderr.contains("postgresql://u@127.0.0.1:1/db") && !down.stderr.contains("secret"), "\(down.stderr)")
    }
}
