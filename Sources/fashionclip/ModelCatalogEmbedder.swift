import EmbeddingCatalog
import FashionCLIP
import Foundation

/// The FashionCLIP model seen through the catalog's `CatalogEmbedder` protocol.
///
/// The store records `modelIdentifier`, so vectors of two different checkpoints never mix: the folder's
/// name (for a Hugging Face cache snapshot, the commit hash) and the byte size of its weights.
struct ModelCatalogEmbedder: CatalogEmbedder {
    let model: FashionCLIPModel
    let modelIdentifier: String

    init(model: FashionCLIPModel) {
        self.model = model
        let folder = model.folder.standardizedFileURL
        let weights = ["model.safetensors", "onnx/model.onnx"].lazy
            .compactMap { try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).resolvingSymlinksInPath().path)[.size] as? Int }
            .first ?? 0
        modelIdentifier = "\(folder.lastPathComponent) (\(weights) bytes of weights)"
    }

    var dimension: Int { model.embeddingDimension }

    func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>] {
        model.embedImages(urls.map { .file($0) }).map { $0.mapError { $0 as Error } }
    }

    func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        try model.embedTexts(texts)
    }
}
