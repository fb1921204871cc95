import Foundation

/// How one checkpoint tensor is recovered from an ONNX graph: an initializer (or `Constant`),
/// possibly int8-dequantized, transposed or reshaped on the way.
indirect enum ONNXWeightExpression: Sendable {
    /// A tensor as stored (any floating-point type; converted to `Float`).
    case tensor(ONNXTensor)
    /// `(q − zeroPoint) · scale` (`DequantizeLinear`, and the `X_quantized` / `X_scale` /
    /// `X_zero_point` triples of `quantize_dynamic`): per tensor, or per slice along `axis`.
    case dequantized(ONNXTensor, scale: ONNXTensor, zeroPoint: ONNXTensor?, axis: Int)
    /// A 2-D transpose: ONNX `MatMul` stores `nn.Linear.weight` `[out, in]` as `[in, out]`.
    case transposed(ONNXWeightExpression)
    /// The same values under another shape (`[1, T, H]` → `[T, H]`).
    case reshaped(ONNXWeightExpression, [Int])
    /// `log(x)`: `logit_scale` recovered from a constant-folded `exp(logit_scale)`.
    case logarithm(ONNXWeightExpression)

    /// The shape of the result.
    var shape: [Int] {
        switch self {
        case .tensor(let t): return t.shape
        case .dequantized(let q, _, _, _): return q.shape
        case .transposed(let inner): return inner.shape.reversed()
        case .reshaped(_, let shape): return shape
        case .logarithm(let inner): return inner.shape
        }
    }

    /// The name of the underlying initializer, for error messages.
    var sourceName: String {
        switch self {
        case .tensor(let t), .dequantized(let t, _, _, _): return t.name
        case .transposed(let inner), .reshaped(let inner, _), .logarithm(let inner): return inner.sourceName
        }
    }

    /// Evaluates the expression against `model`'s bytes.
    func evaluate(in model: ONNXModel) throws -> [Float] {
        switch self {
        case .tensor(let t):
            return try model.floats(of: t)
        case let .dequantized(q, scaleTensor, zeroTensor, axis):
            let scales = try model.floats(of: scaleTensor)
            let zeros = try zeroTensor.map { try model.integers(of: $0) } ?? [0]
            let path = model.url.path
            if scales.count == 1 && zeros.count == 1 {
                if let fast = try model.dequantized(q, scale: scales[0], zeroPoint: zeros[0]) { return fast }
                let (s, z) = (scales[0], zeros[0])
                return try model.integers(of: q).map { Float($0 - z) * s }
            }
            let values = try model.integers(of: q)
            let shape = q.shape
            guard axis >= 0, axis < shape.count, scales.count == shape[axis], zeros.count == 1 || zeros.count == shape[axis] else {
                throw ONNXError.initializerShape(
                    path: path, tensor: scaleTensor.name, node: q.name,
                    expected: "a scalar or [\(axis < shape.count && axis >= 0 ? shape[axis] : 0)] scale for \(shape)",
                    found: scaleTensor.shape)
            }
            let inner = shape[(axis + 1)...].reduce(1, *)
            return values.indices.map { i in
                let channel = (i / inner) % shape[axis]
                return Float(values[i] - (zeros.count == 1 ? zeros[0] : zeros[channel])) * scales[channel]
            }
        case .transposed(let inner):
            if case .tensor(let t) = inner, let direct = try model.transposedFloats(of: t) { return direct }
            let shape = inner.shape
            let (rows, columns) = (shape[0], shape[1])
            let values = try inner.evaluate(in: model)
            var out = [Float](repeating: 0, count: values.count)
            // 64×64 tiles keep both sides in cache.
            for r0 in stride(from: 0, to: rows, by: 64) {
                for c0 in stride(from: 0, to: columns, by: 64) {
                    for r in r0..<min(r0 + 64, rows) {
                        for c in c0..<min(c0 + 64, columns) { out[c * rows + r] = values[r * columns + c] }
                    }
                }
            }
            return out
        case .reshaped(let inner, _):
            return try inner.evaluate(in: model)
        case .logarithm(let inner):
            return try inner.evaluate(in: model).map { logf($0) }
        }
    }
}
