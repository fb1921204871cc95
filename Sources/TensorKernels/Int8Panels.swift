import CKernels

/// The int8 form of one linear layer's weights (`LinearWeights.Precision.int8`).
///
/// Either `W` `[out, in]` is quantised here per output channel, symmetric, to 8 bits (`|q| ≤ 127`,
/// scale `max|W[j, :]| / 127`), or int8 values quantised elsewhere (an ONNX export's) are taken as
/// they are with their scales. Both are packed into 16-channel panels of int8 pairs for
/// `ck_q8_linear`, which multiplies them with AVX2 `vpmaddwd` on int16 (exact: no `vpmaddubsw`
/// saturation, so every CPU computes the same integers). Activations are quantised on each call,
/// per row or per tensor (`LinearWeights.ActivationQuantization`).
final class Int8Panels: @unchecked Sendable {
    /// `ck_q8_packed_bytes(out, in)` bytes, 64-byte aligned.
    let packed: UnsafeMutablePointer<Int8>
    /// `[out]` dequantisation scales.
    let scales: [Float]
    let activationQuantization: LinearWeights.ActivationQuantization
    let byteCount: Int
    /// The bytes `ck_weights_alloc` gave `packed` (for `ck_weights_free`).
    private let allocatedBytes: Int

    /// Quantises `weight` `[out, in]` per output channel; activations per row.
    init(weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int) {
        let bytes = ck_q8_packed_bytes(CInt(outFeatures), CInt(inFeatures))
        allocatedBytes = max(bytes, 64)
        packed = ck_weights_alloc(allocatedBytes)!.bindMemory(to: Int8.self, capacity: bytes)
        var scales = [Float](repeating: 0, count: outFeatures)
        ck_q8_pack_weights(weight.baseAddress, CInt(outFeatures), CInt(inFeatures), packed, &scales)
        self.scales = scales
        activationQuantization = .perRow
        byteCount = bytes + outFeatures * MemoryLayout<Float>.stride
    }

    /// Packs int8 `values` in `layout` with `scales` (one per output channel, or one for all).
    init(quantized values: UnsafeBufferPointer<Int8>, scales: [Float], outFeatures: Int, inFeatures: Int,
         layout: LinearWeights.Layout, activationQuantization: LinearWeights.ActivationQuantization) {
        let bytes = ck_q8_packed_bytes(CInt(outFeatures), CInt(inFeatures))
        allocatedBytes = max(bytes, 64)
        packed = ck_weights_alloc(allocatedBytes)!.bindMemory(to: Int8.self, capacity: bytes)
        let (strideOut, strideIn) = layout == .outIn ? (inFeatures, 1) : (1, outFeatures)
        ck_q8_pack_quantized(values.baseAddress, CInt(outFeatures), CInt(inFeatures), strideOut, strideIn, packed)
        self.scales = scales.count == 1 ? Array(repeating: scales[0], count: outFeatures) : scales
        self.activationQuantization = activationQuantization
        byteCount = bytes + outFeatures * MemoryLayout<Float>.stride
    }

    deinit {
        ck_weights_free(packed, allocatedBytes)
    }
}
