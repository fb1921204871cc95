import Foundation

/// Recoverable failures of the facade: model folders that cannot serve a request, and bad arguments.
public enum FashionCLIPError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A file the request needs is absent from the model folder.
    case missingFile(folder: String, file: String, needed: String)
    /// The folder has PyTorch pickle weights only; we read `model.safetensors`.
    case pickleWeightsOnly(folder: String)
    /// The model folder has no text or no vision tower, or no tokenizer / preprocessor for it.
    case towerUnavailable(folder: String, tower: String, reason: String)
    /// An argument that cannot be used, e.g. an empty label list or a template without `{}`.
    case invalidArgument(name: String, expected: String, found: String)
    /// An embedding contained NaN or infinity (a broken checkpoint).
    case nonFiniteEmbedding(input: String)

    public var description: String {
        switch self {
        case .missingFile(let folder, let file, let needed):
            return "model folder \(folder): \(file) is missing (needed for \(needed)). "
                + "Check the folder, or fetch the model with `fashionclip download ORG/NAME`."
        case .pickleWeightsOnly(let folder):
            return "model folder \(folder): has pytorch_model.bin but no model.safetensors. We read safetensors only: "
                + "download the model's model.safetensors (every CLIP on the Hub publishes one)."
        case .towerUnavailable(let folder, let tower, let reason):
            return "model folder \(folder): cannot embed with the \(tower) tower: \(reason)"
        case .invalidArgument(let name, let expected, let found):
            return "\(name): expected \(expected), found \(found)"
        case .nonFiniteEmbedding(let input):
            return "embedding of \(input) contains NaN or infinity: the checkpoint is broken"
        }
    }

    public var errorDescription: String? { description }
}
