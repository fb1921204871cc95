import EmbeddingCatalog
import Foundation
import FuzzSupport

// Search filters (`brand=Armani`, `price<100`, as `--filter` and the API's `filter` take them) through
// `MetadataFilter(parsing:)`, one per line of the input, each then matched against rows with string,
// number and boolean metadata. A filter parses or throws a `CatalogError`; matching never fails.

let rows: [(id: String, metadata: Metadata)] = [
    ("dress-1", ["brand": .string("Armani"), "price": .number(99.5), "colour": .string("red"), "sale": .bool(true)]),
    ("shoe-2", ["brand": .string("Nike"), "price": .string("120"), "size": .number(-3e300)]),
    ("bag-3", [:])
]

FuzzDriver.run { bytes in
    guard let text = FuzzDriver.text(bytes) else { return }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        do {
            let filter = try MetadataFilter(parsing: String(line))
            precondition(!filter.description.isEmpty)
            for row in rows { _ = filter.matches(id: row.id, metadata: row.metadata) }
        } catch {
            FuzzDriver.expect(error, is: CatalogError.self)
        }
    }
}
