import EmbeddingCatalog
import FashionCLIPCatalog
import Foundation

/// One loaded version of a server's catalog: the store's snapshot (ranked by its searcher), the
/// product images the catalog names for its ids, and the metadata keys with their counts. Immutable;
/// a reload builds a new one and the server swaps it in, so a request reads one consistent version.
struct ServedCatalog: Sendable {
    let searcher: CatalogSearcher
    /// Product id → image file, for the ids of the store that the catalog names, confined to a folder.
    let productImages: ProductImageFiles
    /// Metadata key → number of products carrying it.
    let metadataKeys: [String: Int]
    /// The store's change token when the snapshot was read (`VectorStore.changeToken`).
    let changeToken: String
    /// The store's approximate index (PostgreSQL's HNSW) that searches rank through, or nil: exact.
    let approximate: (any ApproximateSearching)?

    /// Reads `store` whole (its token first: a commit landing during the read makes the next poll
    /// reload again, never miss it), and the catalog file for product images.
    /// `exact`: rank the snapshot even where the store has an approximate index.
    init(
        store: any VectorStore, embedder: ModelCatalogEmbedder?, catalog: URL?, compressed: Bool, imageRoot: URL?, exact: Bool = false
    ) throws {
        changeToken = try store.changeToken()
        approximate = exact ? nil : try store.approximateIndex()
        let snapshot = try store.loadSnapshot()
        if let embedder, embedder.storeIdentity != snapshot.identity {
            throw ServerSetupError.modelMismatch(store: store.location, storeModel: snapshot.identity.model, model: embedder.modelIdentifier)
        }
        searcher = CatalogSearcher(snapshot: snapshot, compressed: compressed)
        var images: [String: URL] = [:]
        if let catalog {
            for row in try Catalog.load(catalog).rows where snapshot.rowOfID[row.id] != nil {
                images[row.id] = row.image
            }
        }
        var keys: [String: Int] = [:]
        for metadata in snapshot.metadata {
            for key in metadata.keys { keys[key, default: 0] += 1 }
        }
        productImages = ProductImageFiles(files: images, root: imageRoot ?? catalog.map(ProductImageFiles.defaultRoot))
        metadataKeys = keys
    }
}
