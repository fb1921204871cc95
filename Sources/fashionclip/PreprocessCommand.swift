import ArgumentParser
import CLIPImageProcessing
import Foundation

/// `fashionclip preprocess`: images → the `pixel_values` tensor the model sees, as a NumPy file.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Decode and preprocess images exactly as CLIPImageProcessor (Pillow) does; write .npy tensors."
    )

    @Option(name: .long, help: "Model folder holding preprocessor_config.json (or the file itself).")
    var model: String

    @Argument(help: "Image files (JPEG, PNG, WebP, GIF first frame).")
    var images: [String]

    @Option(name: .long, help: "Write float32 pixel_values [n, 3, H, W] here (.npy).")
    var output: String?

    @Option(name: .long, help: "Write the uint8 images after resize and crop [n, H, W, 3] here (.npy).")
    var resizedOutput: String?

    @Flag(name: .long, help: "Drop alpha instead of compositing onto white (transformers 4.x behaviour).")
    var dropAlpha = false

    @Flag(name: .long, help: "Apply the EXIF orientation tag (the reference does not).")
    var exifOrientation = false

    @Option(name: .long, help: "Refuse images with more pixels than this (decompression bombs).")
    var maxPixels: Int = ImageDecodingOptions.defaultMaximumPixelCount

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
        if output == nil && resizedOutput == nil { throw ValidationError("give --output and/or --resized-output") }
        if maxPixels < 1 { throw ValidationError("--max-pixels must be at least 1") }
    }

    func run() throws {
        var configURL = URL(fileURLWithPath: model)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue {
            configURL.appendPathComponent("preprocessor_config.json")
        }
        let options = ImageDecodingOptions(
            alphaHandling: dropAlpha ? .drop : .compositeOnWhite,
            appliesEXIFOrientation: exifOrientation, maximumPixelCount: maxPixels)
        let processor = try CLIPImageProcessor(configURL: configURL, options: options)
        // Like embed: the good images are written, each bad one is reported, and only nothing at all
        // written is a failure.
        var resized: [RGBImage] = [], kept: [String] = []
        for (path, outcome) in zip(images, processor.eachResizedAndCropped(filesAt: images.map { URL(fileURLWithPath: $0) })) {
            switch outcome {
            case .success(let image):
                resized.append(image)
                kept.append(path)
            case .failure(let error):
                Terminal.printError("failed: \(path): \(error)")
            }
        }
        guard !resized.isEmpty else {
            Terminal.printError("Error: none of the \(images.count) image(s) could be preprocessed; nothing written")
            throw ExitCode.failure
        }
        let images = kept
        let (height, width) = (resized[0].height, resized[0].width)
        if let bad = resized.firstIndex(where: { $0.height != height || $0.width != width }) {
            throw ValidationError(
                "\(images[bad]) preprocesses to \(resized[bad].width) x \(resized[bad].height), "
                    + "\(images[0]) to \(width) x \(height): without a centre crop sizes differ; use one image per call")
        }
        if let resizedOutput {
            try NPYWriter.write(
                uint8: resized.flatMap(\.pixels), shape: [resized.count, height, width, 3],
                to: URL(fileURLWithPath: resizedOutput))
        }
        if let output {
            let values = resized.flatMap { processor.pixelValues(ofResized: $0) }
            try NPYWriter.write(float32: values, shape: [resized.count, 3, height, width], to: URL(fileURLWithPath: output))
        }
        let skipped = self.images.count - resized.count
        print(
            "preprocessed \(resized.count) image(s) to [\(resized.count), 3, \(height), \(width)]"
                + (skipped > 0 ? " (\(skipped) failed and left out; rows follow the order of the others)" : ""))
    }
}
