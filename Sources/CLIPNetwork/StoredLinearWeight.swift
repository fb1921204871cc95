import TensorKernels

/// The weight of one linear layer (or of the patch convolution) as a checkpoint stores it, so the
/// network packs it without a conversion: ONNX `MatMul` weights stay `[in, out]`, and the int8
/// weights of dynamic-int8 exports stay int8 (`CLIPTensorSource.storedLinearWeight(_:)`).
public struct StoredLinearWeight: Sendable {
    /// The values, in `layout`.
    public enum Values: Sendable {
        /// fp32 values.
        case float32([Float])
        /// int8 values with the zero point already subtracted, and `[out]` or `[1]` scales:
        /// `W = q · scale` (what `LinearWeights(quantized:…)` packs).
        case int8([Int8], scales: [Float])
    }

    public let values: Values
    /// `[out, in]` (PyTorch, convolutions) or `[in, out]` (ONNX `MatMul`).
    public let layout: LinearWeights.Layout
    /// The exporting graph quantizes this layer's input dynamically, one scale per tensor
    /// (`DynamicQuantizeLinear` before `MatMulInteger` / `ConvInteger`): the network then reproduces
    /// that, on the int8 kernels or by `DynamicQuantization` on the fp32 ones.
    public let quantizesInput: Bool

    public init(values: Values, layout: LinearWeights.Layout, quantizesInput: Bool) {
        self.values = values
        self.layout = layout
        self.quantizesInput = quantizesInput
    }

    /// fp32 values in `layout` (int8 values dequantized: `Float(q) · scale`, as
    /// `(q − zero point) · scale` of the file), for `outFeatures` outputs.
    func floats(outFeatures: Int) -> [Float] {
        switch values {
        case .float32(let values):
            return values
        case let .int8(q, scales):
            guard scales.count > 1 else { return q.map { Float($0) * scales[0] } }
            let inFeatures = q.count / max(outFeatures, 1)
            return q.indices.map { i in
                let channel = layout == .outIn ? i / inFeatures : i % outFeatures
                return Float(q[i]) * scales[channel]
            }
        }
    }

    /// The first non-finite value (or scale), if any.
    var firstNonFinite: Int? {
        switch values {
        case .float32(let values): return Kernels.firstNonFinite(values)
        case .int8(_, let scales): return scales.firstIndex { !$0.isFinite }
        }
    }
}
