import CLIPNetwork
import Foundation

/// What the ONNX export of a folder holds, for `fashionclip info` on folders without
/// `model.safetensors`: which files, which variant, opset, producer, parameter count, and the
/// precision a run uses.
///
/// Gathering never throws: a file that cannot be read or recognised is reported as an error string.
public struct ONNXExportInfo: Sendable, Encodable {
    /// One `.onnx` file of the export.
    public struct File: Sendable, Encodable {
        /// Path relative to the folder holding `config.json`.
        public let name: String
        public let bytes: Int
        /// `producer_name producer_version` (`pytorch 2.13.0`, `onnx.quantize 0.1.0`).
        public let producer: String?
        /// The default-domain opset.
        public let opset: Int?
        /// Elements of the CLIP weights the graph holds (as the checkpoint counts them).
        public let parameterCount: Int?
        /// Checkpoint tensors per stored data type (`["FLOAT": 200]`, `["INT8": 74, "FLOAT": 124, …]`).
        public let weightTypes: [String: Int]?
        /// Graph outputs (`text_embeds`, `logits_per_image`, …).
        public let outputs: [String]?
        /// Whether GEMM inputs are quantized dynamically (`DynamicQuantizeLinear` in the graph).
        public let dynamicInt8: Bool?
        /// Why the file could not be read or recognised.
        public let error: String?

        enum CodingKeys: String, CodingKey {
            case name, bytes, producer, opset, parameterCount = "parameter_count", weightTypes = "weight_types", outputs
            case dynamicInt8 = "dynamic_int8", error
        }
    }

    /// The folder holding the `.onnx` files.
    public let directory: String
    /// `combined` (`model*.onnx`) or `split` (`text_model*.onnx` / `vision_model*.onnx`).
    public let layout: String
    /// `fp32`, `fp16` or `int8`: the variant a run loads (the first of fp32, fp16, int8 present).
    public let variant: String
    /// The files of that variant.
    public let files: [File]
    /// Every `.onnx` file present in the folder, any variant.
    public let available: [String]
    /// The precision a run uses without `--precision`: `int8` for dynamic-int8 exports, else `float32`.
    public let precision: String
    /// Whether every weight was loaded strictly into both towers (`verify`), and succeeded.
    public let verified: Bool
    /// Why the strict load failed (with `verify`).
    public let verifyError: String?

    enum CodingKeys: String, CodingKey {
        case directory, layout, variant, files, available, precision, verified, verifyError = "verify_error"
    }

    /// Describes `export`. With `verify`, also loads it strictly into a network (as opening the model does).
    public init(export: ONNXExport, verify: Bool = false) {
        directory = export.directory.path
        layout = export.combined != nil ? "combined" : "split"
        variant = export.variant.name
        let urls = [export.combined, export.text, export.vision].compactMap { $0 }
        let base = export.assetsDirectory.standardizedFileURL.path + "/"
        files = urls.map { Self.describe($0, name: $0.standardizedFileURL.path.replacingOccurrences(of: base, with: "")) }
        available = ONNXExport.candidateNames.filter {
            FileManager.default.fileExists(atPath: export.directory.appendingPathComponent($0).path)
        }
        precision = files.contains { $0.dynamicInt8 == true } ? "int8" : "float32"
        var verified = false, verifyError: String?
        if verify {
            do {
                _ = try export.loadNetwork()
                verified = true
            } catch {
                verifyError = "\(error)"
            }
        }
        self.verified = verified
        self.verifyError = verifyError
    }

    /// Whether every file was read and recognised (and, when verified, loaded).
    public var isUsable: Bool { !files.isEmpty && files.allSatisfy { $0.error == nil } && verifyError == nil }

    static func describe(_ url: URL, name: String) -> File {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        do {
            let model = try ONNXModel(contentsOf: url)
            let weights = try ONNXCLIPWeights(models: [model])
            var types: [String: Int] = [:]
            var parameters = 0
            for key in weights.tensorKeys where !key.hasSuffix(".position_ids") {
                types[weights.storageType(of: key)?.name ?? "?", default: 0] += 1
                parameters += weights.shape(of: key)?.reduce(1, *) ?? 0
            }
            return File(
                name: name, bytes: bytes, producer: "\(model.producerName) \(model.producerVersion)", opset: model.defaultOpset,
                parameterCount: parameters, weightTypes: types, outputs: model.graph.outputs.map(\.name),
                dynamicInt8: weights.quantizesLinearInputs, error: nil)
        } catch {
            return File(
                name: name, bytes: bytes, producer: nil, opset: nil, parameterCount: nil, weightTypes: nil, outputs: nil,
                dynamicInt8: nil, error: "\(error)")
        }
    }

    /// A human-readable report, one fact per line (after `ModelFolderInfo.rendered()`).
    public func rendered() -> String {
        let kind =
            precision == "int8"
            ? "int8 (dynamic int8: the file's integers on the int8 kernels, activations quantized per tensor as onnxruntime)"
            : "float32"
        var lines = ["ONNX export: \(directory) (\(layout), \(variant)); runs in \(kind)"]
        for file in files {
            let megabytes = String(format: "%.1f", Double(file.bytes) / 1_000_000)
            if let error = file.error {
                lines.append("  \(file.name): \(megabytes) MB, unusable: \(error)")
                continue
            }
            let types = (file.weightTypes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            lines.append(
                "  \(file.name): \(megabytes) MB, opset \(file.opset ?? 0), producer \(file.producer ?? "?"), "
                    + "\(ModelFolderInfo.grouped(file.parameterCount ?? 0)) parameters (\(types)); outputs \((file.outputs ?? []).joined(separator: ", "))")
        }
        lines.append("  Files present: \(available.joined(separator: ", "))")
        if verified {
            lines.append("  Verified: every weight loaded strictly into the network")
        } else if let verifyError {
            lines.append("  Verify failed: \(verifyError)")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON (an object; `fashionclip info --json` puts it under `onnx`).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
