import TensorKernels

/// The text tower's hyper-parameters: `text_config` of a CLIP `config.json`.
///
/// Mirrors `CLIPTextConfig` of transformers' `configuration_clip.py` (5.x): every field that is absent
/// or `null` takes transformers' default, and only the fields the forward pass reads are kept.
public struct CLIPTextConfiguration: Sendable, Equatable {
    /// `vocab_size` (49408).
    public var vocabularySize = 49408
    /// `hidden_size` (512).
    public var hiddenSize = 512
    /// `intermediate_size` (2048): width of the MLP.
    public var intermediateSize = 2048
    /// `projection_dim` (512): used by `CLIPTextModelWithProjection` checkpoints only; `CLIPModel`
    /// uses the top-level `projection_dim`.
    public var projectionDimension = 512
    /// `num_hidden_layers` (12).
    public var layerCount = 12
    /// `num_attention_heads` (8).
    public var attentionHeads = 8
    /// `max_position_embeddings` (77): the longest token sequence.
    public var maxPositions = 77
    /// `hidden_act` ("quick_gelu" when absent, as FashionCLIP's config.json relies on).
    public var activation: Activation = .quickGELU
    /// `layer_norm_eps` (1e-5).
    public var layerNormEpsilon: Float = 1e-5
    /// `pad_token_id` (1).
    public var padTokenID: Int? = 1
    /// `bos_token_id` (49406).
    public var bosTokenID: Int? = 49406
    /// `eos_token_id` (49407); the legacy value 2 selects argmax pooling.
    public var eosTokenID = 49407

    /// transformers' defaults (the text tower of ViT-B/32).
    public init() {}

    /// Width of one attention head.
    public var headDimension: Int { hiddenSize / attentionHeads }

    /// Where the text tower reads its pooled output, derived from `eos_token_id` as
    /// `CLIPTextModel.forward` does.
    public var pooling: TextPooling {
        // modeling_clip.py: `if self.eos_token_id == 2` → argmax of the ids (configs before PR #24773).
        eosTokenID == 2 ? .highestTokenID : .firstOccurrence(of: eosTokenID)
    }
}

extension CLIPTextConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case projectionDimension = "projection_dim"
        case layerCount = "num_hidden_layers"
        case attentionHeads = "num_attention_heads"
        case maxPositions = "max_position_embeddings"
        case activation = "hidden_act"
        case layerNormEpsilon = "layer_norm_eps"
        case padTokenID = "pad_token_id"
        case bosTokenID = "bos_token_id"
        case eosTokenID = "eos_token_id"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabularySize = try c.decodePositive(.vocabularySize) ?? vocabularySize
        hiddenSize = try c.decodePositive(.hiddenSize) ?? hiddenSize
        intermediateSize = try c.decodePositive(.intermediateSize) ?? intermediateSize
        projectionDimension = try c.decodePositive(.projectionDimension) ?? projectionDimension
        layerCount = try c.decodePositive(.layerCount, allowingZero: true) ?? layerCount
        attentionHeads = try c.decodePositive(.attentionHeads) ?? attentionHeads
        maxPositions = try c.decodePositive(.maxPositions) ?? maxPositions
        if let name = try c.decodeIfPresent(String.self, forKey: .activation) {
            activation = try Activation(huggingFaceName: name, tower: "text_config")
        }
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? layerNormEpsilon
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID) ?? padTokenID
        bosTokenID = try c.decodeIfPresent(Int.self, forKey: .bosTokenID) ?? bosTokenID
        eosTokenID = try c.decodeTokenID(.eosTokenID) ?? eosTokenID
        // configuration_clip.py `validate_architecture`.
        if hiddenSize % attentionHeads != 0 {
            throw DecodingError.dataCorruptedError(
                forKey: .attentionHeads, in: c,
                debugDescription: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabularySize, forKey: .vocabularySize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(projectionDimension, forKey: .projectionDimension)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encode(attentionHeads, forKey: .attentionHeads)
        try c.encode(maxPositions, forKey: .maxPositions)
        try c.encode(activation.rawValue, forKey: .activation)
        try c.encode(layerNormEpsilon, forKey: .layerNormEpsilon)
        try c.encodeIfPresent(padTokenID, forKey: .padTokenID)
        try c.encodeIfPresent(bosTokenID, forKey: .bosTokenID)
        try c.encode(eosTokenID, forKey: .eosTokenID)
    }
}
