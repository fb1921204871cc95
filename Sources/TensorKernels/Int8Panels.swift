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

    /// Quantises several `[out_i, in]` weights as one layer with their outputs concatenated, each
    /// packed into its own run of panels (the same bytes and scales as quantising the concatenation).
    /// - Precondition: every part but the last has a multiple of `CK_Q8_PANEL` outputs.
    init(weightParts: [UnsafeBufferPointer<Float>], outFeatures: [Int], inFeatures: Int) {
        let total = outFeatures.reduce(0, +)
        let bytes = ck_q8_packed_bytes(CInt(total), CInt(inFeatures))
        allocatedBytes = max(bytes, 64)
        let packed = ck_weights_alloc(allocatedBytes)!.bindMemory(to: Int8.self, capacity: bytes)
        var scales = [Float](repeating: 0, count: total)
        var first = 0
        scales.withUnsafeMutableBufferPointer { scales in
            for (part, out) in zip(weightParts, outFeatures) {
                precondition(first % Int(CK_Q8_PANEL) == 0, "Int8Panels: a part starts at output \(first), inside a panel")
                ck_q8_pack_weights(part.baseAddress, CInt(out), CInt(inFeatures), packed + ck_q8_packed_bytes(CInt(first), CInt(inFeatures)),
                                   scales.baseAddress! + first)
                first += out
            }
        }
        self.packed = packed
        self.scales = scales
        activationQuantization = .perRow
        byteCount = bytes + total * MemoryLayout<Float>.stride
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
