import ArgumentParser
import CLIPImageProcessing
import FashionCLIP
import Foundation

/// `fashionclip embed`: embeddings of texts and images, printed or written to .npy / .jsonl.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts and images into the model's shared space.",
        discussion: """
            Texts come first, then images, each in the order given (files of --images-dir in sorted path order). \
            Texts longer than the model's 77 positions are truncated as the tokenizer does (BOS + 75 tokens + EOS), \
            with a warning. An image that cannot be read is reported and skipped; the command fails only when \
            nothing could be embedded. With --output FILE.npy, the rows of failed images are NaN.
            """
    )

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .customLong("text"), help: "A text to embed (repeatable).")
    var texts: [String] = []

    @Option(name: .customLong("texts-file"), help: ArgumentHelp("A UTF-8 file with one text per line.", valueName: "file"))
    var textsFile: String?

    @Option(name: .customLong("image"), help: ArgumentHelp("An image file to embed (repeatable).", valueName: "path"))
    var images: [String] = []

    @Option(name: .customLong("images-dir"), help: ArgumentHelp("Embed every .jpg/.jpeg/.png/.webp under this folder.", valueName: "dir"))
    var imagesDirectory: String?

    @Flag(name: .long, help: "Output unnormalised features (get_text_features / get_image_features).")
    var unnormalized = false

    @Option(name: .long, help: ArgumentHelp("Write the embeddings to FILE.npy ([n, dim] float32) or FILE.jsonl.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false

    func validate() throws {
        if let output, !(output.hasSuffix(".npy") || output.hasSuffix(".jsonl")) {
            throw ValidationError("--output \(output): the name must end in .npy or .jsonl")
        }
    }

    func run() throws {
        var allTexts = texts
        if let textsFile {
            guard let data = FileManager.default.contents(atPath: textsFile) else {
                throw ValidationError("--texts-file \(textsFile): cannot read the file")
            }
            guard let content = String(data: data, encoding: .utf8) else {
                throw ValidationError("--texts-file \(textsFile): not valid UTF-8")
            }
            allTexts += content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
        }
        var imageURLs = images.map { URL(fileURLWithPath: $0) }
        if let imagesDirectory { imageURLs += try ImageFiles.list(folder: imagesDirectory) }
        guard !allTexts.isEmpty || !imageURLs.isEmpty else {
            throw ValidationError("nothing to embed: give --text, --texts-file, --image or --images-dir")
        }
        let towers: ModelOptions.Towers = imageURLs.isEmpty ? .textOnly : (allTexts.isEmpty ? .visionOnly : .all)
        let model = try modelArguments.open(towers: towers)

        var items: [EmbeddedItem] = []
        if !allTexts.isEmpty {
            do {
                for (index, text) in allTexts.enumerated() where try model.tokenize(text).truncated {
                    Terminal.printError("warning: text \(index + 1) is longer than \(model.maxTextLength) tokens; truncated as the tokenizer does")
                }
                let vectors = try model.embedTexts(allTexts, normalized: !unnormalized)
                items += zip(allTexts, vectors).map { EmbeddedItem(kind: "text", input: $0, embedding: $1, error: nil) }
            } catch {
                Terminal.printError("Error: \(error)")
                throw ExitCode.failure
            }
        }
        if !imageURLs.isEmpty {
            let bar = ProgressBar(total: imageURLs.count, label: "images")
            let results = model.embedImages(imageURLs.map { .file($0) }, normalized: !unnormalized) { done, _ in bar.update(done) }
            bar.finish()
            for (url, result) in zip(imageURLs, results) {
                switch result {
                case .success(let vector): items.append(EmbeddedItem(kind: "image", input: url.path, embedding: vector, error: nil))
                case .failure(let error):
                    Terminal.printError("error: \(error)")
                    items.append(EmbeddedItem(kind: "image", input: url.path, embedding: nil, error: "\(error.underlying)"))
                }
            }
        }
        let succeeded = items.filter { $0.embedding != nil }.count
        try write(items, model: model)
        if succeeded < items.count {
            Terminal.printError("\(items.count - succeeded) of \(items.count) input(s) could not be embedded")
        }
        if succeeded == 0 { throw ExitCode.failure }
    }

    private func write(_ items: [EmbeddedItem], model: FashionCLIPModel) throws {
        let dimension = model.embeddingDimension
        if let output {
            let url = URL(fileURLWithPath: output)
            if output.hasSuffix(".npy") {
                let values = items.flatMap { $0.embedding ?? [Float](repeating: .nan, count: dimension) }
                try NPYWriter.write(float32: values, shape: [items.count, dimension], to: url)
            } else {
                let encoder = JSONEncoder()
                var data = Data()
                for item in items { data += try encoder.encode(item) + Data("\n".utf8) }
                try data.write(to: url, options: .atomic)
            }
            Terminal.printError("wrote \(items.count) embedding(s) of dimension \(dimension) to \(output)")
        }
        if json {
            let document = EmbedDocument(model: modelArguments.model, dim: dimension, normalized: !unnormalized, items: items)
            Terminal.printData(try JSONEncoder().encode(document))
        } else if output == nil {
            for item in items {
                let head = item.embedding.map { v in v.prefix(4).map { String(format: "%+.4f", $0) }.joined(separator: " ") + " …" }
                print("\(item.kind.padding(toLength: 6, withPad: " ", startingAt: 0)) \(head ?? "error: \(item.error ?? "")")  \(item.input)")
            }
        }
    }
}

/// One line of `embed`'s output.
struct EmbeddedItem: Encodable {
    let kind: String
    let input: String
    let embedding: [Float]?
    let error: String?
}

/// `embed --json`'s document.
struct EmbedDocument: Encodable {
    let model: String
    let dim: Int
    let normalized: Bool
    let items: [EmbeddedItem]
}
