import CKernels

/// The int8 form of one linear layer's weights (`LinearWeights.Precision.int8`).
///
/// Either `W` `[out, in]` is quantised here per output channel, symmetric, to 8 bits (`|q| ≤ 127`,
/// scale `max|W[j, :]| / 127`), or int8 values quantised elsewhere (an ONNX export's) are taken as
/// they are with their scales. Both are packed into 16-channel panels for `ck_q8_linear`, in the
/// layout this CPU multiplies fastest (`Int8Layout`): int8 quads with their row sums for AVX-512 VNNI
/// `vpdpbusd`, int8 pairs for AVX2 `vpmaddwd` elsewhere. Every layout and path computes the same
/// exact integers. Activations are quantised on each call, per row or per tensor
/// (`LinearWeights.ActivationQuantization`).
final class Int8Panels: @unchecked Sendable {
    /// `ck_q8_packed_bytes(layout, out, in)` bytes, 64-byte aligned.
    let packed: UnsafeMutablePointer<Int8>
    /// How `packed` is laid out.
    let layout: Int8Layout
    /// `[out]` dequantisation scales.
    let scales: [Float]
    let activationQuantization: LinearWeights.ActivationQuantization
    let byteCount: Int
    /// The bytes `ck_weights_alloc` gave `packed` (for `ck_weights_free`).
    private let allocatedBytes: Int

    /// Quantises `weight` `[out, in]` per output channel; activations per row.
    init(weight: UnsafeBufferPointer<Float>, outFeatures: Int, inFeatures: Int, layout: Int8Layout = .best) {
        let bytes = ck_q8_packed_bytes(layout.cLayout, CInt(outFeatures), CInt(inFeatures))
        allocatedBytes = max(bytes, 64)
        packed = ck_weights_alloc(allocatedBytes)!.bindMemory(to: Int8.self, capacity: bytes)
        self.layout = layout
        var scales = [Float](repeating: 0, count: outFeatures)
        ck_q8_pack_weights(layout.cLayout, weight.baseAddress, CInt(outFeatures), CInt(inFeatures), packed, &scales)
        self.scales = scales
        activationQuantization = .perRow
        byteCount = bytes + outFeatures * MemoryLayout<Float>.stride
    }

    /// Quantises several `[out_i, in]` weights as one layer with their outputs concatenated, each
    /// packed into its own run of panels (the same bytes and scales as quantising the concatenation).
    /// - Precondition: every part but the last has a multiple of `CK_Q8_PANEL` outputs.
    init(weightParts: [UnsafeBufferPointer<Float>], outFeatures: [Int], inFeatures: Int, layout: Int8Layout = .best) {
        let total = outFeatures.reduce(0, +)
        let bytes = ck_q8_packed_bytes(layout.cLayout, CInt(total), CInt(inFeatures))
        allocatedBytes = max(bytes, 64)
        let packed = ck_weights_alloc(allocatedBytes)!.bindMemory(to: Int8.self, capacity: bytes)
        var scales = [Float](repeating: 0, count: total)
        var first = 0
        scales.withUnsafeMutableBufferPointer { scales in
            for (part, out) in zip(weightParts, outFeatures) {
                precondition(first % Int(CK_Q8_PANEL) == 0, "Int8Panels: a part starts at output \(first), inside a panel")
                ck_q8_pack_weights_part(
                    layout.cLayout, part.baseAddress, CInt(first), CInt(out), CInt(total), CInt(inFeatures),
                    packed, scales.baseAddress! + first)
                first += out
            }
        }
        self.packed = packed
        self.layout = layout
        self.scales = scales
        activationQuantization = .perRow
        byteCount = bytes + total * MemoryLayout<Float>.stride
    }

    /// Packs int8 `values` in `layout` with `scales` (one per output channel, or one for all).
    init(
        quantized values: UnsafeBufferPointer<Int8>, scales: [Float], outFeatures: Int, inFeatures: Int,
        layout: LinearWeights.Layout, activationQuantization: LinearWeights.ActivationQuantization,
        packing: Int8Layout = .best
    ) {
        let bytes = ck_q8_packed_bytes(packing.cLayout, CInt(outFeatures), CInt(inFeatures))
        allocatedBytes = max(bytes, 64)
        packed = ck_weights_alloc(allocatedBytes)!.bindMemory(to: Int8.self, capacity: bytes)
        self.layout = packing
        let (strideOut, strideIn) = layout == .outIn ? (inFeatures, 1) : (1, outFeatures)
        ck_q8_pack_quantized(packing.cLayout, values.baseAddress, CInt(outFeatures), CInt(inFeatures), strideOut, strideIn, packed)
        self.scales = scales.count == 1 ? Array(repeating: scales[0], count: outFeatures) : scales
        self.activationQuantization = activationQuantization
        byteCount = bytes + outFeatures * MemoryLayout<Float>.stride
    }

    deinit {
        ck_weights_free(packed, allocatedBytes)
    }
}

/// How int8 weights are packed for the micro-kernels.
package enum Int8Layout: Sendable, CaseIterable, CustomStringConvertible {
    /// Pairs of int8 for AVX2 `vpmaddwd` on centred int16 activations.
    case pairs
    /// Quads of int8 and each channel's row sum, for AVX-512 VNNI `vpdpbusd` on u8 activations.
    case quads

    /// Quads where this CPU runs VNNI, pairs elsewhere.
    package static let best: Int8Layout = ck_q8_best_layout() == CInt(CK_Q8_QUADS.rawValue) ? .quads : .pairs

    /// Whether this CPU runs the VNNI tile.
    package static var vnniAvailable: Bool { ck_q8_vnni_available() != 0 }

    var cLayout: CInt { CInt(self == .quads ? CK_Q8_QUADS.rawValue : CK_Q8_PAIRS.rawValue) }

    package var description: String { self == .quads ? "quads (VNNI)" : "pairs (vpmaddwd)" }
}
