import CKernels

/// int8 linear layers (`LinearWeights.Precision.int8`): `ck_q8_linear` on the same pool and path.
extension Kernels {
    /// `y = act(x · Wᵀ + b)` (or `y += x · Wᵀ + b` with `accumulate`) for int8 weights:
    /// x `[m, in]` → y `[m, out]`, rows `ldc` apart; x quantised as `panels.activationQuantization`.
    static func int8Linear(
        _ x: UnsafePointer<Float>, rows: Int, _ w: LinearWeights, _ panels: Int8Panels,
        bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>, activation: Activation,
        accumulate: Bool, context: KernelContext
    ) {
        let quantization = panels.activationQuantization == .perTensor ? CK_Q8_PER_TENSOR : CK_Q8_PER_ROW
        panels.scales.withUnsafeBufferPointer { scales in
            if let tile = context.vnniTile, panels.layout == .quads {
                ck_q8_linear_with_tile(
                    tile, context.pool, context.cPath, CInt(quantization.rawValue), CInt(rows),
                    CInt(w.outFeatures), CInt(w.inFeatures), x, w.inFeatures, panels.packed,
                    scales.baseAddress, bias, y, w.outFeatures, activation.cCode, accumulate ? 1 : 0)
                return
            }
            ck_q8_linear(
                context.pool, context.cPath, CInt(quantization.rawValue), panels.layout.cLayout, CInt(rows),
                CInt(w.outFeatures), CInt(w.inFeatures), x, w.inFeatures, panels.packed, scales.baseAddress,
                bias, y, w.outFeatures, activation.cCode, accumulate ? 1 : 0)
        }
    }

    /// The precisions this CPU runs: fp32 and int8 everywhere (int8 on AVX-512 VNNI `vpdpbusd` or AVX2
    /// `vpmaddwd` where present, portable C elsewhere), bf16 where the CPU has AVX512_BF16.
    public static var supportedPrecisions: [LinearWeights.Precision] {
        LinearWeights.Precision.allCases.filter { $0 != .bfloat16 || BF16Panels.isSupported }
    }
}
