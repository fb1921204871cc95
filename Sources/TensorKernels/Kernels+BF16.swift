import CKernels

/// bf16 linear layers (`LinearWeights.Precision.bfloat16`): `ck_bf16_linear` on the same pool and path.
extension Kernels {
    /// `y = act(x · Wᵀ + b)` (or `y += x · Wᵀ + b` with `accumulate`) for bf16 weights: x `[m, in]`
    /// rounded to bf16 → y `[m, out]` in fp32, rows `w.outFeatures` apart.
    static func bfloat16Linear(
        _ x: UnsafePointer<Float>, rows: Int, _ w: LinearWeights, _ panels: BF16Panels,
        bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>, activation: Activation,
        accumulate: Bool, context: KernelContext
    ) {
        if let tile = context.bf16Tile {
            ck_bf16_linear_with_tile(
                tile, context.pool, context.cPath, CInt(rows), CInt(w.outFeatures), CInt(w.inFeatures),
                x, w.inFeatures, panels.packed, bias, y, w.outFeatures, activation.cCode,
                accumulate ? 1 : 0)
            return
        }
        ck_bf16_linear(
            context.pool, context.cPath, CInt(rows), CInt(w.outFeatures), CInt(w.inFeatures), x, w.inFeatures,
            panels.packed, bias, y, w.outFeatures, activation.cCode, accumulate ? 1 : 0)
    }

    /// `value` rounded to bfloat16 (nearest even, as `vcvtneps2bf16`) and back: what a bf16 layer
    /// multiplies in place of an fp32 weight or input.
    package static func roundedToBFloat16(_ value: Float) -> Float {
        Float(bitPattern: UInt32(ck_bf16_from_float(value)) << 16)
    }
}
