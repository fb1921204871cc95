import ArgumentParser
import CLIPNetwork
import FashionCLIP
import Foundation
import TensorKernels

/// `fashionclip info --model DIR [--json] [--verify]`: what a model folder holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model folder: both towers, parameter count, tensor dtypes and which files exist."
    )

    @Option(name: .long, help: ArgumentHelp(
        "A model folder, or a Hugging Face id ORG/NAME[@REVISION] already in the local Hugging Face cache.", valueName: "dir-or-id"))
    var model: String

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Also load every weight strictly into both towers.")
    var verify = false

    func run() throws {
        let folder: URL
        do {
            folder = try ModelLocator().locate(model).folder
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        let info = ModelFolderInfo(directory: folder, verify: verify)
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
