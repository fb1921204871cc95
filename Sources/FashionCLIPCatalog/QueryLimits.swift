import EmbeddingCatalog
import FashionCLIP
import Foundation

/// The bounds on one search request, checked in one place with one message each: the server builds
/// them from its configuration, the command line uses `QueryLimits.commandLine`.
public struct QueryLimits: Sendable, Equatable {
    /// Most results one request may ask for (`topK` must be in `1...maxTopK`).
    public var maxTopK: Int
    /// Most texts in one request.
    public var maxTexts: Int
    /// Most images in one request.
    public var maxImages: Int
    /// Most UTF-8 bytes in one text (77 tokens need far fewer).
    public var maxTextBytes: Int

    public init(maxTopK: Int = 1000, maxTexts: Int = 256, maxImages: Int = 64, maxTextBytes: Int = 16384) {
        self.maxTopK = maxTopK
        self.maxTexts = maxTexts
        self.maxImages = maxImages
        self.maxTextBytes = maxTextBytes
    }

    /// A person at the command line names every term by hand and may ask for the whole catalog:
    /// no count limits; texts as long as the library takes (`FashionCLIPModel.maximumTextBytes`).
    public static let commandLine = QueryLimits(
        maxTopK: .max, maxTexts: .max, maxImages: .max,
        maxTextBytes: FashionCLIPModel.maximumTextBytes)

    /// Checks `query` and returns it with blank texts and empty ids dropped and its filters parsed.
    /// - Throws: `QueryLimitError` for an empty query, a count or a text over its limit, a `topK`
    ///   outside `1...maxTopK`, a weight that is zero or not finite; `CatalogError.invalidFilter` for
    ///   a filter that does not parse.
    public func validate(_ query: CatalogQuery) throws -> ValidatedQuery {
        let texts = query.texts.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let likes = query.likes.filter { !$0.isEmpty }
        guard !texts.isEmpty || !query.images.isEmpty || !likes.isEmpty else { throw QueryLimitError.noQuery }
        try Self.check(texts.count, atMost: maxTexts, "query texts")
        try Self.check(query.images.count, atMost: maxImages, "query images")
        try Self.check(likes.count, atMost: maxTexts, "query ids")
        for (index, text) in texts.enumerated() where text.utf8.count > maxTextBytes {
            throw QueryLimitError.textTooLong(field: "text", index: index, bytes: text.utf8.count, limit: maxTextBytes)
        }
        guard (1...maxTopK).contains(query.topK) else { throw QueryLimitError.topK(found: query.topK, limit: maxTopK) }
        for (name, weight, used) in [
            ("text", query.textWeight, !texts.isEmpty), ("image", query.imageWeight, !query.images.isEmpty),
            ("like", query.likeWeight, !likes.isEmpty)
        ] where used {
            guard weight.isFinite, weight != 0 else { throw QueryLimitError.weight(name: name, found: weight) }
        }
        guard query.productTextWeight.isFinite, (0...1).contains(query.productTextWeight) else {
            throw QueryLimitError.productTextWeight(found: query.productTextWeight)
        }
        let filters = try query.filters.filter { !$0.isEmpty }.map(MetadataFilter.init(parsing:))
        return ValidatedQuery(texts: texts, images: query.images, likes: likes, filters: filters, query: query)
    }

    private static func check(_ count: Int, atMost limit: Int, _ name: String) throws {
        guard count <= limit else { throw QueryLimitError.tooMany(what: name, count: count, limit: limit) }
    }
}

/// Why a search request was refused before any work was done.
public enum QueryLimitError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// No text, image or id.
    case noQuery
    /// More items of one kind than the limit.
    case tooMany(what: String, count: Int, limit: Int)
    /// `field[index]` is `bytes` UTF-8 bytes, over `limit`.
    case textTooLong(field: String, index: Int, bytes: Int, limit: Int)
    /// A result count outside `1...limit`.
    case topK(found: Int, limit: Int)
    /// A term weight that is zero or not finite.
    case weight(name: String, found: Float)
    /// A product-text weight outside 0…1.
    case productTextWeight(found: Float)
    /// A text or image term with no model to embed it.
    case needsModel(String)

    public var description: String {
        switch self {
        case .noQuery:
            return "give a query: text, image or like (a stored product id)"
        case let .tooMany(what, count, limit):
            return "\(count) \(what) in one request; at most \(limit) are taken"
        case let .textTooLong(field, index, bytes, limit):
            return "\(field)[\(index)] is \(bytes) bytes; texts of at most \(limit) bytes are taken (77 tokens need far fewer)"
        case let .topK(found, limit):
            return limit == .max ? "topK must be at least 1, found \(found)" : "topK must be in 1 ... \(limit), found \(found)"
        case let .weight(name, found):
            return "the \(name) weight must be finite and non-zero, found \(found)"
        case let .productTextWeight(found):
            return "the product text weight must be in 0 ... 1, found \(found)"
        case let .needsModel(what):
            return "\(what) needs a model"
        }
    }

    public var errorDescription: String? { description }
}
