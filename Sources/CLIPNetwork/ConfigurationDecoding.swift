import TensorKernels

extension KeyedDecodingContainer {
    /// Decodes an optional integer that must be positive when present.
    func decodePositive(_ key: Key) throws -> Int? {
        guard let value = try decodeIfPresent(Int.self, forKey: key) else { return nil }
        guard value > 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a positive integer, found \(value)")
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
