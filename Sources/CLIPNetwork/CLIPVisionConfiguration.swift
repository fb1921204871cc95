import TensorKernels

/// The vision tower's hyper-parameters: `vision_config` of a CLIP `config.json`.
///
/// Mirrors `CLIPVisionConfig` of transformers' `configuration_clip.py` (5.x): absent or `null` fields
/// take transformers' defaults (ViT-B/32).
public struct CLIPVisionConfiguration: Sendable, Equatable {
    /// `hidden_size` (768).
    public var hiddenSize = 768
    /// `intermediate_size` (3072).
    public var intermediateSize = 3072
    /// `projection_dim` (512): used by `CLIPVisionModelWithProjection` checkpoints only.
    public var projectionDimension = 512
    /// `num_hidden_layers` (12).
    public var layerCount = 12
    /// `num_attention_heads` (12).
    public var attentionHeads = 12
    /// `num_channels` (3).
    public var channels = 3
    /// `image_size` (224): input images are `[channels, imageSize, imageSize]`.
    public var imageSize = 224
    /// `patch_size` (32).
    public var patchSize = 32
    /// `hidden_act` ("quick_gelu" when absent).
    public var activation: Activation = .quickGELU
    /// `layer_norm_eps` (1e-5).
    public var layerNormEpsilon: Float = 1e-5

    /// transformers' defaults (the vision tower of ViT-B/32).
    public init() {}

    /// Width of one attention head.
    public var headDimension: Int { hiddenSize / attentionHeads }
    /// Patches per side: `imageSize / patchSize` (a stride-`patchSize` convolution ignores a remainder).
    public var gridSize: Int { imageSize / patchSize }
    /// Tokens per image: the class token plus `gridSize²` patches.
    public var tokenCount: Int { gridSize * gridSize + 1 }
    /// Values per image: `channels · imageSize · imageSize`.
    public var valuesPerImage: Int { channels * imageSize * imageSize }
}

extension CLIPVisionConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case projectionDimension = "projection_dim"
        case layerCount = "num_hidden_layers"
        case attentionHeads = "num_attention_heads"
        case channels = "num_channels"
        case imageSize = "image_size"
        case patchSize = "patch_size"
        case activation = "hidden_act"
        case layerNormEpsilon = "layer_norm_eps"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodePositive(.hiddenSize) ?? hiddenSize
        intermediateSize = try c.decodePositive(.intermediateSize) ?? intermediateSize
        projectionDimension = try c.decodePositive(.projectionDimension) ?? projectionDimension
        layerCount = try c.decodePositive(.layerCount, allowingZero: true) ?? layerCount
        attentionHeads = try c.decodePositive(.attentionHeads) ?? attentionHeads
        channels = try c.decodePositive(.channels) ?? channels
        // `image_size` / `patch_size` may be pairs in the config class, but CLIPVisionEmbeddings only
        // works with integers: a pair is reported as invalid rather than guessed at.
        imageSize = try c.decodePositive(.imageSize) ?? imageSize
        patchSize = try c.decodePositive(.patchSize) ?? patchSize
        if let name = try c.decodeIfPresent(String.self, forKey: .activation) {
            activation = try Activation(huggingFaceName: name, tower: "vision_config")
        }
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? layerNormEpsilon
        if hiddenSize % attentionHeads != 0 {
            throw DecodingError.dataCorruptedError(
                forKey: .attentionHeads, in: c,
                debugDescription: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)")
        }
        if patchSize > imageSize {
            throw DecodingError.dataCorruptedError(
                forKey: .patchSize, in: c, debugDescription: "patch_size \(patchSize) exceeds image_size \(imageSize)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(projectionDimension, forKey: .projectionDimension)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encode(attentionHeads, forKey: .attentionHeads)
        try c.encode(channels, forKey: .channels)
        try c.encode(imageSize, forKey: .imageSize)
        try c.encode(patchSize, forKey: .patchSize)
        try c.encode(activation.rawValue, forKey: .activation)
        try c.encode(layerNormEpsilon, forKey: .layerNormEpsilon)
    }
}
