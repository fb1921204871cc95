import CKernels

/// The int8 form of one linear layer's weights (`LinearWeights.Precision.int8`).
///
/// `W` `[out, in]` is quantised per output channel, symmetric, to 8 bits (`|q| ≤ 127`, scale
/// `max|W[j, :]| / 127`) and packed into 16-channel panels of int8 pairs for `ck_q8_linear`, which
/// multiplies them with AVX2 `vpmaddwd` on int16 (exact: no `vpmaddubsw` saturation, so every CPU
/// computes the same integers). Activations are quantised per row (u8 with a zero point) on each call.
final class Int8Panels: @unchecked Sendable {
    /// `ck_q8_packed_bytes(out, in)` bytes, 64-byte aligned.
    let packed: UnsafeMutablePointer<Int8>
    /// `[out]` dequantisation scales.
    let scales: [Float]
    let byteCount: Int

    init(weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int) {
        let bytes = ck_q8_packed_bytes(CInt(outFeatures), CInt(inFeatures))
        packed = ck_aligned_alloc(max(bytes, 64))!.bindMemory(to: Int8.self, capacity: bytes)
        var scales = [Float](repeating: 0, count: outFeatures)
        ck_q8_pack_weights(weight.baseAddress, CInt(outFeatures), CInt(inFeatures), packed, &scales)
        self.scales = scales
        byteCount = bytes + outFeatures * MemoryLayout<Float>.stride
    }

    deinit {
        ck_aligned_free(packed)
    }
}
