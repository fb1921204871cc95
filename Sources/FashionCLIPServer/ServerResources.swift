import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation
import Synchronization

/// What a server serves: a model (to embed and classify), a catalog store (to search), and the
/// catalog file the store was built from (to show each product's image).
///
/// The catalog part is one immutable `ServedCatalog` at a time: `reloadIfChanged()` (which
/// `watchStore(every:)` calls in a loop) reads the store again when its change token moved (rows
/// indexed, re-indexed or pruned by another process, into SQLite or PostgreSQL) and swaps the new
/// version in; requests in flight keep the one they started with.
public final class ServerResources: Sendable {
    /// The model, or nil for a search-only server (queries by stored id only).
    public let model: FashionCLIPModel?
    /// The store's path, or nil for a model-only server.
    public let storePath: String?
    let embedder: ModelCatalogEmbedder?
    private let store: (any VectorStore)?
    private let catalogFile: URL?
    private let compressed: Bool
    private let imageRoot: URL?
    /// Rank the snapshot even where the store has an approximate index (`serve --exact`).
    private let exactSearch: Bool
    private let current: Mutex<ServedCatalog?>

    /// The loaded store, or nil without one.
    public var searcher: CatalogSearcher? { served?.searcher }
    /// The catalog version requests read now.
    var served: ServedCatalog? { current.withLock { $0 } }
    /// Product id → image file of the current version (none without a store).
    var productImages: ProductImageFiles { served?.productImages ?? ProductImageFiles(files: [:], root: nil) }
    /// Metadata key → number of products carrying it, in the current version.
    var metadataKeys: [String: Int] { served?.metadataKeys ?? [:] }
    /// The approximate index searches rank through (PostgreSQL's HNSW), or nil: the exact scan.
    public var approximateIndex: (any ApproximateSearching)? { served?.approximate }

    /// - Parameters:
    ///   - model: the model; must be the one that built the store when both are given.
    ///   - store: a store written by `fashionclip index` (read into memory, and again when it changes).
    ///   - catalog: the catalog (folder, CSV or JSONL) the store was built from, for product images.
    ///   - exactSearch: rank the snapshot exactly even where the store has an HNSW index.
    ///   - compressed: also keep an int8 copy of the vectors, for `compressed` searches.
    ///   - imageRoot: the folder product images are served from (files the catalog names elsewhere are
    ///     refused); nil: the catalog's own folder.
    /// - Throws: `ServerSetupError` when there is nothing to serve, the store does not exist or the model
    ///   did not build it;
    ///   the catalog module's errors for an unreadable store or catalog.
    public init(
        model: FashionCLIPModel?, store: URL?, catalog: URL? = nil, compressed: Bool = false,
        imageRoot: URL? = nil, exactSearch: Bool = false
    ) throws {
        guard model != nil || store != nil else { throw ServerSetupError.nothingToServe }
        let embedder = model.map(ModelCatalogEmbedder.init)
        var opened: (any VectorStore)?
        var served: ServedCatalog?
        if let store {
            let location = try StoreLocation(url: store)
            if case .sqlite(let file) = location, !FileManager.default.fileExists(atPath: file.path) {
                throw ServerSetupError.missingStore(path: file.path)
            }
            let vectorStore = try location.open(identity: nil)
            served = try ServedCatalog(
                store: vectorStore, embedder: embedder, catalog: catalog, compressed: compressed, imageRoot: imageRoot, exact: exactSearch)
            opened = vectorStore
        }
        self.model = model
        self.embedder = embedder
        self.storePath = store?.path
        self.store = opened
        self.catalogFile = catalog
        self.compressed = compressed
        self.imageRoot = imageRoot
        self.exactSearch = exactSearch
        self.current = Mutex(served)
    }

    /// Reads the store again if a commit landed since the current version was read.
    /// - Returns: true when a new version was swapped in.
    /// - Throws: the store's errors (the current version stays).
    @discardableResult
    public func reloadIfChanged() throws -> Bool {
        guard let store, let token = served?.changeToken, try store.changeToken() != token else { return false }
        let fresh = try ServedCatalog(
            store: store, embedder: embedder, catalog: catalogFile, compressed: compressed, imageRoot: imageRoot, exact: exactSearch)
        current.withLock { $0 = fresh }
        return true
    }

    /// Polls the store every `interval` until cancelled, reloading when it changed; `report` hears of
    /// each reload (its product count) and each failure (the old version is served meanwhile).
    public func watchStore(every interval: Duration, report: @Sendable (Result<Int, any Error>) -> Void = { _ in }) async {
        guard store != nil else { return }
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            // On a thread of its own: reading a large store blocks for a while, and must not hold one
            // of the cooperative pool's few threads (two on a two-core machine) that requests need.
            let outcome = await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: Result { try self.reloadIfChanged() }) }
            }
            switch outcome {
            case .success(true): report(.success(searcher?.snapshot.count ?? 0))
            case .success(false): continue
            case .failure(let error): report(.failure(error))
            }
        }
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
