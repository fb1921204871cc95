import Foundation

/// Which of the standard model files a folder holds, so callers can name exactly what is missing.
///
/// Existence only (a dangling snapshot symlink counts as missing); contents are checked by the loaders.
public struct ModelFolderFiles: Equatable, Sendable {
    /// The folder that was inspected.
    public let folder: URL
    /// Standard files present, in `ModelLocator.standardFiles` order.
    public let present: [String]
    /// Standard files absent, in `ModelLocator.standardFiles` order.
    public let missing: [String]

    /// Whether `file` (a path relative to the folder, e.g. `onnx/model.onnx`) was found.
    public func contains(_ file: String) -> Bool {
        present.contains(file)
    }
}

extension ModelLocator {
    /// The files of a published CLIP model folder (see ARCHITECTURE.md, "Model folder").
    public static let standardFiles: [String] = [
        "config.json",
        "model.safetensors",
        "vocab.json",
        "merges.txt",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "preprocessor_config.json",
        "onnx/model.onnx"
    ]

    /// Lists which `standardFiles` exist in `folder` (following symlinks).
    public static func files(in folder: URL) -> ModelFolderFiles {
        var present: [String] = []
        var missing: [String] = []
        for file in standardFiles {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(file).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                present.append(file)
            } else {
                missing.append(file)
            }
        }
        return ModelFolderFiles(folder: folder, present: present, missing: missing)
    }
}
