import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation

/// What a server serves: a model (to embed and classify), a catalog store (to search), and the
/// catalog file the store was built from (to show each product's image). Immutable once built, so
/// every request reads it without locks.
public final class ServerResources: Sendable {
    /// The model, or nil for a search-only server (queries by stored id only).
    public let model: FashionCLIPModel?
    /// The store's path, or nil for a model-only server.
    public let storePath: String?
    /// The loaded store, or nil without one.
    public let searcher: CatalogSearcher?
    let embedder: ModelCatalogEmbedder?
    /// Product id → image file, for the ids of the store that the catalog names, confined to a folder.
    let productImages: ProductImageFiles
    /// Metadata key → number of products carrying it.
    let metadataKeys: [String: Int]

    /// - Parameters:
    ///   - model: the model; must be the one that built the store when both are given.
    ///   - store: a store written by `fashionclip index` (loaded into memory once).
    ///   - catalog: the catalog (folder, CSV or JSONL) the store was built from, for product images.
    ///   - compressed: also keep an int8 copy of the vectors, for `compressed` searches.
    ///   - imageRoot: the folder product images are served from (files the catalog names elsewhere are
    ///     refused); nil: the catalog's own folder.
    /// - Throws: `ServerSetupError` when there is nothing to serve, the store does not exist or the model
    ///   did not build it;
    ///   the catalog module's errors for an unreadable store or catalog.
    public init(
        model: FashionCLIPModel?, store: URL?, catalog: URL? = nil, compressed: Bool = false,
        imageRoot: URL? = nil
    ) throws {
        guard model != nil || store != nil else { throw ServerSetupError.nothingToServe }
        let embedder = model.map(ModelCatalogEmbedder.init)
        var searcher: CatalogSearcher?
        if let store {
            let location = try StoreLocation(url: store)
            if case .sqlite(let file) = location, !FileManager.default.fileExists(atPath: file.path) {
                throw ServerSetupError.missingStore(path: file.path)
            }
            let snapshot = try location.open(identity: nil).loadSnapshot()
            if let embedder, embedder.storeIdentity != snapshot.identity {
                throw ServerSetupError.modelMismatch(
                    store: location.description, storeModel: snapshot.identity.model, model: embedder.modelIdentifier)
            }
            searcher = CatalogSearcher(snapshot: snapshot, compressed: compressed)
        }
        var images: [String: URL] = [:]
        if let catalog, let snapshot = searcher?.snapshot {
            for row in try Catalog.load(catalog).rows where snapshot.rowOfID[row.id] != nil {
                images[row.id] = row.image
            }
        }
        var keys: [String: Int] = [:]
        for metadata in searcher?.snapshot.metadata ?? [] {
            for key in metadata.keys { keys[key, default: 0] += 1 }
        }
        self.model = model
        self.embedder = embedder
        self.storePath = store?.path
        self.searcher = searcher
        self.productImages = ProductImageFiles(files: images, root: imageRoot ?? catalog.map(ProductImageFiles.defaultRoot))
        self.metadataKeys = keys
    }

    /// The model, or 503 naming what needed it.
    func requireModel(for purpose: String) throws -> FashionCLIPModel {
        guard let model else { throw APIError.unavailable(purpose, needs: "a model") }
        return model
    }

    /// The store's searcher, or 503 naming what needed it.
    func requireSearcher(for purpose: String) throws -> CatalogSearcher {
        guard let searcher else { throw APIError.unavailable(purpose, needs: "a catalog store") }
        return searcher
    }

    /// Where a client fetches product `id`'s image, or nil when its file is unknown.
    func imagePath(of id: String) -> String? {
        guard productImages.files[id] != nil else { return nil }
        return "/api/product/image?id=" + (id.addingPercentEncoding(withAllowedCharacters: Self.queryValueCharacters) ?? id)
    }

    /// What a query value may hold unescaped.
    private static let queryValueCharacters = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?"))
}
