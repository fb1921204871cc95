import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation
import Testing

/// Every bound of a search request is checked by `QueryLimits`, each with its one message.
@Suite struct QueryLimitsTests {
    static let limits = QueryLimits(maxTopK: 50, maxTexts: 2, maxImages: 1, maxTextBytes: 20)
    static let image = ImageInput.data(Data([0xFF, 0xD8]), name: "an image")

    @Test("blank texts and empty ids are dropped, filters parsed, the rest kept in order")
    func validQueryIsCleaned() throws {
        let query = CatalogQuery(texts: ["  ", "red dress", ""], likes: ["", "p001"], filters: ["", "price<100"], topK: 50)
        let validated = try Self.limits.validate(query)
        #expect(validated.texts == ["red dress"])
        #expect(validated.likes == ["p001"])
        #expect(validated.filters == [try MetadataFilter(parsing: "price<100")])
        #expect(validated.needsModel)
        #expect(validated.options.topK == 50 && validated.options.mode == .exact)
        let likeOnly = try Self.limits.validate(CatalogQuery(likes: ["p001"], topK: 1, compressed: true))
        #expect(!likeOnly.needsModel && likeOnly.options.mode == .compressed(candidates: nil))
    }

    @Test(
        "each bound refuses with its own error and message",
        arguments: [
            (CatalogQuery(texts: [" "], likes: [""]), QueryLimitError.noQuery, "give a query"),
            (CatalogQuery(texts: ["a", "b", "c"]), .tooMany(what: "query texts", count: 3, limit: 2), "3 query texts in one request; at most 2"),
            (CatalogQuery(images: [QueryLimitsTests.image, QueryLimitsTests.image]), .tooMany(what: "query images", count: 2, limit: 1), "2 query images"),
            (CatalogQuery(likes: ["a", "b", "c"]), .tooMany(what: "query ids", count: 3, limit: 2), "3 query ids"),
            (
                CatalogQuery(texts: ["ok", String(repeating: "x", count: 21)]), .textTooLong(field: "text", index: 1, bytes: 21, limit: 20),
                "text[1] is 21 bytes"
            ),
            (CatalogQuery(texts: ["a"], topK: 0), .topK(found: 0, limit: 50), "topK must be in 1 ... 50, found 0"),
            (CatalogQuery(texts: ["a"], topK: 51), .topK(found: 51, limit: 50), "found 51"),
            (CatalogQuery(texts: ["a"], textWeight: 0), .weight(name: "text", found: 0), "the text weight must be finite and non-zero"),
            (CatalogQuery(likes: ["a"], likeWeight: .infinity), .weight(name: "like", found: .infinity), "the like weight"),
            (CatalogQuery(texts: ["a"], productTextWeight: 1.5), .productTextWeight(found: 1.5), "in 0 ... 1, found 1.5")
        ])
    func boundIsRefused(query: CatalogQuery, expected: QueryLimitError, message: String) {
        #expect(throws: expected) { try Self.limits.validate(query) }
        #expect(expected.description.contains(message), "\(expected)")
    }

    @Test func unusedWeightsAndBadFiltersAreJudgedByWhatIsAsked() throws {
        // An image weight of 0 does not matter to a text-only query.
        #expect(try Self.limits.validate(CatalogQuery(texts: ["a"], imageWeight: 0)).texts == ["a"])
        #expect(throws: CatalogError.self) { try Self.limits.validate(CatalogQuery(texts: ["a"], filters: ["no operator"])) }
    }

    @Test func commandLineTakesAnyCountAndTheLibrarysTextLength() throws {
        let many = CatalogQuery(texts: Array(repeating: "a", count: 300), topK: 1_000_000_000)
        #expect(try QueryLimits.commandLine.validate(many).texts.count == 300)
        #expect(throws: QueryLimitError.topK(found: 0, limit: .max)) { try QueryLimits.commandLine.validate(CatalogQuery(texts: ["a"], topK: 0)) }
        #expect(QueryLimitError.topK(found: 0, limit: .max).description == "topK must be at least 1, found 0")
    }
}
