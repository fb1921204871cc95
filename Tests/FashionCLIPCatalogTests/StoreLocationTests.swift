import EmbeddingCatalog
import FashionCLIPCatalog
import Foundation
import Testing

/// `--store` arguments name a store kind and a place; the one opener picks the implementation.
@Suite struct StoreLocationTests {
    @Test(
        "paths and file URLs are SQLite stores",
        arguments: [
            ("catalog.sqlite", FileManager.default.currentDirectoryPath + "/catalog.sqlite"),
            ("/tmp/a b/catalog.sqlite", "/tmp/a b/catalog.sqlite"),
            ("file:///tmp/x.sqlite", "/tmp/x.sqlite"),
            ("weird:name.sqlite", FileManager.default.currentDirectoryPath + "/weird:name.sqlite")
        ])
    func pathsAreSQLite(argument: String, path: String) throws {
        let location = try StoreLocation(parsing: argument)
        guard case .sqlite(let url) = location else {
            Issue.record("\(location)")
            return
        }
        #expect(url.path == path)
        #expect(location.description == path)
    }

    @Test func otherSchemesAreRefusedByName() {
        for argument in ["postgres://db.example/catalog", "https://example.com/store"] {
            #expect(throws: StoreLocationError.self) { try StoreLocation(parsing: argument) }
            let scheme = String(argument.prefix { $0 != ":" })
            #expect(StoreLocationError.unsupportedScheme(scheme: scheme, location: argument).description.contains("'\(scheme)' stores"))
        }
    }

    @Test func opensCreatesAndReopensThroughTheSeam() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("location-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: url) }
        let identity = StoreIdentity(model: "m", dimension: 3)
        let created = try StoreLocation(parsing: url.path).open(identity: identity)
        let count = try created.count()
        #expect(created.identity == identity && created.schemaVersion == 1 && count == 0)
        let reopened = try StoreLocation(url: url).open(identity: nil)
        #expect(reopened.identity == identity)
        #expect(throws: CatalogError.self) { try StoreLocation(url: url).open(identity: StoreIdentity(model: "other", dimension: 3)) }
    }
}
