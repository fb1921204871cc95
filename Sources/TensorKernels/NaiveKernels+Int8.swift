/// The naive twin of `ck_q8_linear`: the same quantisation written out in Swift, integer products,
/// dequantisation in Double. The oracle of the int8 kernel tests.
extension NaiveKernels {
    /// `act(dequant(quant(x) · quant(W)ᵀ) + b)` with per-channel 8-bit weights and per-row u8
    /// activations, as `LinearWeights.Precision.int8`: `[m, in] → [m, out]`.
    package static func int8Linear(
        _ x: Matrix, weight: [Float], bias: [Float]?, outFeatures: Int,
        activation: Activation = .identity
    ) -> Matrix {
        let k = x.columns
        var qw = [Int32](repeating: 0, count: weight.count)
        var wScale = [Double](repeating: 1, count: outFeatures)
        for j in 0..<outFeatures {
            let row = weight[(j * k)..<(j * k + k)]
            let amax = row.reduce(Float(0)) { max($0, abs($1)) }
            let scale: Float = amax / 127 > 0 ? amax / 127 : 1  // 1 also when the quotient underflows
            wScale[j] = Double(scale)
            for kk in 0..<k { qw[j * k + kk] = Int32(max(-127, min(127, (row[j * k + kk] / scale).rounded(.toNearestOrEven)))) }
        }
        var out = [Float](repeating: 0, count: x.rows * outFeatures)
        for r in 0..<x.rows {
            let row = Array(x.row(r))
            let lo = min(0, row.min() ?? 0), hi = max(0, row.max() ?? 0)
            let s: Float = (hi - lo) / 255 >= .leastNormalMagnitude ? (hi - lo) / 255 : 1  // 1 / s must not overflow
            let z = Int32((-lo / s).rounded(.toNearestOrEven))
            let inv = 1 / s
            let qa = row.map { Int32(max(0, min(255, Int32((($0 * inv).rounded(.toNearestOrEven))) + z))) }
            for j in 0..<outFeatures {
                var acc: Int32 = 0
                for kk in 0..<k { acc += (qa[kk] - z) * qw[j * k + kk] }
                let v = Double(s) * wScale[j] * Double(acc) + Double(bias?[j] ?? 0)
                out[r * outFeatures + j] = activation.apply(Float(v))
            }
        }
        return Matrix(rows: x.rows, columns: outFeatures, values: out)
    }
}

/// The naive twin of int8 layers built from pre-quantized weights (`LinearWeights(quantized:…)`)
/// with per-tensor activations: the ONNX `DynamicQuantizeLinear` → `MatMulInteger` → `Mul` → `Add`
/// chain of a dynamic-int8 export, written out.
extension NaiveKernels {
    /// `DynamicQuantizeLinear` (opset 11) as onnxruntime computes it, over all of `values`: the range
    /// widened to hold 0, `scale = (max − min) / 255` (1 when max = min), zero point
    /// `round_half_even(clamp(−min / scale, 0, 255))`, `q = round_half_even(clamp(x / scale, −z, 255 − z)) + z`.
    /// Returns `q − z` (centred), the scale and the zero point.
    package static func dynamicQuantizeLinear(_ values: [Float]) -> (centred: [Int32], scale: Float, zeroPoint: Int32) {
        let lo = min(0, values.min() ?? 0), hi = max(0, values.max() ?? 0)
        let scale: Float = hi == lo ? 1 : (hi - lo) / 255
        let zero = max(0, min(255, 0 - lo / scale)).rounded(.toNearestOrEven)
        let centred = values.map { Int32(max(-zero, min(255 - zero, $0 / scale)).rounded(.toNearestOrEven)) }
        return (centred, scale, Int32(zero))
    }

    /// `act(Float(quant(x) · quantizedᵀ) · (xScale · scales[j]) + b)`: `x` `[m, in]` quantised per
    /// tensor, `quantized` `[out, in]`, `scales` `[out]` or `[1]`; `[m, in] → [m, out]`, or only
    /// the rows `rows` (`[rows.count, out]`; the input is still quantised as a whole).
    package static func int8Linear(
        _ x: Matrix, quantized: [Int8], scales: [Float], bias: [Float]?, outFeatures: Int,
        activation: Activation = .identity, rows: [Int]? = nil
    ) -> Matrix {
        let k = x.columns
        let (qa, xScale, _) = dynamicQuantizeLinear(x.values)
        let rows = rows ?? Array(0..<x.rows)
        var out = [Float](repeating: 0, count: rows.count * outFeatures)
        for (i, r) in rows.enumerated() {
            for j in 0..<outFeatures {
                var acc: Int32 = 0
                for kk in 0..<k { acc += qa[r * k + kk] * Int32(quantized[j * k + kk]) }
                let multiplier = xScale * scales[scales.count == 1 ? 0 : j]
                var v = Float(acc) * multiplier
                if let bias { v += bias[j] }
                out[i * outFeatures + j] = activation.apply(v)
            }
        }
        return Matrix(rows: rows.count, columns: outFeatures, values: out)
    }
}
