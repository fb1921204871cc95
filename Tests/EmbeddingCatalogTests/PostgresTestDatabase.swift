import EmbeddingCatalog
import Foundation
import PostgresCatalog
import Testing

/// The PostgreSQL server the shared-store tests run against: `FASHIONCLIP_TEST_POSTGRES_URL`, which
/// `make test` and CI set from `Scripts/postgres.sh start`. Without it a quick `swift test` leaves the
/// PostgreSQL kinds out, and says so; under `CI=true` that is a failure, never a silent skip.
enum PostgresTestDatabase {
    static let url: String? = ProcessInfo.processInfo.environment["FASHIONCLIP_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"
    static let howToRun = "set FASHIONCLIP_TEST_POSTGRES_URL=$(Scripts/postgres.sh start) to run the PostgreSQL store's tests (make test does)"

    /// The server's address with a table prefix of its own, so every test gets an empty store.
    static func freshLocation() throws -> PostgresLocation {
        var location = try PostgresLocation(parsing: try #require(url, "\(howToRun)"))
        location.table = "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
        return location
    }
}

/// Reports the PostgreSQL tests' absence (and fails under CI, which must run them).
@Suite struct PostgresTestDatabaseTests {
    @Test func thePostgreSQLTestsRunWhereTheyMust() throws {
        if PostgresTestDatabase.url == nil {
            if PostgresTestDatabase.required {
                Issue.record("CI=true but FASHIONCLIP_TEST_POSTGRES_URL is unset: \(PostgresTestDatabase.howToRun)")
            } else {
                print("note: the PostgreSQL store's tests were left out: \(PostgresTestDatabase.howToRun)")
            }
            return
        }
        let store = try PostgresVectorStore(address: try PostgresTestDatabase.freshLocation(), identity: StoreIdentity(model: "m", dimension: 3))
        #expect(try store.count() == 0)
    }
}
