import Foundation
import Testing

/// `fashionclip store copy` (issue 23): SQLite → PostgreSQL → SQLite keeps every row, vector and
/// fingerprint: searches rank alike, and `index` with the same catalog finds the copies up to date.
@Suite struct StoreCopyTests {
    static let catalog = CommandRunner.catalog.appendingPathComponent("catalog.csv").path

    static func searches(_ store: String) throws -> [String] {
        let requests: [[String]] = [
            ["--like", "p001"], ["--text", "navy dress", "--filter", "price<300"], ["--like", "p002", "--filter", "brand=Levi's"],
            ["--text", "a bag", "--product-text-weight", "0.3", "--top-k", "30"]
        ]
        return try requests.map { request in
            let result = try CommandRunner.run(["search", "--model", CommandRunner.model, "--json", "--store", store] + request)
            #expect(result.status == 0, "\(request): \(result.stderr)")
            return result.text
        }
    }

    static func copy(from: String, to: String, expecting status: Int32 = 0) throws -> CommandRunner.Output {
        let result = try CommandRunner.run(["store", "copy", "--from", from, "--to", to])
        #expect(result.status == status, "\(result.text) \(result.stderr)")
        return result
    }

    static func roundTrip(through middle: String, in folder: URL) throws {
        let first = folder.appendingPathComponent("first.sqlite").path
        let last = folder.appendingPathComponent("last.sqlite").path
        let index = try CommandRunner.run(["index", "--model", CommandRunner.model, "--catalog", catalog, "--store", first])
        #expect(index.status == 0, "\(index.stderr)")
        #expect(try copy(from: first, to: middle).text.contains("copied 30 rows"))
        #expect(try copy(from: middle, to: last).text.contains("copied 30 rows"))
        let expected = try searches(first)
        #expect(try searches(middle) == expected)
        #expect(try searches(last) == expected)
        for store in [middle, last] {
            let again = try CommandRunner.run(["index", "--model", CommandRunner.model, "--catalog", catalog, "--store", store])
            #expect(again.text.contains("30 unchanged") && again.text.contains("0 added"), "\(store): \(again.text) \(again.stderr)")
        }
        // A destination that holds rows is refused, and keeps them; so is a store copied onto itself.
        let refused = try copy(from: first, to: last, expecting: 1)
        #expect(refused.stderr.contains("already holds 30 rows") && refused.stderr.contains(last), "\(refused.stderr)")
        let itself = try copy(from: first, to: first, expecting: 64)
        #expect(itself.stderr.contains("name the same store"), "\(itself.stderr)")
        #expect(try searches(last) == expected)
    }

    @Test func sqliteToSQLiteThroughSQLite() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.roundTrip(through: folder.appendingPathComponent("middle.sqlite").path, in: folder)
    }

    @Test(
        .enabled(if: PostgresStoreTests.url != nil || ProcessInfo.processInfo.environment["CI"] == "true", "needs FASHIONCLIP_TEST_POSTGRES_URL"))
    func sqliteToPostgreSQLAndBack() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let middle = try #require(PostgresStoreTests.freshStore(), "CI=true but FASHIONCLIP_TEST_POSTGRES_URL is unset")
        try Self.roundTrip(through: middle, in: folder)
        // The missing source names itself.
        let missing = try Self.copy(from: folder.appendingPathComponent("none.sqlite").path, to: middle, expecting: 1)
        #expect(missing.stderr.contains("none.sqlite") && missing.stderr.contains("no such store"), "\(missing.stderr)")
    }
}
