import Foundation

/// One label's score for one image.
public struct LabelScore: Sendable, Equatable, Codable {
    /// The label as given.
    public let label: String
    /// Softmax over all labels of `exp(logit_scale) · cosine`: the zero-shot pipeline's `score`.
    public let probability: Double
    /// `exp(logit_scale) · cosine` (the `logits_per_image` entry).
    public let logit: Float
}

/// Zero-shot image classification against a fixed label set, as transformers'
/// `ZeroShotImageClassificationPipeline`: each label becomes a prompt through the template
/// (default `"This is a photo of {}."`), and an image's probabilities are the softmax of
/// `exp(logit_scale) · cosine` over the labels.
///
/// With several templates, each label's prompt embeddings are averaged and renormalised (prompt
/// ensembling, as in the CLIP paper); with one template the result is exactly the pipeline's.
/// The label embeddings are computed once, at construction.
public struct ZeroShotClassifier: Sendable {
    /// The template of the transformers pipeline.
    public static let defaultTemplate = "This is a photo of {}."

    /// Labels, in the order given.
    public let labels: [String]
    /// Prompt templates; `{}` stands for the label.
    public let templates: [String]
    /// `[labels.count][dimension]` L2-normalised (ensembled) label embeddings.
    public let labelEmbeddings: [[Float]]
    /// `exp(logit_scale)` of the model.
    public let logitScale: Float

    /// Embeds every `template × label` prompt with `model`.
    /// - Throws: `FashionCLIPError.invalidArgument` for no labels, an empty or duplicate label, no
    ///   templates or a template without `{}`; the model's errors.
    public init(model: FashionCLIPModel, labels: [String], templates: [String] = [ZeroShotClassifier.defaultTemplate]) throws {
        guard !labels.isEmpty else {
            throw FashionCLIPError.invalidArgument(name: "labels", expected: "at least one label", found: "none")
        }
        if let index = labels.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw FashionCLIPError.invalidArgument(name: "labels", expected: "non-empty labels", found: "an empty label at position \(index + 1)")
        }
        var seen = Set<String>()
        for label in labels where !seen.insert(label).inserted {
            throw FashionCLIPError.invalidArgument(name: "labels", expected: "distinct labels", found: "\"\(label)\" twice")
        }
        guard !templates.isEmpty else {
            throw FashionCLIPError.invalidArgument(name: "templates", expected: "at least one template", found: "none")
        }
        for template in templates where !template.contains("{}") {
            throw FashionCLIPError.invalidArgument(
                name: "template", expected: "a template with {} where the label goes", found: "\"\(template)\"")
        }
        guard let logitScale = model.logitScale else {
            throw FashionCLIPError.towerUnavailable(
                folder: model.folder.path, tower: "logit scale", reason: "zero-shot classification needs a dual-encoder checkpoint")
        }
        let prompts = templates.flatMap { template in labels.map { template.replacingOccurrences(of: "{}", with: $0) } }
        let embedded = try model.embedTexts(prompts)
        var ensembled: [[Float]] = []
        for l in labels.indices {
            var sum = [Double](repeating: 0, count: model.embeddingDimension)
            for t in templates.indices {
                for (j, v) in embedded[t * labels.count + l].enumerated() { sum[j] += Double(v) }
            }
            let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
            ensembled.append(sum.map { Float(norm > 0 ? $0 / norm : 0) })
        }
        self.labels = labels
        self.templates = templates
        self.labelEmbeddings = ensembled
        self.logitScale = logitScale
    }

    /// Scores of every label for one L2-normalised image embedding, most probable first.
    /// - Parameter topK: keep only the `topK` best (nil: all).
    public func classify(imageEmbedding: [Float], topK: Int? = nil) -> [LabelScore] {
        precondition(imageEmbedding.count == labelEmbeddings.first?.count, "classify: embedding of the wrong width")
        let logits = labelEmbeddings.map { label in
            var dot: Float = 0
            for j in label.indices { dot += label[j] * imageEmbedding[j] }
            return logitScale * dot
        }
        let maxLogit = Double(logits.max() ?? 0)
        let exps = logits.map { exp(Double($0) - maxLogit) }
        let total = exps.reduce(0, +)
        let scores = labels.indices.map { LabelScore(label: labels[$0], probability: exps[$0] / total, logit: logits[$0]) }
        // Stable order for ties: the order labels were given.
        let sorted = scores.enumerated().sorted {
            $0.element.probability != $1.element.probability ? $0.element.probability > $1.element.probability : $0.offset < $1.offset
        }.map(\.element)
        return Array(sorted.prefix(max(0, topK ?? sorted.count)))
    }
}

extension FashionCLIPModel {
    /// Zero-shot classification of each input against `labels` (see `ZeroShotClassifier`).
    /// - Returns: per input, the label scores most probable first, or why it could not be embedded.
    /// - Throws: only for a bad label set or template, or a model without a text tower.
    public func classify(
        _ inputs: [ImageInput], labels: [String],
        templates: [String] = [ZeroShotClassifier.defaultTemplate], topK: Int? = nil
    )
        throws -> [Result<[LabelScore], ImageEmbeddingError>]
    {
        let classifier = try ZeroShotClassifier(model: self, labels: labels, templates: templates)
        return embedImages(inputs).map { result in
            result.map { classifier.classify(imageEmbedding: $0, topK: topK) }
        }
    }
}
