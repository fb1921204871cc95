#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Straightforward reference implementations: the oracle every optimised kernel is tested against.
///
/// Accumulation is in `Double` where it keeps the oracle well above fp32 accuracy.
package enum NaiveKernels {
    /// `x · Wᵀ + b`, then `activation`, from the unpacked `weight` `[outFeatures, in]` and `bias`.
    package static func linear(
        _ x: Matrix, weight: [Float], bias: [Float]?, outFeatures: Int,
        activation: Activation = .identity
    ) -> Matrix {
        let inFeatures = x.columns
        precondition(
            weight.count == outFeatures * inFeatures,
            "linear: \(weight.count) weights for [\(outFeatures), \(inFeatures)]")
        precondition(bias == nil || bias!.count == outFeatures, "linear: bias of \(bias!.count) for \(outFeatures) outputs")
        var y = Matrix(zeros: x.rows, columns: outFeatures)
        for i in 0..<x.rows {
            for o in 0..<outFeatures {
                var acc = Double(bias?[o] ?? 0)
                for k in 0..<inFeatures {
                    acc += Double(x.values[i * inFeatures + k]) * Double(weight[o * inFeatures + k])
                }
                y.values[i * outFeatures + o] = activation.apply(Float(acc))
            }
        }
        return y
    }

    /// `residual += x · Wᵀ + b` from the unpacked `weight` `[outFeatures, in]` and `bias`.
    package static func linear(
        _ x: Matrix, weight: [Float], bias: [Float]?, outFeatures: Int,
        addingTo residual: inout Matrix
    ) {
        precondition(
            residual.rows == x.rows && residual.columns == outFeatures,
            "linear: residual [\(residual.rows), \(residual.columns)] for output [\(x.rows), \(outFeatures)]")
        let y = linear(x, weight: weight, bias: bias, outFeatures: outFeatures)
        for i in 0..<y.values.count { residual.values[i] += y.values[i] }
    }

    package static func layerNorm(_ x: Matrix, weight: [Float], bias: [Float], epsilon: Float) -> Matrix {
        precondition(weight.count == x.columns && bias.count == x.columns, "layerNorm: parameter size mismatch")
        var y = x
        let n = x.columns
        for i in 0..<x.rows {
            var mean = 0.0
            for j in 0..<n { mean += Double(x.values[i * n + j]) }
            mean /= Double(n)
            var variance = 0.0
            for j in 0..<n {
                let d = Double(x.values[i * n + j]) - mean
                variance += d * d
            }
            variance /= Double(n)
            let inv = 1 / (variance + Double(epsilon)).squareRoot()
            for j in 0..<n {
                y.values[i * n + j] = Float((Double(x.values[i * n + j]) - mean) * inv) * weight[j] + bias[j]
            }
        }
        return y
    }

    package static func attention(qkv: Matrix, batch: Int, sequenceLength: Int, heads: Int, causal: Bool) -> Matrix {
        precondition(
            qkv.rows == batch * sequenceLength && qkv.columns % (3 * heads) == 0,
            "attention: qkv [\(qkv.rows), \(qkv.columns)] for batch \(batch) × seq \(sequenceLength), \(heads) heads")
        let hidden = qkv.columns / 3
        let headDim = hidden / heads
        let scale = 1 / Double(headDim).squareRoot()
        var out = Matrix(zeros: qkv.rows, columns: hidden)
        var scores = [Double](repeating: 0, count: sequenceLength)
        for b in 0..<batch {
            for h in 0..<heads {
                for i in 0..<sequenceLength {
                    let qRow = (b * sequenceLength + i) * qkv.columns + h * headDim
                    let keys = causal ? i + 1 : sequenceLength
                    var maxScore = -Double.infinity
                    for j in 0..<keys {
                        let kRow = (b * sequenceLength + j) * qkv.columns + hidden + h * headDim
                        var dot = 0.0
                        for d in 0..<headDim { dot += Double(qkv.values[qRow + d]) * Double(qkv.values[kRow + d]) }
                        scores[j] = dot * scale
                        maxScore = max(maxScore, scores[j])
                    }
                    var sum = 0.0
                    for j in 0..<keys {
                        scores[j] = exp(scores[j] - maxScore)
                        sum += scores[j]
                    }
                    for d in 0..<headDim {
                        var acc = 0.0
                        for j in 0..<keys {
                            let vRow = (b * sequenceLength + j) * qkv.columns + 2 * hidden + h * headDim
                            acc += scores[j] * Double(qkv.values[vRow + d])
                        }
                        out.values[(b * sequenceLength + i) * hidden + h * headDim + d] = Float(acc / sum)
                    }
                }
            }
        }
        return out
    }

    /// Row `queryPositions[b]` of each sequence `b` of `attention(qkv:…)`: `[batch, hidden]`.
    package static func attention(
        qkv: Matrix, batch: Int, sequenceLength: Int, heads: Int, causal: Bool,
        queryPositions: [Int]
    ) -> Matrix {
        let all = attention(qkv: qkv, batch: batch, sequenceLength: sequenceLength, heads: heads, causal: causal)
        return Matrix(
            rows: batch, columns: all.columns,
            values: queryPositions.enumerated().flatMap { b, position in all.row(b * sequenceLength + position) })
    }

    package static func softmaxRows(_ x: Matrix) -> Matrix {
        var y = x
        for i in 0..<x.rows {
            let row = x.row(i)
            let m = Double(row.max() ?? 0)
            var sum = 0.0
            for v in row { sum += exp(Double(v) - m) }
            for j in 0..<x.columns { y[i, j] = Float(exp(Double(x[i, j]) - m) / sum) }
        }
        return y
    }

    package static func l2NormalizeRows(_ x: Matrix) -> Matrix {
        var y = x
        for i in 0..<x.rows {
            var sum = 0.0
            for v in x.row(i) { sum += Double(v) * Double(v) }
            let norm = sum.squareRoot()
            guard norm > 0 else { continue }
            for j in 0..<x.columns { y[i, j] = Float(Double(x[i, j]) / norm) }
        }
        return y
    }

    package static func matmulTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.columns, "matmulTransposed: [\(a.rows), \(a.columns)] · [\(b.rows), \(b.columns)]ᵀ")
        var y = Matrix(zeros: a.rows, columns: b.rows)
        for i in 0..<a.rows {
            for j in 0..<b.rows {
                var acc = 0.0
                for k in 0..<a.columns { acc += Double(a[i, k]) * Double(b[j, k]) }
                y[i, j] = Float(acc)
            }
        }
        return y
    }
}
