import CKernels

/// The bfloat16 form of one linear layer's weights (`LinearWeights.Precision.bfloat16`).
///
/// `W` is rounded once at load to bf16 (round to nearest even, as `vcvtneps2bf16`) and packed into
/// 16-channel panels of bf16 pairs for `ck_bf16_linear`, which rounds each call's input to bf16 and
/// sums the exact bf16 products in fp32 with AVX-512 `vdpbf16ps` (bias and activation in fp32): half
/// the memory of fp32 and twice its multiply rate on CPUs with AVX512_BF16.
final class BF16Panels: @unchecked Sendable {
    /// `ck_bf16_packed_count(out, in)` values, 64-byte aligned.
    let packed: UnsafeMutablePointer<UInt16>
    /// The bytes `ck_weights_alloc` gave `packed` (for `ck_weights_free`).
    private let allocatedBytes: Int
    let byteCount: Int

    /// Packs `weight` (element `(j, kk)` at `j · strideOut + kk · strideIn`) `[out, in]`.
    init(weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int, strideOut: Int, strideIn: Int) {
        (packed, allocatedBytes, byteCount) = Self.allocate(outFeatures: outFeatures, inFeatures: inFeatures)
        ck_bf16_pack_weights_strided(weight.baseAddress, CInt(outFeatures), CInt(inFeatures), strideOut, strideIn, packed)
    }

    /// Packs several `[out_i, in]` weights as one layer with their outputs concatenated, each into its
    /// own run of panels (the same values as packing the concatenation).
    /// - Precondition: every part but the last has a multiple of `CK_BF16_PANEL` outputs.
    init(weightParts: [UnsafeBufferPointer<Float>], outFeatures: [Int], inFeatures: Int) {
        let total = outFeatures.reduce(0, +)
        (packed, allocatedBytes, byteCount) = Self.allocate(outFeatures: total, inFeatures: inFeatures)
        var first = 0
        for (part, out) in zip(weightParts, outFeatures) {
            precondition(first % Int(CK_BF16_PANEL) == 0, "BF16Panels: a part starts at output \(first), inside a panel")
            ck_bf16_pack_weights_strided(
                part.baseAddress, CInt(out), CInt(inFeatures), inFeatures, 1,
                packed + ck_bf16_packed_count(CInt(first), CInt(inFeatures)))
            first += out
        }
    }

    private static func allocate(outFeatures: Int, inFeatures: Int) -> (UnsafeMutablePointer<UInt16>, Int, Int) {
        let count = ck_bf16_packed_count(CInt(outFeatures), CInt(inFeatures))
        let bytes = max(count * MemoryLayout<UInt16>.stride, 64)
        return (ck_weights_alloc(bytes)!.bindMemory(to: UInt16.self, capacity: count), bytes, count * MemoryLayout<UInt16>.stride)
    }

    deinit {
        ck_weights_free(packed, allocatedBytes)
    }

    /// Whether this CPU runs the `vdpbf16ps` kernels (AVX-512 F, BW, VL and BF16).
    static var isSupported: Bool { ck_bf16_available() != 0 }
}
