import TensorKernels

/// One pre-LayerNorm transformer block, shared by both towers.
///
/// Mirrors `CLIPEncoderLayer`, `CLIPAttention` and `CLIPMLP` of transformers' `modeling_clip.py` (5.x):
/// `x += out_proj(attention(LN1(x)))`, then `x += fc2(act(fc1(LN2(x))))`.
struct CLIPEncoderLayer: Sendable {
    let layerNorm1: LayerNormParameters
    /// `q_proj | k_proj | v_proj` fused at load: `[3 · hidden, hidden]`, so one GEMM yields the rows
    /// `Kernels.attention` expects. (Dynamic-int8 exports quantize the shared input once, with one
    /// `DynamicQuantizeLinear` feeding all three `MatMulInteger`s, so the fused GEMM sees the same integers.)
    let qkv: CLIPLinear
    let outProjection: CLIPLinear
    let layerNorm2: LayerNormParameters
    let fc1: CLIPLinear
    let fc2: CLIPLinear
    let activation: Activation
    let heads: Int

    /// Loads the block under `scope` (e.g. `text_model.encoder.layers.0`).
    init(
        scope: WeightScope, hiddenSize: Int, intermediateSize: Int, heads: Int,
        activation: Activation, layerNormEpsilon: Float
    ) throws {
        let attention = scope.scope("self_attn")
        qkv = try CLIPLinear(
            parts: ["q_proj", "k_proj", "v_proj"].map { attention.scope($0) },
            outFeatures: [hiddenSize, hiddenSize, hiddenSize], inFeatures: hiddenSize, bias: true)
        outProjection = try attention.scope("out_proj").linear(outFeatures: hiddenSize, inFeatures: hiddenSize)
        layerNorm1 = try scope.scope("layer_norm1").layerNorm(width: hiddenSize, epsilon: layerNormEpsilon)
        layerNorm2 = try scope.scope("layer_norm2").layerNorm(width: hiddenSize, epsilon: layerNormEpsilon)
        let mlp = scope.scope("mlp")
        fc1 = try mlp.scope("fc1").linear(outFeatures: intermediateSize, inFeatures: hiddenSize)
        fc2 = try mlp.scope("fc2").linear(outFeatures: hiddenSize, inFeatures: intermediateSize)
        self.activation = activation
        self.heads = heads
    }

    /// Runs the block in place on `x` `[batch · sequenceLength, hidden]`; `causal` for the text tower.
    func callAsFunction(_ x: inout Matrix, batch: Int, sequenceLength: Int, causal: Bool, context: KernelContext = .shared) {
        // q · head_dim^-0.5 (CLIPAttention.scale) is applied inside Kernels.attention.
        let projected = qkv(layerNorm1(x, context: context), context: context)
        let attended = Kernels.attention(
            qkv: projected, batch: batch, sequenceLength: sequenceLength, heads: heads,
            causal: causal, context: context)
        outProjection(attended, addingTo: &x, context: context)
        let hidden = fc1(layerNorm2(x, context: context), activation: activation, context: context)
        fc2(hidden, addingTo: &x, context: context)
    }

    /// Whether `pooledRows` gives the rows that the whole block gives: not when out_proj or the MLP
    /// quantizes its input with one scale over all rows (an int8 ONNX export), since their input
    /// would then be the pooled rows alone.
    var computesRowsAlone: Bool {
        ![outProjection, fc1, fc2].contains { $0.quantizesAcrossRows }
    }

    /// The block's output at one position of each sequence, `[batch, hidden]`: row `b` is row
    /// `b · sequenceLength + positions[b]` of what `callAsFunction` leaves in `x`. Keys and values
    /// come from every row, as they must; the query, out_proj, layer_norm2 and the MLP run on the
    /// asked rows only. A tower's last layer is read at its pooled token alone, so this spares it
    /// two thirds (an 8-token text) to three quarters (a 50-token image) of its work.
    func pooledRows(
        _ x: Matrix, positions: [Int], batch: Int, sequenceLength: Int, causal: Bool,
        context: KernelContext = .shared
    ) -> Matrix {
        precondition(computesRowsAlone, "pooledRows: a layer that quantizes across rows runs whole")
        let projected = qkv(layerNorm1(x, context: context), context: context)
        let attended = Kernels.attention(
            qkv: projected, batch: batch, sequenceLength: sequenceLength, heads: heads,
            causal: causal, queryPositions: positions, context: context)
        var y = x.rows(at: positions.enumerated().map { b, position in b * sequenceLength + position })
        outProjection(attended, addingTo: &y, context: context)
        let hidden = fc1(layerNorm2(y, context: context), activation: activation, context: context)
        fc2(hidden, addingTo: &y, context: context)
        return y
    }

    /// The block's linear layers by checkpoint scope (`self_attn.qkv` for the fused projections).
    var linearLayers: [(name: String, layer: CLIPLinear)] {
        [("self_attn.qkv", qkv), ("self_attn.out_proj", outProjection), ("mlp.fc1", fc1), ("mlp.fc2", fc2)]
    }

    /// Loads `count` blocks `scope.0 … scope.(count-1)` (`encoder.layers.{i}`).
    static func stack(
        scope: WeightScope, count: Int, hiddenSize: Int, intermediateSize: Int, heads: Int,
        activation: Activation, layerNormEpsilon: Float
    ) throws -> [CLIPEncoderLayer] {
        try (0..<count).map { index in
            try CLIPEncoderLayer(
                scope: scope.scope(String(index)), hiddenSize: hiddenSize, intermediateSize: intermediateSize,
                heads: heads, activation: activation, layerNormEpsilon: layerNormEpsilon)
        }
    }
}

extension [CLIPEncoderLayer] {
    /// Runs the stack on `x` `[batch · sequenceLength, hidden]` and returns its output at one position
    /// of each sequence, `[batch, hidden]` (row `b` at `positions[b]`). Unless a recorder asks for every
    /// layer's output (`"\(prefix).encoder.layers.\(i)"`, all rows), the last layer runs for those rows
    /// only (`pooledRows`): nothing else of it reaches a tower's features. `x` is left holding the last
    /// output that was computed for every row.
    func pooledOutput(
        _ x: inout Matrix, positions: [Int], batch: Int, sequenceLength: Int, causal: Bool,
        recorder: ActivationRecorder?, prefix: String, context: KernelContext
    ) -> Matrix {
        let pooledLast = recorder == nil && last.map(\.computesRowsAlone) == true
        for (index, layer) in enumerated().dropLast(pooledLast ? 1 : 0) {
            layer(&x, batch: batch, sequenceLength: sequenceLength, causal: causal, context: context)
            recorder?.record("\(prefix).encoder.layers.\(index)", x)
        }
        if pooledLast {
            return last!.pooledRows(
                x, positions: positions, batch: batch, sequenceLength: sequenceLength, causal: causal,
                context: context)
        }
        return x.rows(at: positions.enumerated().map { b, position in b * sequenceLength + position })
    }
}
