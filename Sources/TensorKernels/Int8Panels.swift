import CKernels

/// The int8 form of one linear layer's weights (`LinearWeights.Precision.int8`).
///
/// `W` `[out, in]` is quantised per output channel, symmetric, to 7 bits (`|q| ≤ 63`, scale
/// `max|W[j, :]| / 63`) and packed into 16-channel panels of 4-byte groups for `ck_q8_linear`.
/// 7 bits, as ONNX Runtime's `reduce_range`, keep AVX2's `vpmaddubsw` pair sums exact (no int16
/// saturation), so every CPU computes the same integers. Activations are quantised per row (u8,
/// zero point) on each call.
final class Int8Panels: @unchecked Sendable {
    /// `ck_q8_packed_bytes(out, in)` bytes, 64-byte aligned.
    let packed: UnsafeMutablePointer<Int8>
    /// `[out]` dequantisation scales.
    let scales: [Float]
    /// `[out]` sums of each channel's quantised weights (the zero-point correction).
    let sums: [Int32]
    let byteCount: Int

    init(weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int) {
        let bytes = ck_q8_packed_bytes(CInt(outFeatures), CInt(inFeatures))
        packed = ck_aligned_alloc(max(bytes, 64))!.bindMemory(to: Int8.self, capacity: bytes)
        var scales = [Float](repeating: 0, count: outFeatures)
        var sums = [Int32](repeating: 0, count: outFeatures)
        ck_q8_pack_weights(weight.baseAddress, CInt(outFeatures), CInt(inFeatures), packed, &scales, &sums)
        self.scales = scales
        self.sums = sums
        byteCount = bytes + outFeatures * (MemoryLayout<Float>.stride + MemoryLayout<Int32>.stride)
    }

    deinit {
        ck_aligned_free(packed)
    }
}
