import TensorKernels

/// One pre-LayerNorm transformer block, shared by both towers.
///
/// Mirrors `CLIPEncoderLayer`, `CLIPAttention` and `CLIPMLP` of transformers' `modeling_clip.py` (5.x):
/// `x += out_proj(attention(LN1(x)))`, then `x += fc2(act(fc1(LN2(x))))`.
struct CLIPEncoderLayer: Sendable {
    let layerNorm1: LayerNormParameters
    /// `q_proj | k_proj | v_proj` fused at load: `[3 · hidden, hidden]`, so one GEMM yields the rows
    /// `Kernels.attention` expects.
    let qkv: LinearWeights
    let outProjection: LinearWeights
    let layerNorm2: LayerNormParameters
    let fc1: LinearWeights
    let fc2: LinearWeights
    let activation: Activation
    let heads: Int
    /// Inputs of the four GEMMs go through `DynamicQuantization` (int8 ONNX exports).
    let quantizesInputs: Bool

    /// Loads the block under `scope` (e.g. `text_model.encoder.layers.0`).
    init(scope: WeightScope, hiddenSize: Int, intermediateSize: Int, heads: Int,
         activation: Activation, layerNormEpsilon: Float) throws {
        let attention = scope.scope("self_attn")
        var fusedWeight: [Float] = []
        var fusedBias: [Float] = []
        fusedWeight.reserveCapacity(3 * hiddenSize * hiddenSize)
        fusedBias.reserveCapacity(3 * hiddenSize)
        for name in ["q_proj", "k_proj", "v_proj"] {
            let part = attention.scope(name)
            fusedWeight += try part.tensor("weight", shape: [hiddenSize, hiddenSize])
            fusedBias += try part.tensor("bias", shape: [hiddenSize])
        }
        qkv = LinearWeights(weight: fusedWeight, bias: fusedBias, outFeatures: 3 * hiddenSize, inFeatures: hiddenSize,
                            precision: scope.weights.precision)
        outProjection = try attention.scope("out_proj").linear(outFeatures: hiddenSize, inFeatures: hiddenSize)
        layerNorm1 = try scope.scope("layer_norm1").layerNorm(width: hiddenSize, epsilon: layerNormEpsilon)
        layerNorm2 = try scope.scope("layer_norm2").layerNorm(width: hiddenSize, epsilon: layerNormEpsilon)
        let mlp = scope.scope("mlp")
        fc1 = try mlp.scope("fc1").linear(outFeatures: intermediateSize, inFeatures: hiddenSize)
        fc2 = try mlp.scope("fc2").linear(outFeatures: hiddenSize, inFeatures: intermediateSize)
        self.activation = activation
        self.heads = heads
        quantizesInputs = scope.weights.source.quantizesLinearInputs
    }

    /// Runs the block in place on `x` `[batch · sequenceLength, hidden]`; `causal` for the text tower.
    func callAsFunction(_ x: inout Matrix, batch: Int, sequenceLength: Int, causal: Bool) {
        // q · head_dim^-0.5 (CLIPAttention.scale) is applied inside Kernels.attention.
        let q = quantizesInputs ? DynamicQuantization.roundTrip : { $0 }
        let projected = Kernels.linear(q(layerNorm1(x)), qkv)
        let attended = Kernels.attention(qkv: projected, batch: batch, sequenceLength: sequenceLength, heads: heads, causal: causal)
        Kernels.linear(q(attended), outProjection, addingTo: &x)
        let hidden = Kernels.linear(q(layerNorm2(x)), fc1, activation: activation)
        Kernels.linear(q(hidden), fc2, addingTo: &x)
    }

    /// Loads `count` blocks `scope.0 … scope.(count-1)` (`encoder.layers.{i}`).
    static func stack(scope: WeightScope, count: Int, hiddenSize: Int, intermediateSize: Int, heads: Int,
                      activation: Activation, layerNormEpsilon: Float) throws -> [CLIPEncoderLayer] {
        try (0..<count).map { index in
            try CLIPEncoderLayer(scope: scope.scope(String(index)), hiddenSize: hiddenSize, intermediateSize: intermediateSize,
                                 heads: heads, activation: activation, layerNormEpsilon: layerNormEpsilon)
        }
    }
}
