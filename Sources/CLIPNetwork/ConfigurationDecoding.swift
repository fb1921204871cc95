import TensorKernels

/// The largest value each size field of `config.json` may take: far above any CLIP published (ViT-bigG:
/// hidden 1664, MLP 8192, 48 layers; vocabularies of 49 408 to 250 000), and low enough that nothing
/// sized from the configuration before the weights' shapes are checked can ask for an absurd
/// allocation (a `num_hidden_layers` of 10⁹ aborted reserving 120 GB).
enum ConfigurationLimits {
    static let maximum: [String: Int] = [
        "num_hidden_layers": 256, "hidden_size": 16384, "intermediate_size": 131_072, "projection_dim": 16384,
        "num_attention_heads": 1024, "vocab_size": 4_194_304, "max_position_embeddings": 65536,
        "image_size": 8192, "patch_size": 8192, "num_channels": 64
    ]
}

extension KeyedDecodingContainer {
    /// Decodes an optional integer that must be positive (or, with `allowingZero`, not negative) when
    /// present, and at most its field's `ConfigurationLimits` value.
    func decodePositive(_ key: Key, allowingZero: Bool = false) throws -> Int? {
        guard let value = try decodeIfPresent(Int.self, forKey: key) else { return nil }
        guard value > 0 || (allowingZero && value == 0) else {
            let kind = allowingZero ? "an integer ≥ 0" : "a positive integer"
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected \(kind), found \(value)")
        }
        if let limit = ConfigurationLimits.maximum[key.stringValue], value > limit {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected at most \(limit), found \(value) (a damaged or hostile config.json)")
        }
        return value
    }

    /// Decodes a token id written as an integer or a one-element list (`int | list[int]` in transformers).
    func decodeTokenID(_ key: Key) throws -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        guard let list = try decodeIfPresent([Int].self, forKey: key) else { return nil }
        guard list.count == 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "expected one token id, found the list \(list) (pooling needs a single end-of-text id)")
        }
        return list[0]
    }
}

extension Activation {
    /// The activation named by a `hidden_act` value of transformers' `ACT2FN`.
    ///
    /// Only the two CLIP uses are provided: `quick_gelu` (x · sigmoid(1.702 x)) and `gelu` (exact erf).
    init(huggingFaceName name: String, tower: String) throws {
        switch name {
        case "quick_gelu": self = .quickGELU
        case "gelu": self = .gelu
        default: throw CLIPNetworkError.unsupportedActivation(tower: tower, name: name)
        }
    }
}
