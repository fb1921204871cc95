import ArgumentParser
import CLIPNetwork
import Foundation
import TensorKernels

/// `fashionclip info --model DIR [--json] [--verify]`: what a model folder holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model folder: both towers, parameter count, tensor dtypes and which files exist."
    )

    @Option(name: .long, help: "The model folder (config.json, model.safetensors, tokenizer and preprocessor files).")
    var model: String

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Also load every weight strictly into both towers.")
    var verify = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--model \(model): no such folder.")
        }
    }

    func run() throws {
        let info = ModelFolderInfo(directory: URL(fileURLWithPath: model), verify: verify)
        if json {
            print(String(decoding: try info.json(), as: UTF8.self))
        } else {
            print(info.rendered())
            let precisions = Kernels.supportedPrecisions.map(\.rawValue).joined(separator: ", ")
            print("Kernels: \(Kernels.instructionSet), \(Kernels.threadCount) threads; precisions: \(precisions) (--precision)")
        }
        if !info.isUsable { throw ExitCode.failure }
    }
}
