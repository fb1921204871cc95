import EmbeddingCatalog
import Foundation
import FuzzSupport

// JSONL catalog bytes through `Catalog.jsonLines(data:source:)`, what `Catalog.loadJSONLines` runs on a
// file's bytes: one flat JSON object per line, scalar metadata, ids and image paths checked; both with
// ids required and with `idFromImage`. A file loads or throws a `CatalogError`; anything else is a bug.

let source = URL(fileURLWithPath: "/fuzz/catalog.jsonl")

FuzzDriver.run { bytes in
    for idFromImage in [false, true] {
        do {
            let catalog = try Catalog.jsonLines(data: bytes, source: source, idFromImage: idFromImage)
            precondition(Set(catalog.rows.map(\.id)).count == catalog.rows.count, "duplicate ids loaded")
        } catch {
            FuzzDriver.expect(error, is: CatalogError.self)
        }
    }
}
