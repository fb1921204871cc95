import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// `config.json` decoding with transformers' defaults and legacy forms.
@Suite struct ConfigurationTests {
    static func decode(_ json: String) throws -> CLIPConfiguration {
        try CLIPConfiguration(json: Data(json.utf8))
    }

    static func field(of error: CLIPNetworkError?) -> String? {
        if case .invalidConfiguration(_, let field, _)? = error { return field }
        return nil
    }

    @Test func emptyObjectGivesViTB32Defaults() throws {
        let config = try Self.decode("{}")
        #expect(config == CLIPConfiguration())
        #expect(config.architecture == .dualEncoder)
        #expect(config.text.vocabularySize == 49408 && config.text.hiddenSize == 512 && config.text.layerCount == 12)
        #expect(config.text.attentionHeads == 8 && config.text.intermediateSize == 2048 && config.text.maxPositions == 77)
        #expect(config.text.activation == .quickGELU && config.text.eosTokenID == 49407 && config.text.layerNormEpsilon == 1e-5)
        #expect(config.vision.hiddenSize == 768 && config.vision.attentionHeads == 12 && config.vision.intermediateSize == 3072)
        #expect(config.vision.imageSize == 224 && config.vision.patchSize == 32 && config.vision.tokenCount == 50)
        #expect(config.vision.activation == .quickGELU && config.vision.channels == 3)
        #expect(config.projectionDimension == 512 && config.logitScaleInitValue == 2.6592)
        #expect(config.text.pooling == .firstOccurrence(of: 49407))
    }

    @Test func fixtureConfigurations() throws {
        let fashion = try CLIPConfiguration(contentsOf: ModelFixture(name: "fashionclip-f32").directory.appendingPathComponent("config.json"))
        #expect(fashion.text.activation == .quickGELU && fashion.vision.activation == .quickGELU)  // hidden_act absent
        #expect(fashion.text.pooling == .highestTokenID)
        #expect(fashion.text.hiddenSize == 16 && fashion.vision.hiddenSize == 40 && fashion.projectionDimension == 24)
        let laion = try CLIPConfiguration(contentsOf: ModelFixture(name: "laion-f16").directory.appendingPathComponent("config.json"))
        #expect(laion.text.activation == .gelu && laion.vision.activation == .gelu)
        #expect(laion.text.pooling == .firstOccurrence(of: 49407))
    }

    /// transformers rebuilds the tower from `text_config_dict` alone (defaults for the rest) and
    /// overwrites every field of `text_config` with it; checked in transformers 5.23.
    @Test func legacyConfigDictReplacesTheTower() throws {
        let config = try Self.decode(
            """
            {"text_config": {"eos_token_id": 2, "hidden_size": 64, "num_attention_heads": 4},
             "text_config_dict": {"hidden_size": 32, "num_attention_heads": 4},
             "vision_config_dict": null, "vision_config": {"patch_size": 16}}
            """)
        #expect(config.text.hiddenSize == 32 && config.text.eosTokenID == 49407)
        #expect(config.vision.patchSize == 16)
    }

    @Test func nullFieldsTakeDefaults() throws {
        let config = try Self.decode(#"{"text_config": {"layer_norm_eps": null, "projection_dim": null}, "vision_config": null}"#)
        #expect(config.text.layerNormEpsilon == 1e-5 && config.text.projectionDimension == 512 && config.vision == CLIPVisionConfiguration())
    }

    @Test func eosTokenIDForms() throws {
        #expect(try Self.decode(#"{"text_config": {"eos_token_id": [49407]}}"#).text.eosTokenID == 49407)
        let error = #expect(throws: CLIPNetworkError.self) { try Self.decode(#"{"text_config": {"eos_token_id": [1, 2]}}"#) }
        #expect(Self.field(of: error) == "text_config.eos_token_id")
    }

    @Test func unknownActivation() {
        #expect(throws: CLIPNetworkError.unsupportedActivation(tower: "vision_config", name: "gelu_new")) {
            try Self.decode(#"{"vision_config": {"hidden_act": "gelu_new"}}"#)
        }
    }

    @Test func invalidValuesNameTheirField() {
        let cases: [(String, String)] = [
            (#"{"text_config": {"hidden_size": 30, "num_attention_heads": 4}}"#, "text_config.num_attention_heads"),
            (#"{"vision_config": {"image_size": [224, 224]}}"#, "vision_config.image_size"),
            (#"{"vision_config": {"patch_size": 0}}"#, "vision_config.patch_size"),
            (#"{"projection_dim": "512"}"#, "projection_dim"),
            (#"{"model_type": "siglip"}"#, "model_type"),
            ("[]", "(root)"),
            // Absurd sizes are refused before anything is sized from them (issue 19, item 9).
            (#"{"text_config": {"num_hidden_layers": 1000000000}}"#, "text_config.num_hidden_layers"),
            (#"{"vision_config": {"num_hidden_layers": -1}}"#, "vision_config.num_hidden_layers"),
            (#"{"vision_config": {"hidden_size": 1000000000, "num_attention_heads": 1}}"#, "vision_config.hidden_size"),
            (#"{"text_config": {"intermediate_size": 9223372036854775807}}"#, "text_config.intermediate_size"),
            (#"{"text_config": {"vocab_size": 100000000000}}"#, "text_config.vocab_size"),
            (#"{"text_config": {"max_position_embeddings": 1000000000}}"#, "text_config.max_position_embeddings"),
            (#"{"vision_config": {"image_size": 1000000, "patch_size": 1}}"#, "vision_config.image_size"),
            (#"{"projection_dim": 100000000}"#, "projection_dim")
        ]
        for (json, field) in cases {
            let error = #expect(throws: CLIPNetworkError.self) { try Self.decode(json) }
            #expect(Self.field(of: error) == field, "\(json)")
        }
    }

    @Test func oneTowerArchitectures() throws {
        let text = try Self.decode(#"{"model_type": "clip_text_model", "hidden_size": 64, "num_attention_heads": 2, "projection_dim": 32}"#)
        #expect(text.architecture == .textWithProjection && text.text.hiddenSize == 64 && text.projectionDimension == 32)
        let vision = try Self.decode(#"{"model_type": "clip_vision_model", "image_size": 64, "projection_dim": 16}"#)
        #expect(vision.architecture == .visionWithProjection && vision.vision.imageSize == 64 && vision.projectionDimension == 16)
    }

    @Test func encodingRoundTrips() throws {
        var config = CLIPConfiguration()
        config.text.activation = .gelu
        config.text.eosTokenID = 2
        config.vision.imageSize = 336
        config.vision.patchSize = 14
        config.projectionDimension = 768
        let data = try JSONEncoder().encode(config)
        #expect(try CLIPConfiguration(json: data) == config)
        var text = CLIPConfiguration()
        text.architecture = .textWithProjection
        #expect(try CLIPConfiguration(json: try JSONEncoder().encode(text)) == text)
    }
}
