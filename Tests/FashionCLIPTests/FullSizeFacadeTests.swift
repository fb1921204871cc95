import FashionCLIP
import Foundation
import Testing

/// Opt-in: a full-size folder named by `FASHIONCLIP_MODEL_DIR` holding `facade_expected.json`
/// (`Scripts/reference/make_facade_goldens.py --model DIR`). Texts and image files through the whole
/// facade against transformers: cosine ≥ 0.99999, zero-shot probabilities within 1e-5.
private let fullSizeModelFolder = ProcessInfo.processInfo.environment["FASHIONCLIP_MODEL_DIR"].map { URL(fileURLWithPath: $0) }

@Suite(.enabled(if: fullSizeModelFolder != nil, "set FASHIONCLIP_MODEL_DIR to a full-size model folder"))
struct FullSizeFacadeTests {

    @Test func embeddingsAndProbabilitiesMatchTransformers() throws {
        let folder = try #require(fullSizeModelFolder)
        let goldens = try FacadeFixture.load(folder.appendingPathComponent("facade_expected.json"))
        let started = Date()
        let model = try FashionCLIPModel(folder: folder)
        let loadSeconds = Date().timeIntervalSince(started)
        let texts = try model.embedTexts(goldens.texts)
        var worstText = 1.0
        for (i, expected) in goldens.text_embeds.enumerated() { worstText = min(worstText, FacadeFixture.cosine(texts[i], expected)) }
        let inputs = goldens.images.map { ImageInput.file(FacadeFixture.imageURL($0)) }
        let images = try model.embedImages(inputs).map { try $0.get() }
        var worstImage = 1.0
        for (i, expected) in goldens.image_embeds.enumerated() { worstImage = min(worstImage, FacadeFixture.cosine(images[i], expected)) }
        print("full-size facade: load \(String(format: "%.2f", loadSeconds)) s, worst cosine text \(worstText), image \(worstImage)")
        #expect(worstText >= 0.99999)
        #expect(worstImage >= 0.99999)
        let scores = try model.classify(inputs, labels: goldens.labels)
        var worstProbability = 0.0
        for (i, result) in scores.enumerated() {
            for score in try result.get() {
                let j = try #require(goldens.labels.firstIndex(of: score.label))
                worstProbability = max(worstProbability, abs(score.probability - goldens.pipeline_probabilities[i][j]))
            }
        }
        print("full-size facade: worst |Δ probability| \(worstProbability)")
        #expect(worstProbability <= 1e-5)
    }
}
