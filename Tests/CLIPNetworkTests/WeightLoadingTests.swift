import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// Strict loading: every tensor used once, with the shape config.json implies.
@Suite struct WeightLoadingTests {
    static let fixture = ModelFixture(name: "fashionclip-f32")

    /// Copies the fixture, lets `change` edit its tensors, and returns the scratch folder.
    static func folder(_ change: (inout SafeTensorsBuilder) throws -> Void) throws -> ScratchModelFolder {
        let scratch = try ScratchModelFolder(copying: fixture.directory)
        var builder = try SafeTensorsBuilder(reading: scratch.weights)
        try change(&builder)
        try scratch.write(weights: try builder.encoded())
        return scratch
    }

    @Test func missingKey() throws {
        let scratch = try Self.folder { $0["text_model.final_layer_norm.bias"] = nil }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.missingTensor(key: "text_model.final_layer_norm.bias", expectedShape: [16])) {
            try CLIPDualEncoder(directory: scratch.url)
        }
        // The vision tower alone does not need it.
        #expect(try CLIPDualEncoder(directory: scratch.url, towers: .vision).visionTower != nil)
    }

    @Test func unexpectedKey() throws {
        let scratch = try Self.folder {
            $0["text_model.encoder.layers.2.mlp.fc1.bias"] = .init(
                name: "text_model.encoder.layers.2.mlp.fc1.bias", dtype: "F32", shape: [2], bytes: SafeTensorsBuilder.float32Bytes([1, 2]))
        }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.unexpectedTensors(keys: ["text_model.encoder.layers.2.mlp.fc1.bias"])) {
            try CLIPDualEncoder(directory: scratch.url)
        }
        // Skipping the text tower skips its keys, expected or not.
        #expect(try CLIPDualEncoder(directory: scratch.url, towers: .vision).textTower == nil)
    }

    @Test func wrongShape() throws {
        let scratch = try Self.folder {
            $0["visual_projection.weight"] = .init(
                name: "visual_projection.weight", dtype: "F32", shape: [24, 39],
                bytes: SafeTensorsBuilder.float32Bytes(Array(repeating: 0, count: 24 * 39)))
        }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.shapeMismatch(key: "visual_projection.weight", expected: [24, 40], found: [24, 39])) {
            try CLIPDualEncoder(directory: scratch.url)
        }
    }

    @Test func unsupportedDType() throws {
        let scratch = try Self.folder { $0["text_projection.weight"]!.dtype = "I32" }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.unsupportedDType(tensor: "text_projection.weight", dtype: "I32", supported: ["F32", "F16", "BF16"])) {
            try CLIPDualEncoder(directory: scratch.url)
        }
    }

    @Test func nonFiniteWeight() throws {
        let scratch = try Self.folder {
            $0["vision_model.embeddings.class_embedding"]!.bytes.replaceSubrange(8..<12, with: SafeTensorsBuilder.float32Bytes([.nan]))
        }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.nonFiniteWeight(key: "vision_model.embeddings.class_embedding", index: 2)) {
            try CLIPDualEncoder(directory: scratch.url)
        }
    }

    @Test func missingFilesAndBrokenConfig() throws {
        let scratch = try ScratchModelFolder(copying: Self.fixture.directory)
        defer { scratch.remove() }
        try scratch.write(config: #"{"text_config": {"hidden_size": "wide"}}"#)
        let typeError = #expect(throws: CLIPNetworkError.self) { try CLIPDualEncoder(directory: scratch.url) }
        guard case .invalidConfiguration(scratch.config.path, "text_config.hidden_size", _)? = typeError else {
            Issue.record("got \(String(describing: typeError))")
            return
        }
        try scratch.write(config: "not json")
        let error = #expect(throws: CLIPNetworkError.self) { try CLIPDualEncoder(directory: scratch.url) }
        guard case .invalidConfiguration(_, "(root)", _)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        try FileManager.default.removeItem(at: scratch.config)
        let missing = #expect(throws: CLIPNetworkError.self) { try CLIPDualEncoder(directory: scratch.url) }
        guard case .fileNotFound? = missing else {
            Issue.record("got \(String(describing: missing))")
            return
        }
    }

    @Test func configurationThatDisagreesWithWeights() throws {
        let scratch = try ScratchModelFolder(copying: Self.fixture.directory)
        defer { scratch.remove() }
        try scratch.write(
            config:
                #"{"projection_dim": 32, "text_config": {"hidden_size": 16, "num_attention_heads": 4, "num_hidden_layers": 2, "intermediate_size": 40}, "vision_config": {"hidden_size": 40, "num_attention_heads": 5, "num_hidden_layers": 2, "intermediate_size": 56, "image_size": 32, "patch_size": 8}}"#
        )
        #expect(throws: CLIPNetworkError.shapeMismatch(key: "text_projection.weight", expected: [32, 16], found: [24, 16])) {
            try CLIPDualEncoder(directory: scratch.url)
        }
    }

    @Test func oneTowerLoading() throws {
        let text = try Self.fixture.load(towers: .text)
        #expect(text.visionTower == nil && text.textTower != nil && text.logitScale != nil)
        #expect(throws: CLIPNetworkError.towerNotLoaded(tower: "vision")) {
            try text.imageEmbeddings(Matrix(zeros: 1, columns: 3 * 32 * 32))
        }
        let vision = try Self.fixture.load(towers: .vision)
        #expect(throws: CLIPNetworkError.towerNotLoaded(tower: "text")) { try vision.textEmbeddings([[49406, 49407]]) }
    }

    /// A `CLIPTextModelWithProjection` checkpoint: text keys only, the text config at the root.
    @Test func textModelWithProjectionCheckpoint() throws {
        let scratch = try Self.folder { builder in
            builder.entries.removeAll { !($0.name.hasPrefix("text_model.") || $0.name == "text_projection.weight") }
        }
        defer { scratch.remove() }
        try scratch.write(
            config:
                #"{"model_type": "clip_text_model", "hidden_size": 16, "num_attention_heads": 4, "num_hidden_layers": 2, "intermediate_size": 40, "projection_dim": 24, "eos_token_id": 2}"#
        )
        let model = try CLIPDualEncoder(directory: scratch.url)
        #expect(model.configuration.architecture == .textWithProjection)
        #expect(model.visionTower == nil && model.logitScale == nil)
        let expected = try Self.fixture.expected()
        let ids = try expected.integers("input_ids.5")
        let ours = try model.textFeatures([ids])
        let comparison = ActivationComparison(name: "text.embeds", ours: ours.values, reference: try expected.floats("seq5/text.embeds"))
        #expect(comparison.relativeError <= ParityTests.tolerance)
    }
}
