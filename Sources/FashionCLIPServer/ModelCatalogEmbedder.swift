import EmbeddingCatalog
import FashionCLIP
import Foundation

/// The FashionCLIP model seen through the catalog's `CatalogEmbedder` protocol (used by the server and
/// by the command-line tool's `index`, `search` and `evaluate`).
///
/// The store records `modelIdentifier`, so vectors of two different checkpoints never mix: the folder's
/// name (for a Hugging Face cache snapshot, the commit hash) and the byte size of its weights.
public struct ModelCatalogEmbedder: CatalogEmbedder {
    public let model: FashionCLIPModel
    public let modelIdentifier: String

    public init(model: FashionCLIPModel) {
        self.model = model
        let folder = model.folder.standardizedFileURL
        let weights = ["model.safetensors", "onnx/model.onnx"].lazy
            .compactMap { try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).resolvingSymlinksInPath().path)[.size] as? Int }
            .first ?? 0
        modelIdentifier = "\(folder.lastPathComponent) (\(weights) bytes of weights)"
    }

    public var dimension: Int { model.embeddingDimension }

    public func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>] {
        model.embedImages(urls.map { .file($0) }).map { $0.mapError { $0 as Error } }
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        try model.embedTexts(texts)
    }
}
