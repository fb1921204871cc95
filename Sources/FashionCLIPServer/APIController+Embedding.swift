import FashionCLIP
import Foundation
import Hummingbird

extension APIController {
    /// `POST /api/embed` `{"texts": [...], "images": [base64...], "normalized": true}`:
    /// `{"dimension": d, "texts": [[...]], "images": [{"embedding": [...]} | {"error": "..."}]}`.
    /// A bad image fails alone; a bad text fails the request.
    func embed(_ request: Request) async throws -> Response {
        let body = try await JSONResponse.decode(EmbedRequest.self, from: request, limit: configuration.maxRequestBytes)
        let texts = body.texts ?? [], encoded = body.images ?? []
        guard !texts.isEmpty || !encoded.isEmpty else { throw APIError.badRequest("give \"texts\", \"images\" or both") }
        try Self.check(texts.count, atMost: configuration.maxTexts, "texts")
        try checkLengths(texts, "texts")
        try Self.check(encoded.count, atMost: configuration.maxImages, "images")
        let model = try resources.requireModel(for: "embedding")
        let images = try Self.base64Images(encoded, field: "images")
        let normalized = body.normalized ?? true
        let (textVectors, imageResults) = try await gate.run {
            (
                try texts.isEmpty ? [] : model.embedTexts(texts, normalized: normalized),
                images.isEmpty ? [] : model.embedImages(images, normalized: normalized)
            )
        }
        let outcomes = imageResults.map { result in
            switch result {
            case .success(let vector): return ImageOutcome(embedding: vector, error: nil)
            case .failure(let error): return ImageOutcome(embedding: nil, error: error.description)
            }
        }
        return try JSONResponse.make(EmbedResponse(dimension: model.embeddingDimension, texts: textVectors, images: outcomes))
    }

    /// `POST /api/embed/image` with the image file as the body: `{"dimension": d, "embedding": [...]}`;
    /// `?normalized=false` for the unnormalised features. 422 when the bytes are not a usable image.
    func embedImage(_ request: Request) async throws -> Response {
        let model = try resources.requireModel(for: "embedding")
        let data = try await Self.imageBody(request, limit: configuration.maxRequestBytes)
        let normalized = try Self.queryFlag(request, "normalized") ?? true
        let vector = try await gate.run { try model.embedImage(.data(data, name: "in the request body"), normalized: normalized) }
        return try JSONResponse.make(SingleEmbedding(dimension: vector.count, embedding: vector))
    }

    /// `POST /api/classify` `{"images": [base64...], "labels": [...], "templates": [...], "topK": k}`:
    /// `{"results": [{"labels": [{"label", "probability", "logit"}...]} | {"error": "..."}]}`.
    func classify(_ request: Request) async throws -> Response {
        let body = try await JSONResponse.decode(ClassifyRequest.self, from: request, limit: configuration.maxRequestBytes)
        guard !body.images.isEmpty else { throw APIError.badRequest("give at least one image in \"images\"") }
        try Self.check(body.images.count, atMost: configuration.maxImages, "images")
        let images = try Self.base64Images(body.images, field: "images")
        let results = try await classify(images, labels: body.labels, templates: body.templates, topK: body.topK)
        return try JSONResponse.make(
            ClassifyResponse(
                results: results.map { result in
                    switch result {
                    case .success(let scores): return ClassifyOutcome(labels: scores, error: nil)
                    case .failure(let error): return ClassifyOutcome(labels: nil, error: error.description)
                    }
                }))
    }

    /// `POST /api/classify/image?labels=a,b,c[&template=…][&topK=k]` with the image file as the body:
    /// `{"labels": [...]}`. 422 when the bytes are not a usable image.
    func classifyImage(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let labels = query.getAll("labels").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let templates = query.getAll("template")
        let topK = try Self.queryNumber(request, "topK", Int.self)
        let data = try await Self.imageBody(request, limit: configuration.maxRequestBytes)
        let result = try await classify(
            [.data(data, name: "in the request body")], labels: labels,
            templates: templates.isEmpty ? nil : templates, topK: topK)
        return try JSONResponse.make(ClassifyOutcome(labels: try result[0].get(), error: nil))
    }

    private func classify(_ images: [ImageInput], labels: [String], templates: [String]?, topK: Int?) async throws
        -> [Result<[LabelScore], ImageEmbeddingError>]
    {
        let model = try resources.requireModel(for: "zero-shot classification")
        guard !labels.isEmpty else { throw APIError.badRequest("give the labels to choose from") }
        let templates = templates ?? [ZeroShotClassifier.defaultTemplate]
        try Self.check(labels.count * templates.count, atMost: configuration.maxLabels, "label prompts (labels × templates)")
        try checkLengths(labels, "labels")
        try checkLengths(templates, "templates")
        if let topK, topK < 1 { throw APIError.badRequest("topK must be at least 1, found \(topK)") }
        let classifier = try await classifiers.classifier(labels: labels, templates: templates) {
            try await gate.run { try ZeroShotClassifier(model: model, labels: labels, templates: templates) }
        }
        let embeddings = try await gate.run { model.embedImages(images) }
        return embeddings.map { result in result.map { classifier.classify(imageEmbedding: $0, topK: topK) } }
    }

    /// The raw body of an image upload (any content type), non-empty and within the limit.
    static func imageBody(_ request: Request, limit: Int) async throws -> Data {
        let data = try await JSONResponse.body(of: request, limit: limit)
        guard !data.isEmpty else { throw APIError.badRequest("the request has no body; send the image file's bytes") }
        return data
    }
}

/// `POST /api/embed/image`'s answer.
struct SingleEmbedding: Encodable {
    var dimension: Int
    var embedding: [Float]
}
