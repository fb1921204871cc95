import CLIPNetwork
import Foundation
import TensorKernels

/// An ONNX export of CLIP as model zoos publish it: `onnx/model.onnx` (combined), or
/// `onnx/text_model.onnx` + `onnx/vision_model.onnx` (split, transformers.js style), each also as
/// `*_fp16.onnx` and `*_quantized.onnx`, with `config.json` next to the files or one folder up.
///
/// ```swift
/// if let export = ONNXExport.find(in: folder) {
///     let network = try export.loadNetwork()      // a CLIPDualEncoder, as from model.safetensors
/// }
/// ```
/// The graph is recognised and its initializers are loaded into the native network, so results
/// and speed are those of the safetensors checkpoint (for int8 exports, of `--precision int8`, with
/// the file's integers and onnxruntime's per-tensor activation quantization).
public struct ONNXExport: Sendable {
    /// Which file variant.
    public enum Variant: String, Sendable, CaseIterable {
        /// `model.onnx`: float32.
        case fp32 = ""
        /// `model_fp16.onnx`: float16 weights (widened exactly; computed in float32).
        case fp16 = "_fp16"
        /// `model_quantized.onnx`: dynamic int8 weights (`quantize_dynamic`), run on the int8 kernels
        /// with onnxruntime's integers.
        case int8 = "_quantized"

        /// `fp32`, `fp16` or `int8`: how `fashionclip` and `info` name the variant.
        public var name: String {
            switch self {
            case .fp32: return "fp32"
            case .fp16: return "fp16"
            case .int8: return "int8"
            }
        }

        /// The variant called `name` (`fp32`, `fp16`, `int8`), nil for any other name.
        public init?(name: String) {
            guard let variant = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = variant
        }
    }

    /// The folder holding the `.onnx` files.
    public let directory: URL
    /// The folder holding `config.json` (and normally the tokenizer and preprocessor files).
    public let assetsDirectory: URL
    public let variant: Variant
    /// The combined export, when present.
    public let combined: URL?
    /// The split text export, when there is no combined one.
    public let text: URL?
    /// The split vision export, when there is no combined one.
    public let vision: URL?

    /// Every file name `find(in:)` looks for, in order.
    public static var candidateNames: [String] {
        Variant.allCases.flatMap { v in ["model", "text_model", "vision_model"].map { "\($0)\(v.rawValue).onnx" } }
    }

    /// Finds an export in `folder` or `folder/onnx`: the first `variant` present (fp32, then fp16,
    /// then int8 unless one is asked for), the combined file before the split ones. Nil when there
    /// is none, or no `config.json` beside it or one folder up.
    public static func find(in folder: URL, variant: Variant? = nil) -> ONNXExport? {
        let fm = FileManager.default
        for directory in [folder, folder.appendingPathComponent("onnx")] {
            let assets = [directory, directory.deletingLastPathComponent()].first {
                fm.fileExists(atPath: $0.appendingPathComponent("config.json").path)
            }
            guard let assets else { continue }
            for v in variant.map({ [$0] }) ?? Variant.allCases {
                func file(_ stem: String) -> URL? {
                    let url = directory.appendingPathComponent("\(stem)\(v.rawValue).onnx")
                    return fm.fileExists(atPath: url.path) ? url : nil
                }
                if let combined = file("model") {
                    return ONNXExport(directory: directory, assetsDirectory: assets, variant: v, combined: combined, text: nil, vision: nil)
                }
                let (text, vision) = (file("text_model"), file("vision_model"))
                if text != nil || vision != nil {
                    return ONNXExport(directory: directory, assetsDirectory: assets, variant: v, combined: nil, text: text, vision: vision)
                }
            }
        }
        return nil
    }

    /// Like `find(in:variant:)`, throwing `.noModel` instead of returning nil.
    public static func locate(in folder: URL, variant: Variant? = nil) throws -> ONNXExport {
        guard let export = find(in: folder, variant: variant) else {
            throw ONNXError.noModel(
                folder: folder.path,
                lookedFor: variant.map { v in
                    ["model", "text_model", "vision_model"].map { "\($0)\(v.rawValue).onnx" }
                } ?? candidateNames)
        }
        return export
    }

    /// The export a run on `folder` loads: the `variant` asked for (`.noModel` when the folder lacks
    /// it), or, with none asked for, the first one `find(in:)` sees in a folder without
    /// `model.safetensors`. Nil when the run loads `model.safetensors` (or the folder holds neither).
    public static func select(in folder: URL, variant: Variant?) throws -> ONNXExport? {
        if let variant { return try locate(in: folder, variant: variant) }
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) ? nil : find(in: folder)
    }

    /// Reads `config.json` and the export, checks the graph against it, and loads the requested
    /// towers into a `CLIPDualEncoder`. Split exports give a network without `logitScale`.
    ///
    /// `precision` nil (the default) runs the file as stored: dynamic-int8 exports on the int8
    /// kernels (onnxruntime's integers), others in fp32. `.float32` runs an int8 export on the fp32
    /// kernels with its input quantization simulated (the same results, slower); `.int8` quantizes
    /// an fp32 export per row, as `--precision int8` does for safetensors.
    /// - Throws: `ONNXError` for the files and the graph, `CLIPNetworkError` for config.json and
    ///   for weights that the configuration does not expect.
    public func loadNetwork(
        towers: CLIPDualEncoder.Towers = .all,
        precision: LinearWeights.Precision? = nil
    ) throws -> CLIPDualEncoder {
        let configuration = try CLIPConfiguration(contentsOf: assetsDirectory.appendingPathComponent("config.json"))
        var files: [URL] = []
        if let combined {
            files = [combined]
        } else {
            if towers.contains(.text), let text { files.append(text) }
            if towers.contains(.vision), let vision { files.append(vision) }
        }
        let models = try files.map { try ONNXModel(contentsOf: $0) }
        for model in models { try Self.checkInputs(model) }
        let weights = try ONNXCLIPWeights(models: models)
        for (tower, graph) in weights.activations {
            let configured = tower == "text_model" ? configuration.text.activation : configuration.vision.activation
            guard graph == configured.rawValue else {
                throw ONNXError.activationMismatch(
                    path: models[0].url.path, scope: "\(tower).encoder.layers.*.mlp",
                    graph: graph, configuration: configured.rawValue)
            }
        }
        let precision = precision ?? (weights.quantizesLinearInputs ? .int8 : .float32)
        return try CLIPDualEncoder(configuration: configuration, weights: weights, towers: towers, precision: precision)
    }

    /// CLIP's inputs: `input_ids` / `attention_mask` integers, `pixel_values` floating point.
    static func checkInputs(_ model: ONNXModel) throws {
        for input in model.graph.inputs {
            guard let type = input.elementType else { continue }
            switch input.name {
            case "input_ids", "attention_mask":
                guard type == .int64 || type == .int32 else {
                    throw ONNXError.inputType(path: model.url.path, input: input.name, expected: ["INT64", "INT32"], found: type.name)
                }
            case "pixel_values":
                guard type == .float || type == .float16 else {
                    throw ONNXError.inputType(path: model.url.path, input: input.name, expected: ["FLOAT", "FLOAT16"], found: type.name)
                }
            default: continue
            }
        }
    }
}
