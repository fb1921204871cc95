import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// Activation-by-activation parity with transformers' CLIPModel on the tiny fixtures.
@Suite struct ParityTests {
    static let tolerance: Float = 1e-5

    /// Compares every recorded activation in recording order; the first one over tolerance fails
    /// the test, naming it. Returns the worst relative error.
    @discardableResult
    static func compare(
        _ recorder: ActivationRecorder, with expected: SafeTensorsFile, prefix: String = "",
        fixture: ModelFixture
    ) throws -> Float {
        var worst: Float = 0
        for name in recorder.names {
            let key = prefix + name
            let info = try #require(expected.tensors[key], "\(fixture): expected.safetensors lacks \(key): run make goldens")
            let ours = recorder[name]!
            #expect(ours.values.count == info.elementCount, "\(fixture) \(key): \(ours.rows)×\(ours.columns) values, reference shape \(info.shape)")
            let comparison = ActivationComparison(name: key, ours: ours.values, reference: try expected.floats(key))
            worst = max(worst, comparison.relativeError)
            if comparison.relativeError > tolerance {
                Issue.record(
                    "\(fixture): first diverging activation \(key): max error \(comparison.maxError) vs max |ref| \(comparison.scale) (relative \(comparison.relativeError) > \(tolerance))"
                )
                return worst
            }
        }
        return worst
    }

    @Test("text tower matches transformers for each sequence", arguments: ModelFixture.variants.map(ModelFixture.init))
    func textActivations(fixture: ModelFixture) throws {
        let model = try fixture.load(towers: .text)
        let text = try #require(model.textTower)
        let expected = try fixture.expected()
        var worst: Float = 0
        for (k, ids) in try fixture.sequences(expected).enumerated() {
            let recorder = ActivationRecorder()
            _ = try text.embeddings([ids], recorder: recorder)
            #expect(recorder.names.count == 5 + text.configuration.layerCount)
            worst = max(worst, try Self.compare(recorder, with: expected, prefix: "seq\(k)/", fixture: fixture))
        }
        print("\(fixture) text: worst relative error \(worst)")
    }

    @Test("vision tower matches transformers", arguments: ModelFixture.variants.map(ModelFixture.init))
    func visionActivations(fixture: ModelFixture) throws {
        let model = try fixture.load(towers: .vision)
        let vision = try #require(model.visionTower)
        let expected = try fixture.expected()
        let recorder = ActivationRecorder()
        _ = try vision.embeddings(try fixture.pixelValues(expected), recorder: recorder)
        #expect(recorder.names.count == 5 + vision.configuration.layerCount)
        let worst = try Self.compare(recorder, with: expected, fixture: fixture)
        print("\(fixture) vision: worst relative error \(worst)")
    }

    @Test("batched texts of mixed lengths and logits_per_image match", arguments: ModelFixture.variants.map(ModelFixture.init))
    func batchedAndLogits(fixture: ModelFixture) throws {
        let model = try fixture.load()
        let expected = try fixture.expected()
        let sequences = try fixture.sequences(expected)
        let texts = try model.textEmbeddings(sequences)
        for k in sequences.indices {
            let comparison = ActivationComparison(
                name: "seq\(k)", ours: Array(texts.row(k)), reference: try expected.floats("seq\(k)/text.embeds_normalized"))
            #expect(comparison.relativeError <= Self.tolerance, "\(fixture) batched text \(k): relative error \(comparison.relativeError)")
        }
        let images = try model.imageEmbeddings(try fixture.pixelValues(expected))
        let recorder = ActivationRecorder()
        _ = try model.logitsPerImage(imageEmbeddings: images, textEmbeddings: texts, recorder: recorder)
        try Self.compare(recorder, with: expected, fixture: fixture)
        let features = try model.textFeatures(sequences)
        let reference = try expected.floats("seq4/text.embeds")
        #expect(ActivationComparison(name: "features", ours: Array(features.row(4)), reference: reference).relativeError <= Self.tolerance)
        // logit_scale was 2.6592 before rounding to the storage dtype.
        #expect(abs(try #require(model.logitScale) / expf(2.6592) - 1) < 2e-2)
    }

    @Test("padded batching gives the reference's pooled outputs", arguments: ModelFixture.variants.map(ModelFixture.init))
    func paddedBatching(fixture: ModelFixture) throws {
        let model = try fixture.load(towers: .text)
        let expected = try fixture.expected()
        var sequences = try fixture.sequences(expected)
        // A caller's own padding after EOS (here to 77 with EOS) is cut off again.
        sequences.append(sequences[2] + Array(repeating: 49407, count: 77 - sequences[2].count))
        let padded = try model.textFeatures(sequences, batching: .padded)
        let exact = try model.textFeatures(sequences, batching: .exactLength)
        for k in sequences.indices {
            let reference = try expected.floats("seq\(k == sequences.count - 1 ? 2 : k)/text.embeds")
            let comparison = ActivationComparison(name: "seq\(k)", ours: Array(padded.row(k)), reference: reference)
            #expect(comparison.relativeError <= Self.tolerance, "\(fixture) padded text \(k): relative error \(comparison.relativeError)")
            let agreement = ActivationComparison(name: "seq\(k)", ours: Array(padded.row(k)), reference: Array(exact.row(k)))
            #expect(agreement.relativeError <= 1e-6, "\(fixture) padded vs exact \(k): \(agreement.relativeError)")
        }
    }

    @Test("FashionCLIP-like checkpoint carries an ignorable I64 position_ids buffer")
    func positionIDsBufferIsIgnored() throws {
        let fixture = ModelFixture(name: "fashionclip-f32")
        let file = try SafeTensorsFile(contentsOf: fixture.directory.appendingPathComponent("model.safetensors"))
        #expect(file.tensors["text_model.embeddings.position_ids"]?.dtype == .int64)
        _ = try fixture.load()
    }
}
