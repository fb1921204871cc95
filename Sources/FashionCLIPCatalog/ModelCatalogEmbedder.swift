import EmbeddingCatalog
import FashionCLIP
import Foundation

/// The FashionCLIP model seen through the catalog's `CatalogEmbedder` protocol (used by the server and
/// by the command-line tool's `index`, `search` and `evaluate`).
///
/// The store records `modelIdentifier`, so vectors of two different checkpoints never mix: the folder's
/// name (for a Hugging Face cache snapshot, the commit hash), the byte size of its weights and a
/// fingerprint of their content (the first 64 KiB, which hold a safetensors header with every
/// tensor's offsets, 64 blocks of 4 KiB spread over the rest, and the last 4 KiB; a fine-tune changes
/// every block, so a sample is enough): fine-tuned weights saved under the
/// same folder name and size re-embed instead of being taken as unchanged.
public struct ModelCatalogEmbedder: CatalogEmbedder {
    public let model: FashionCLIPModel
    public let modelIdentifier: String

    public init(model: FashionCLIPModel) {
        self.model = model
        let folder = model.folder.standardizedFileURL
        let file = ["model.safetensors", "onnx/model.onnx", "onnx/vision_model.onnx", "onnx/text_model.onnx"].lazy
            .map { folder.appendingPathComponent($0).resolvingSymlinksInPath() }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        let size = file.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int } ?? 0
        let print = file.flatMap(Self.fingerprint).map { String(format: ", content %016llx", $0) } ?? ""
        modelIdentifier = "\(folder.lastPathComponent) (\(size) bytes of weights\(print))"
    }

    /// A stable hash of the file's first 64 KiB, of 64 blocks of 4 KiB spread evenly after them and of
    /// its last 4 KiB;
    /// nil when the file cannot be read.
    static func fingerprint(of url: URL) -> UInt64? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        var hash = ContentHash()
        let head: UInt64 = 64 << 10, block: UInt64 = 4 << 10
        // The head, 64 blocks spread over the rest, and the last block.
        let offsets = [0] + (size > head ? (0..<64).map { head + (size - head) / 64 * UInt64($0) } + [max(head, size - block)] : [])
        for (index, offset) in offsets.enumerated() {
            guard (try? handle.seek(toOffset: offset)) != nil,
                let bytes = try? handle.read(upToCount: Int(index == 0 ? head : block))
            else { return nil }
            hash.combine(bytes: bytes)
        }
        hash.combine(size)
        return hash.value
    }

    public var dimension: Int { model.embeddingDimension }

    public func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>] {
        model.embedImages(urls.map { .file($0) }).map { $0.mapError { $0 as Error } }
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        try model.embedTexts(texts)
    }
}
