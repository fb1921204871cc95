import FashionCLIP
import Foundation
import Testing

/// The facade end to end (texts and image files in) against transformers' processor + CLIPModel.
@Suite struct FacadeParityTests {
    static let models = ["fashionclip-f32", "laion-f16"]

    @Test(arguments: models)
    func tokenIdsMatchTheReference(_ name: String) throws {
        let goldens = try FacadeFixture.goldens(name)
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder(name))
        for (text, expected) in zip(goldens.texts, goldens.token_ids) {
            #expect(try model.tokenize(text).ids.map(Int.init) == expected, "\(text)")
        }
        #expect(try model.tokenize(goldens.texts.last!).truncated)
        #expect(try !model.tokenize(goldens.texts.first!).truncated)
    }

    @Test(arguments: models)
    func textEmbeddingsMatchTheReference(_ name: String) throws {
        let goldens = try FacadeFixture.goldens(name)
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder(name))
        let embeds = try model.embedTexts(goldens.texts)
        let features = try model.embedTexts(goldens.texts, normalized: false)
        for i in goldens.texts.indices {
            #expect(FacadeFixture.cosine(embeds[i], goldens.text_embeds[i]) >= 0.99999, "\(goldens.texts[i])")
            #expect(FacadeFixture.relativeError(embeds[i], goldens.text_embeds[i]) <= 1e-5, "\(goldens.texts[i])")
            #expect(FacadeFixture.relativeError(features[i], goldens.text_features[i]) <= 1e-5, "\(goldens.texts[i])")
        }
    }

    @Test(arguments: models)
    func imageEmbeddingsMatchTheReference(_ name: String) throws {
        let goldens = try FacadeFixture.goldens(name)
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder(name), options: ModelOptions(batchSize: 3))
        let inputs = goldens.images.map { ImageInput.file(FacadeFixture.imageURL($0)) }
        let embeds = model.embedImages(inputs)
        let features = model.embedImages(inputs, normalized: false)
        for i in inputs.indices {
            let embed = try embeds[i].get(), feature = try features[i].get()
            #expect(FacadeFixture.cosine(embed, goldens.image_embeds[i]) >= 0.99999, "\(goldens.images[i])")
            #expect(FacadeFixture.relativeError(embed, goldens.image_embeds[i]) <= 1e-5, "\(goldens.images[i])")
            #expect(FacadeFixture.relativeError(feature, goldens.image_features[i]) <= 1e-5, "\(goldens.images[i])")
        }
    }

    @Test(arguments: models)
    func zeroShotProbabilitiesMatchThePipeline(_ name: String) throws {
        let goldens = try FacadeFixture.goldens(name)
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder(name))
        #expect(abs(Double(model.logitScale ?? 0) - Double(goldens.logit_scale)) <= 1e-5 * Double(goldens.logit_scale))
        let inputs = goldens.images.map { ImageInput.file(FacadeFixture.imageURL($0)) }
        let single = try model.classify(inputs, labels: goldens.labels)
        let ensemble = try model.classify(inputs, labels: goldens.labels, templates: goldens.templates)
        for i in inputs.indices {
            let scores = try single[i].get()
            #expect(scores.count == goldens.labels.count)
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0.probability >= $1.probability }, "sorted by probability")
            for score in scores {
                let j = try #require(goldens.labels.firstIndex(of: score.label))
                #expect(abs(score.probability - goldens.pipeline_probabilities[i][j]) <= 1e-5, "\(goldens.images[i]) \(score.label)")
            }
            for score in try ensemble[i].get() {
                let j = try #require(goldens.labels.firstIndex(of: score.label))
                #expect(abs(score.probability - goldens.ensemble_probabilities[i][j]) <= 1e-5, "\(goldens.images[i]) \(score.label)")
            }
        }
        let top2 = try model.classify([inputs[0]], labels: goldens.labels, topK: 2)[0].get()
        #expect(top2.count == 2)
    }

    @Test func concurrentCallersGetTheSameResults() async throws {
        let name = Self.models[0]
        let goldens = try FacadeFixture.goldens(name)
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder(name))
        let expected = try model.embedTexts(goldens.texts)
        let inputs = goldens.images.map { ImageInput.file(FacadeFixture.imageURL($0)) }
        let expectedImages = try model.embedImages(inputs).map { try $0.get() }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for k in 0..<6 {
                group.addTask {
                    if k % 2 == 0 { return try model.embedTexts(goldens.texts) == expected }
                    return try model.embedImages(inputs).map { try $0.get() } == expectedImages
                }
            }
            for try await same in group { #expect(same) }
        }
    }
}
