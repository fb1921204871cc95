import EmbeddingCatalog
import Foundation
import FuzzSupport

// CSV catalog bytes through `Catalog.csv(data:source:)`, what `Catalog.loadCSV` runs on a file's bytes:
// UTF-8, RFC 4180 records (quotes, CRLF, BOM), the header, then rows with ids, image paths, text and
// metadata; both with ids required and with `idFromImage` (evaluation pair files). A file loads or
// throws a `CatalogError`; anything else is a bug.

let source = URL(fileURLWithPath: "/fuzz/catalog.csv")

FuzzDriver.run { bytes in
    for idFromImage in [false, true] {
        do {
            let catalog = try Catalog.csv(data: bytes, source: source, idFromImage: idFromImage)
            precondition(Set(catalog.rows.map(\.id)).count == catalog.rows.count, "duplicate ids loaded")
        } catch {
            FuzzDriver.expect(error, is: CatalogError.self)
        }
    }
}
