import ArgumentParser
import FashionCLIP
import Foundation

/// `fashionclip classify`: zero-shot labels for images.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Zero-shot classify images against a list of labels.",
        discussion: """
            Each label becomes a prompt through the template (default: "This is a photo of {}.", as the \
            transformers zero-shot pipeline). Several --template options are averaged in embedding space \
            (prompt ensembling). Probabilities are the softmax over labels of exp(logit_scale) · cosine.
            """
    )

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .long, help: ArgumentHelp("Comma-separated labels, e.g. \"t-shirt,dress,sneakers\".", valueName: "list"))
    var labels: String?

    @Option(name: .customLong("labels-file"), help: ArgumentHelp("A file with one label per line.", valueName: "file"))
    var labelsFile: String?

    @Option(name: .customLong("template"), help: ArgumentHelp("A prompt template with {} for the label (repeatable).", valueName: "text"))
    var templates: [String] = []

    @Option(name: .customLong("top-k"), help: "Show only the K most probable labels per image.")
    var topK: Int?

    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false

    @Option(name: .customLong("images-dir"), help: ArgumentHelp("Classify every .jpg/.jpeg/.png/.webp under this folder.", valueName: "dir"))
    var imagesDirectory: String?

    @Argument(help: "Image files.")
    var images: [String] = []

    func validate() throws {
        guard (labels == nil) != (labelsFile == nil) else { throw ValidationError("give exactly one of --labels or --labels-file") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1, found \(topK)") }
        guard !images.isEmpty || imagesDirectory != nil else { throw ValidationError("no images: give image files or --images-dir") }
    }

    func run() throws {
        let labelList = try readLabels()
        var urls = images.map { URL(fileURLWithPath: $0) }
        if let imagesDirectory { urls += try ImageFiles.list(folder: imagesDirectory) }
        let model = try modelArguments.open()
        let classifier: ZeroShotClassifier
        do {
            classifier = try ZeroShotClassifier(
                model: model, labels: labelList,
                templates: templates.isEmpty ? [ZeroShotClassifier.defaultTemplate] : templates)
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        let bar = ProgressBar(total: urls.count, label: "images")
        let embeddings = model.embedImages(urls.map { .file($0) }) { done, _ in bar.update(done) }
        bar.finish()
        var results: [Classification] = []
        for (url, embedding) in zip(urls, embeddings) {
            switch embedding {
            case .success(let vector):
                results.append(Classification(image: url.path, labels: classifier.classify(imageEmbedding: vector, topK: topK), error: nil))
            case .failure(let error):
                Terminal.printError("error: \(error)")
                results.append(Classification(image: url.path, labels: nil, error: "\(error.underlying)"))
            }
        }
        if json {
            Terminal.printData(try JSONEncoder().encode(results))
        } else {
            for result in results {
                print(result.image)
                if let error = result.error {
                    print("  error: \(error)")
                    continue
                }
                for score in result.labels ?? [] {
                    print(String(format: "  %6.2f%%  ", score.probability * 100) + score.label)
                }
            }
        }
        if !results.contains(where: { $0.labels != nil }) { throw ExitCode.failure }
    }

    private func readLabels() throws -> [String] {
        if let labels {
            return labels.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let path = labelsFile ?? ""
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--labels-file \(path): cannot read it as UTF-8 text")
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// One image's line of `classify --json`.
struct Classification: Encodable {
    struct Label: Encodable {
        let label: String
        let probability: Double
    }
    let image: String
    let labels: [Label]?
    let error: String?

    init(image: String, labels: [LabelScore]?, error: String?) {
        self.image = image
        self.labels = labels?.map { Label(label: $0.label, probability: $0.probability) }
        self.error = error
    }
}
