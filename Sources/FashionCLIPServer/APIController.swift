import EmbeddingCatalog
import FashionCLIP
import Foundation
import Hummingbird

/// The JSON API under `/api`: info, embedding, zero-shot classification, search and products.
///
/// Handlers parse and check the request, hand model work to the `ComputeGate` and shape the answer;
/// the work itself is the facade's and the catalog's. Every failure leaves as an `APIError`.
struct APIController: Sendable {
    let resources: ServerResources
    let configuration: ServerConfiguration
    let gate: ComputeGate
    /// Label embeddings of recent label sets (`/api/classify*`).
    let classifiers = ClassifierCache()

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let api = router.group("api")
        // The key is checked on the routes the router chose, after it resolved the path: a prefix test
        // on the raw path let `//api/search` (which the router matches to /api/search) through.
        if let key = configuration.apiKey { api.add(middleware: APIKeyMiddleware(key: key)) }
        api.get("info") { _, _ in try await handling { try info() } }
        api.post("embed") { request, _ in try await handling { try await embed(request) } }
        api.post("embed/image") { request, _ in try await handling { try await embedImage(request) } }
        api.post("classify") { request, _ in try await handling { try await classify(request) } }
        api.post("classify/image") { request, _ in try await handling { try await classifyImage(request) } }
        api.get("search") { request, _ in try await handling { try await search(query: request) } }
        api.post("search") { request, _ in try await handling { try await search(json: request) } }
        api.post("search/image") { request, _ in try await handling { try await searchImage(request) } }
        api.get("product") { request, _ in try await handling { try product(request) } }
        api.get("product/image") { request, _ in try await handling { try productImage(request) } }
    }

    /// Runs `body`, turning whatever it throws into an `APIError`.
    private func handling(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            throw APIError(error)
        }
    }

    // MARK: info and products

    private func info() throws -> Response {
        let model = resources.model.map { model in
            InfoResponse.Model(
                name: model.folder.lastPathComponent, dimension: model.embeddingDimension, maxTextLength: model.maxTextLength,
                text: model.embedsTexts, vision: model.embedsImages, zeroShot: model.embedsTexts && model.logitScale != nil)
        }
        let store = resources.searcher.map { searcher in
            let snapshot = searcher.snapshot
            return InfoResponse.Store(
                path: resources.storePath ?? "", model: snapshot.identity.model, products: snapshot.count,
                productsWithText: snapshot.hasText.filter { $0 }.count, productsWithImages: resources.productImages.files.count,
                compressed: searcher.quantizedImages != nil, metadataKeys: resources.metadataKeys)
        }
        let c = configuration
        return try JSONResponse.make(
            InfoResponse(
                model: model, store: store,
                limits: .init(
                    maxRequestBytes: c.maxRequestBytes, maxTexts: c.maxTexts, maxImages: c.maxImages,
                    maxLabels: c.maxLabels, maxTopK: c.maxTopK, maxTextBytes: c.maxTextBytes),
                kernels: CatalogSearcher.kernelISA))
    }

    /// `GET /api/product?id=…`: a stored product's text and metadata.
    private func product(_ request: Request) throws -> Response {
        let searcher = try resources.requireSearcher(for: "a product lookup")
        let id = try Self.productID(request)
        guard let row = searcher.snapshot.rowOfID[id] else { throw CatalogError.unknownID(id) }
        return try JSONResponse.make(
            ProductResponse(
                id: id, text: searcher.snapshot.texts[row], metadata: searcher.snapshot.metadata[row], image: resources.imagePath(of: id)))
    }

    /// `GET /api/product/image?id=…`: the product's image file as the catalog names it.
    private func productImage(_ request: Request) throws -> Response {
        let searcher = try resources.requireSearcher(for: "a product image")
        let id = try Self.productID(request)
        guard searcher.snapshot.rowOfID[id] != nil else { throw CatalogError.unknownID(id) }
        let image: (data: Data, format: String)
        switch resources.productImages.image(of: id) {
        case .success(let found): image = found
        case .failure(.unknown):
            throw APIError(.notFound, "product '\(id)' has no image file known to this server (start it with --catalog)")
        case .failure(.outsideRoot):
            throw APIError(.notFound, "the image of product '\(id)' lies outside the folder this server serves images from")
        case .failure(.notAnImage):
            throw APIError(.notFound, "the image file of product '\(id)' is not a JPEG, PNG, GIF or WebP image")
        case .failure(.notARegularFile), .failure(.unreadable):
            throw APIError(.notFound, "the image file of product '\(id)' cannot be read")
        }
        let data = image.data
        var headers = HTTPFields()
        headers[.contentType] = MediaType.getMediaType(forExtension: image.format)?.description ?? "application/octet-stream"
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func productID(_ request: Request) throws -> String {
        guard let id = request.uri.queryParameters.get("id"), !id.isEmpty else {
            throw APIError.badRequest("give the product as ?id=…")
        }
        return id
    }

    // MARK: request parts shared by the handlers

    /// Base64-encoded images (or `data:` URLs) of the JSON field `field`, named `field[i]` in errors.
    /// - Throws: `APIError` 400 naming the first one that is not base64.
    static func base64Images(_ texts: [String], field: String) throws -> [ImageInput] {
        try texts.enumerated().map { index, text in
            var payload = Substring(text)
            if payload.hasPrefix("data:"), let comma = payload.firstIndex(of: ",") {
                payload = payload[payload.index(after: comma)...]
            }
            guard let data = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters), !data.isEmpty else {
                throw APIError.badRequest("\(field)[\(index)] is not base64-encoded image bytes")
            }
            return .data(data, name: "\(field)[\(index)]")
        }
    }

    /// Query parameter `name` as a number, nil when absent.
    /// - Throws: `APIError` 400 when it is not one.
    static func queryNumber<T: LosslessStringConvertible>(_ request: Request, _ name: String, _ type: T.Type) throws -> T? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = T(text) else { throw APIError.badRequest("\(name) must be a number, found '\(text)'") }
        return value
    }

    /// Query parameter `name` as `true`/`1` or `false`/`0`, nil when absent.
    /// - Throws: `APIError` 400 for anything else.
    static func queryFlag(_ request: Request, _ name: String) throws -> Bool? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.badRequest("\(name) must be true or false, found '\(text)'")
        }
    }

    /// Checks `count` against a limit named `name`.
    static func check(_ count: Int, atMost limit: Int, _ name: String) throws {
        guard count <= limit else { throw APIError.badRequest("\(count) \(name) in one request; this server takes at most \(limit)") }
    }

    /// Refuses (413) a text of more than `configuration.maxTextBytes` UTF-8 bytes, naming the field.
    func checkLengths(_ texts: [String], _ field: String) throws {
        for (index, text) in texts.enumerated() where text.utf8.count > configuration.maxTextBytes {
            throw APIError(
                .contentTooLarge,
                "\(field)[\(index)] is \(text.utf8.count) bytes; this server takes texts of at most \(configuration.maxTextBytes) bytes (77 tokens need far fewer)"
            )
        }
    }
}
