import Foundation

/// What a model folder holds: architecture, parameter count, tensor dtypes and which of the expected
/// files exist. Backs `fashionclip info`.
///
/// Gathering never throws: each part that cannot be read is reported as an error string, so a broken
/// folder still gets a useful report.
public struct ModelFolderInfo: Sendable, Encodable {
    /// One file a model folder may contain.
    public struct FileCheck: Sendable, Encodable, Equatable {
        /// Path relative to the folder.
        public let name: String
        /// Whether it exists.
        public let present: Bool
        /// What it is for.
        public let role: String
    }

    /// The tensors of `model.safetensors`.
    public struct WeightsSummary: Sendable, Encodable, Equatable {
        /// Elements of all floating-point tensors except ignorable `*.position_ids` buffers.
        public let parameterCount: Int
        /// Number of tensors in the file.
        public let tensorCount: Int
        /// Tensor count per dtype, e.g. `["F32": 196]`.
        public let dtypes: [String: Int]
        /// Size of the file in bytes.
        public let fileBytes: Int
        /// The file's `__metadata__`.
        public let metadata: [String: String]
    }

    /// The files looked for, with their roles (the published folder layout of ARCHITECTURE.md).
    public static let expectedFiles: [(name: String, role: String)] = [
        ("config.json", "network configuration (required)"),
        ("model.safetensors", "weights (required)"),
        ("pytorch_model.bin", "PyTorch pickle weights (not read: convert to safetensors)"),
        ("tokenizer.json", "fast tokenizer"),
        ("vocab.json", "BPE vocabulary"),
        ("merges.txt", "BPE merges"),
        ("tokenizer_config.json", "tokenizer settings"),
        ("special_tokens_map.json", "special tokens"),
        ("preprocessor_config.json", "image preprocessing"),
        ("onnx/model.onnx", "ONNX export")
    ]

    /// The folder examined.
    public let directory: String
    /// The decoded configuration, when `config.json` is readable.
    public let configuration: CLIPConfiguration?
    /// Why `config.json` could not be used.
    public let configurationError: String?
    /// The weights summary, when `model.safetensors` is valid.
    public let weights: WeightsSummary?
    /// Why `model.safetensors` could not be used (including a failed strict load when verified).
    public let weightsError: String?
    /// Whether the weights were loaded strictly into both towers (`verify`), and succeeded.
    public let verified: Bool
    /// Every expected file and whether it exists.
    public let files: [FileCheck]

    /// Examines `directory`. With `verify`, also builds the towers from the weights (strict loading;
    /// takes as long as opening the model).
    public init(directory: URL, verify: Bool = false) {
        self.directory = directory.path
        files = Self.expectedFiles.map { file in
            FileCheck(
                name: file.name, present: FileManager.default.fileExists(atPath: directory.appendingPathComponent(file.name).path),
                role: file.role)
        }
        var configuration: CLIPConfiguration?
        do {
            configuration = try CLIPConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
            configurationError = nil
        } catch {
            configurationError = "\(error)"
        }
        self.configuration = configuration
        var weights: WeightsSummary?
        var weightsError: String?
        var verified = false
        let url = directory.appendingPathComponent("model.safetensors")
        do {
            let file = try SafeTensorsFile(contentsOf: url)
            weights = Self.summarize(file, fileBytes: (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0)
            if verify, let configuration {
                _ = try CLIPDualEncoder(configuration: configuration, weights: file)
                verified = true
            }
        } catch {
            weightsError = "\(error)"
        }
        self.weights = weights
        self.weightsError = weightsError
        self.verified = verified
    }

    static func summarize(_ file: SafeTensorsFile, fileBytes: Int) -> WeightsSummary {
        var dtypes: [String: Int] = [:]
        var parameters = 0
        for info in file.tensors.values {
            dtypes[info.dtype.rawValue, default: 0] += 1
            if info.dtype.convertsToFloat && !CLIPWeights.isIgnorableBuffer(info.name) { parameters += info.elementCount }
        }
        return WeightsSummary(
            parameterCount: parameters, tensorCount: file.tensors.count, dtypes: dtypes,
            fileBytes: fileBytes, metadata: file.metadata)
    }

    /// Whether the folder can be opened as a model: configuration and weights are valid.
    public var isUsable: Bool { configuration != nil && weights != nil && weightsError == nil }

    enum CodingKeys: String, CodingKey {
        case directory, configuration, configurationError = "configuration_error", weights
        case weightsError = "weights_error", verified, files
    }
}
