import ArgumentParser
import CLIPImageProcessing
import CLIPONNX
import FashionCLIP
import Foundation

/// `--model`, `--batch-size`, `--precision` and `--onnx`, shared by every command that runs the model.
struct ModelArguments: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A model folder, or a Hugging Face id ORG/NAME[@REVISION] already in the local Hugging Face cache.",
            valueName: "dir-or-id"))
    var model: String

    @Option(name: .long, help: "Images per forward pass.")
    var batchSize = 32

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Weights and arithmetic of the encoder layers: float32 (reference), int8 (dynamic quantisation, ~4× smaller; VNNI where the CPU has it) or bf16 (bfloat16 weights and layer inputs, fp32 sums, ~2× smaller; only on CPUs with AVX512_BF16, see `fashionclip info`). Default: as stored (int8 for *_quantized.onnx exports, float32 otherwise).",
            valueName: "float32|int8|bf16"))
    var precision: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Load the folder's ONNX export of this variant (onnx/model.onnx, model_fp16.onnx, model_quantized.onnx or the split text_/vision_ files), even beside model.safetensors. Default: model.safetensors, else the first export present (fp32, fp16, int8).",
            valueName: "fp32|fp16|int8"))
    var onnx: ONNXExport.Variant?

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1, found \(batchSize)") }
        if let precision, ModelOptions.Precision(rawValue: precision) == nil {
            let known = ModelOptions.Precision.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--precision: expected one of \(known), found \(precision)")
        }
    }

    /// Opens the model; errors are printed as one line and end the command with a failure.
    /// - Parameter imageDecoding: how images are decoded (the server refuses larger images than the CLI).
    func open(towers: ModelOptions.Towers = .all, imageDecoding: ImageDecodingOptions = ImageDecodingOptions()) throws
        -> FashionCLIPModel
    {
        do {
            return try FashionCLIPModel(
                model,
                options: ModelOptions(
                    towers: towers, batchSize: batchSize, imageDecoding: imageDecoding,
                    precision: precision.flatMap { ModelOptions.Precision(rawValue: $0) }, onnxVariant: onnx))
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `--onnx fp32|fp16|int8`: ArgumentParser checks the value and lists the names in its errors.
extension ONNXExport.Variant: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
    public var defaultValueDescription: String { name }
}

/// Image inputs given as files and/or folders.
enum ImageFiles {
    /// Extensions treated as images when a folder is listed.
    static let extensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    /// Every image file under `folder` (recursively), in sorted path order.
    static func list(folder: String) throws -> [URL] {
        let root = URL(fileURLWithPath: folder, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--images-dir \(folder): no such folder")
        }
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw ValidationError("--images-dir \(folder): cannot list the folder")
        }
        var files: [URL] = []
        for case let url as URL in walker where extensions.contains(url.pathExtension.lowercased()) {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
