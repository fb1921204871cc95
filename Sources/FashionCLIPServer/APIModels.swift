import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog

// The JSON bodies of the API (see the README's "HTTP server" section). Requests decode leniently
// (optional fields have defaults); responses encode every field, keys sorted.

/// `POST /api/embed`: texts and base64-encoded images (JPEG, PNG, WebP, GIF) to embed.
struct EmbedRequest: Decodable {
    var texts: [String]?
    var images: [String]?
    /// L2-normalised vectors (default true), or `get_text_features` / `get_image_features` as they are.
    var normalized: Bool?
}

/// One image's outcome: its vector, or why it could not be embedded (the others are unaffected).
struct ImageOutcome: Encodable {
    var embedding: [Float]?
    var error: String?
}

struct EmbedResponse: Encodable {
    var dimension: Int
    var texts: [[Float]]
    var images: [ImageOutcome]
}

/// `POST /api/classify`: base64 images scored against labels.
struct ClassifyRequest: Decodable {
    var images: [String]
    var labels: [String]
    /// Prompt templates with `{}` where the label goes (default: the transformers pipeline's).
    var templates: [String]?
    var topK: Int?
}

/// One image's label scores, most probable first, or why it could not be embedded.
struct ClassifyOutcome: Encodable {
    var labels: [LabelScore]?
    var error: String?
}

struct ClassifyResponse: Encodable {
    var results: [ClassifyOutcome]
}

/// A JSON field that takes one string or an array of them (`"text": "red dress"` or `"text": [...]`).
struct StringList: Decodable, Equatable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }
}

/// `POST /api/search` (the GET form takes the same fields as query parameters, without `image`).
struct SearchRequest: Decodable {
    /// Text queries (text → image retrieval), each weighted `textWeight`.
    var text: StringList?
    /// Base64-encoded query images, each weighted `imageWeight`.
    var image: StringList?
    /// Stored ids whose image vectors join the query ("more like this"), each weighted `likeWeight`.
    var like: StringList?
    var textWeight: Float?
    var imageWeight: Float?
    var likeWeight: Float?
    /// Metadata filters as the command line takes them: `brand=Armani`, `price<100`.
    var filter: StringList?
    var topK: Int?
    /// Weight (0…1) of the products' own text vectors in the score.
    var productTextWeight: Float?
    /// Scan the int8 copy, then re-rank exactly (needs a server started with compressed vectors).
    var compressed: Bool?
}

extension SearchRequest {
    /// The request as the query `CatalogQueryRunner` answers, with the defaults of absent fields.
    func query(images: [ImageInput]) -> CatalogQuery {
        CatalogQuery(
            texts: text?.values ?? [], images: images, likes: like?.values ?? [],
            textWeight: textWeight ?? 1, imageWeight: imageWeight ?? 1, likeWeight: likeWeight ?? 1,
            filters: filter?.values ?? [], topK: topK ?? 10, productTextWeight: productTextWeight ?? 0,
            compressed: compressed ?? false)
    }
}

/// One hit, with where to fetch its image when the server knows the catalog.
struct SearchHit: Encodable {
    var id: String
    var score: Float
    var text: String?
    var metadata: Metadata
    /// `/api/product/image?id=…`, or nil when the server was started without the catalog.
    var image: String?
}

struct SearchResults: Encodable {
    var results: [SearchHit]
    /// Products in the store.
    var products: Int
    var query: QueryEcho
}

/// What the search understood of the query, for a client to show.
struct QueryEcho: Encodable {
    var text: [String]
    var images: Int
    var like: [String]
    var filter: [String]
    var topK: Int
    var productTextWeight: Float
    var compressed: Bool
}

/// `GET /api/product?id=…`.
struct ProductResponse: Encodable {
    var id: String
    var text: String?
    var metadata: Metadata
    var image: String?
}

/// `GET /api/info`.
struct InfoResponse: Encodable {
    struct Model: Encodable {
        var name: String
        var dimension: Int
        var maxTextLength: Int
        var text: Bool
        var vision: Bool
        var zeroShot: Bool
    }

    struct Store: Encodable {
        var path: String
        var model: String
        var products: Int
        var productsWithText: Int
        var productsWithImages: Int
        var compressed: Bool
        /// Metadata keys and how many products carry each, for a client to offer filters.
        var metadataKeys: [String: Int]
    }

    struct Limits: Encodable {
        var maxRequestBytes: Int
        var maxTexts: Int
        var maxImages: Int
        var maxLabels: Int
        var maxTopK: Int
        var maxTextBytes: Int
    }

    var model: Model?
    var store: Store?
    var limits: Limits
    var kernels: String
}
