import TensorKernels

/// The activation side of onnxruntime's dynamic int8 quantization, simulated in fp32.
///
/// `quantize_dynamic` exports run every weight GEMM as `DynamicQuantizeLinear(x)` (uint8, one
/// scale and zero point for the whole input tensor) → `MatMulInteger` / `ConvInteger` with int8
/// weights → `· x_scale · w_scale`. The int8 kernels compute exactly that
/// (`LinearWeights.ActivationQuantization.perTensor`, what `CLIPLinear` loads by default). This
/// round trip is the fp32 fallback (`precision: .float32` asked for, or int8 weights with a zero
/// point the int8 panels cannot hold): with the weights dequantized, replacing `x` by
/// `(quantize(x) − zero_point) · scale` before an fp32 GEMM gives the same products (the integer
/// sums are exact in fp32 up to 2²⁴). The rounding follows the ONNX `DynamicQuantizeLinear`
/// definition (opset 11) as onnxruntime computes it: range widened to include 0, scale =
/// range / 255, zero point = round(−min / scale), `x / scale` rounded half to even, saturated.
enum DynamicQuantization {
    /// `x` after a quantize → dequantize round trip over all of its values: `[m, n]` → `[m, n]`.
    static func roundTrip(_ x: Matrix) -> Matrix {
        var low: Float = 0, high: Float = 0
        for v in x.values {
            low = min(low, v)
            high = max(high, v)
        }
        let scale = (high - low) / 255
        guard scale > 0, scale.isFinite else { return x }
        let zeroPoint = min(255, max(0, (-low / scale).rounded(.toNearestOrEven)))
        var out = x
        for i in out.values.indices {
            let q = min(255, max(0, (x.values[i] / scale).rounded(.toNearestOrEven) + zeroPoint))
            out.values[i] = (q - zeroPoint) * scale
        }
        return out
    }
}
