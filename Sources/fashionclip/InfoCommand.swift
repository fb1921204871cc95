import ArgumentParser
import CLIPNetwork
import CLIPONNX
import FashionCLIP
import FashionCLIPHub
import Foundation
import TensorKernels

/// `fashionclip info --model DIR [--json] [--verify] [--onnx VARIANT]`: what a model folder holds. A
/// folder without `model.safetensors`, or any folder with `--onnx`, is described by its ONNX export
/// (`ONNXExportInfo`), as `FashionCLIPModel` opens it.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model folder: both towers, parameter count, tensor dtypes and which files exist."
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A model folder, or a Hugging Face id ORG/NAME[@REVISION] already in the local Hugging Face cache.", valueName: "dir-or-id"))
    var model: String

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Also load every weight strictly into both towers.")
    var verify = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Describe the folder's ONNX export of this variant, as the other commands' --onnx loads it.", valueName: "fp32|fp16|int8"))
    var onnx: ONNXExport.Variant?

    func run() throws {
        let folder: URL
        do {
            folder = try ModelLocator().locate(model).folder
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        // ONNX-only folders or --onnx: the export, and the folder of its config.json (the folder itself, or one up).
        let onnx: ONNXExport?
        do {
            onnx = try ONNXExport.select(in: folder, variant: self.onnx)
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        let info = ModelFolderInfo(directory: onnx?.assetsDirectory ?? folder, verify: verify && onnx == nil)
        let onnxInfo = onnx.map { ONNXExportInfo(export: $0, verify: verify) }
        if json {
            var object = try JSONSerialization.jsonObject(with: try info.json()) as? [String: Any] ?? [:]
            if let onnxInfo {
                object["onnx"] = try JSONSerialization.jsonObject(with: try onnxInfo.json())
                object["weights_error"] = nil
            }
            // What this machine runs: the kernel ISA, threads and precisions (as the text's last line).
            object["kernels"] =
                [
                    "isa": Kernels.instructionSet, "extensions": Kernels.instructionExtensions,
                    "threads": Kernels.threadCount,
                    "precisions": Kernels.supportedPrecisions.map(\.rawValue)
                ] as [String: Any]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            var text = info.rendered()
            if let onnxInfo {
                // The safetensors weights line says "unusable" for a folder that has none: the export replaces it.
                text = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("Weights:      unusable") }.joined(separator: "\n")
                text += "\n" + onnxInfo.rendered()
            }
            print(text)
            let precisions = Kernels.supportedPrecisions.map(\.rawValue).joined(separator: ", ")
            let isa = ([Kernels.instructionSet] + Kernels.instructionExtensions).joined(separator: " + ")
            print("Kernels: \(isa), \(Kernels.threadCount) threads; precisions: \(precisions) (--precision)")
        }
        let usable = onnxInfo.map { $0.isUsable && info.configuration != nil } ?? info.isUsable
        if !usable { throw ExitCode.failure }
    }
}
