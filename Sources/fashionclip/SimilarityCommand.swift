import ArgumentParser
import FashionCLIP
import Foundation

/// `fashionclip similarity`: the image × text cosine and logit matrices.
struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Cosine similarities and logits (exp(logit_scale) · cosine) between images and texts."
    )

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .customLong("text"), help: "A text (repeatable).")
    var texts: [String] = []

    @Option(name: .customLong("image"), help: ArgumentHelp("An image file (repeatable).", valueName: "path"))
    var images: [String] = []

    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false

    func validate() throws {
        guard !texts.isEmpty, !images.isEmpty else { throw ValidationError("give at least one --text and one --image") }
    }

    func run() throws {
        let model = try modelArguments.open()
        let textVectors: [[Float]]
        do {
            textVectors = try model.embedTexts(texts)
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
        let imageResults = model.embedImages(images.map { .file(URL(fileURLWithPath: $0)) })
        var rows: [SimilarityRow] = []
        for (path, result) in zip(images, imageResults) {
            switch result {
            case .success(let vector):
                let cosines = textVectors.map { t in zip(t, vector).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
                let logits = cosines.map { (model.logitScale ?? 1) * $0 }
                let top = logits.max() ?? 0
                let exps = logits.map { exp(Double($0 - top)) }
                let sum = exps.reduce(0, +)
                rows.append(SimilarityRow(image: path, cosine: cosines, logits: logits, probabilities: exps.map { $0 / sum }, error: nil))
            case .failure(let error):
                Terminal.printError("error: \(error)")
                rows.append(SimilarityRow(image: path, cosine: nil, logits: nil, probabilities: nil, error: "\(error.underlying)"))
            }
        }
        if json {
            let document = SimilarityDocument(texts: texts, logitScale: model.logitScale, rows: rows)
            Terminal.printData(try JSONEncoder().encode(document))
        } else {
            print("cosine (rows: images, columns: texts)")
            for (i, text) in texts.enumerated() { print("  [\(i + 1)] \(text)") }
            for row in rows {
                let cells = row.cosine.map { $0.map { String(format: "%+.4f", $0) }.joined(separator: "  ") } ?? "error: \(row.error ?? "")"
                print("\(cells)  \(row.image)")
            }
        }
        if !rows.contains(where: { $0.cosine != nil }) { throw ExitCode.failure }
    }
}

/// One image's similarities to every text.
struct SimilarityRow: Encodable {
    let image: String
    let cosine: [Float]?
    /// `logits_per_image` row.
    let logits: [Float]?
    /// Softmax of the logits over the texts.
    let probabilities: [Double]?
    let error: String?
}

/// `similarity --json`'s document.
struct SimilarityDocument: Encodable {
    let texts: [String]
    let logitScale: Float?
    let rows: [SimilarityRow]
}
