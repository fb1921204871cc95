import EmbeddingCatalog
import Foundation
import PostgresCatalog
import Testing

/// Store URLs for PostgreSQL: what they name, and that no message ever shows the password.
@Suite struct PostgresLocationTests {
    @Test func urlsNameTheServerTheDatabaseAndTheTable() throws {
        let full = try PostgresLocation(parsing: "postgresql://shop:s%40cret@db.example:6543/catalog?sslmode=require&table=spring", environment: [:])
        #expect(full.host == "db.example" && full.port == 6543 && full.username == "shop" && full.password == "s@cret")
        #expect(full.database == "catalog" && full.sslMode == .require && full.table == "spring")
        #expect(full.description == "postgresql://shop@db.example:6543/catalog?sslmode=require&table=spring")
        #expect(try PostgresLocation(parsing: full.connectionURL.absoluteString, environment: [:]) == full)
        let plain = try PostgresLocation(parsing: "postgres://shop@localhost/catalog", environment: ["PGPASSWORD": "from-env"])
        #expect(plain.port == 5432 && plain.sslMode == .prefer && plain.table == "fashionclip" && plain.password == "from-env")
        #expect(PostgresLocation.isPostgresURL("POSTGRESQL://x@y/z") && !PostgresLocation.isPostgresURL("/data/postgres://x"))
    }

    @Test(arguments: [
        "postgresql://@host/db", "postgresql://user@/db", "postgresql://user@host/", "postgresql://user@host:0/db",
        "postgresql://user:pw@host/db?sslmode=always", "postgresql://user:pw@host/db?table=Bad-Name",
        "postgresql://user:pw@host/db?table=1abc", "postgresql://user:pw@host/db?options=-c%20x", "mysql://user:pw@host/db"
    ])
    func badURLsAreRefusedWithoutThePassword(url: String) {
        #expect {
            try PostgresLocation(parsing: url, environment: [:])
        } throws: { error in
            guard case .storage(let path, _, let message) = error as? CatalogError else { return false }
            return !path.contains(":pw@") && !message.contains("pw@") && !message.isEmpty
        }
    }

    @Test("--store-password-file: its first line, after the URL's password and before PGPASSWORD")
    func passwordFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try "from-file\nsecond line\n".write(to: file, atomically: true, encoding: .utf8)
        let env = ["PGPASSWORD": "from-env"]
        #expect(try PostgresLocation(parsing: "postgresql://u@h/d", environment: env, passwordFile: file.path).password == "from-file")
        #expect(try PostgresLocation(parsing: "postgresql://u:in-url@h/d", environment: env, passwordFile: file.path).password == "in-url")
        #expect(throws: CatalogError.self) { try PostgresLocation(parsing: "postgresql://u@h/d", passwordFile: "/no/such/file") }
        try "\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: CatalogError.self) { try PostgresLocation(parsing: "postgresql://u@h/d", passwordFile: file.path) }
    }

    @Test func redactionHidesOnlyThePassword() {
        #expect(PostgresLocation.redacted("postgresql://u:p%40ss@h:1/d") == "postgresql://u:***@h:1/d")
        #expect(PostgresLocation.redacted("postgresql://u@h/d") == "postgresql://u@h/d")
        #expect(PostgresLocation.redacted("/a/b.sqlite") == "/a/b.sqlite")
    }
}
