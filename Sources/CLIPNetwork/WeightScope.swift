import TensorKernels

/// A key prefix inside `CLIPWeights`, like `text_model.encoder.layers.3`.
struct WeightScope {
    let weights: CLIPWeights
    let prefix: String

    /// The scope `prefix.name`.
    func scope(_ name: String) -> WeightScope { WeightScope(weights: weights, prefix: key(name)) }

    /// The full key of `name` in this scope.
    func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    /// Tensor `name` with the expected `shape`.
    func tensor(_ name: String, shape: [Int]) throws -> [Float] { try weights.tensor(key(name), shape: shape) }

    /// `nn.Linear` in this scope: `weight` `[out, in]` and, when `bias`, `bias` `[out]`.
    func linear(outFeatures: Int, inFeatures: Int, bias: Bool = true) throws -> CLIPLinear {
        try CLIPLinear(parts: [self], outFeatures: [outFeatures], inFeatures: inFeatures, bias: bias)
    }

    /// `nn.LayerNorm` in this scope: `weight` and `bias` `[width]`.
    func layerNorm(width: Int, epsilon: Float) throws -> LayerNormParameters {
        LayerNormParameters(weight: try tensor("weight", shape: [width]), bias: try tensor("bias", shape: [width]), epsilon: epsilon)
    }
}
