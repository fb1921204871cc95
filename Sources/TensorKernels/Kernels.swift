import CKernels

/// The kernels the network is built from. Pure functions on `Matrix`; shapes in brackets.
///
/// They run the fastest micro-kernels of this CPU (AVX-512, AVX2 + FMA or portable C) on the shared
/// worker pool (`Kernels.threadCount`), and are safe to call from several threads at once: a call
/// that finds the pool busy runs on its own thread. Each has a naive twin in `NaiveKernels` that
/// serves as its test oracle.
public enum Kernels {
    /// `x · Wᵀ + b`, then `activation`: `[m, in] → [m, out]`.
    public static func linear(_ x: Matrix, _ w: LinearWeights, activation: Activation = .identity) -> Matrix {
        linear(x, w, activation: activation, context: .shared)
    }

    /// `residual += x · Wᵀ + b`: `[m, in]`, residual `[m, out]`.
    public static func linear(_ x: Matrix, _ w: LinearWeights, addingTo residual: inout Matrix) {
        linear(x, w, addingTo: &residual, context: .shared)
    }

    /// Layer normalisation over each row: `[m, n] → [m, n]`, `weight`/`bias` `[n]`.
    public static func layerNorm(_ x: Matrix, weight: [Float], bias: [Float], epsilon: Float) -> Matrix {
        layerNorm(x, weight: weight, bias: bias, epsilon: epsilon, context: .shared)
    }

    /// Multi-head scaled dot-product self-attention.
    ///
    /// `qkv` is `[batch · seq, 3 · hidden]`, each row `q | k | v` with heads contiguous inside each
    /// part (`hidden = heads · headDim`). Scores are scaled by `headDim^-0.5`; `causal` masks keys after
    /// the query. Returns `[batch · seq, hidden]` with heads concatenated, ready for `out_proj`.
    public static func attention(qkv: Matrix, batch: Int, sequenceLength: Int, heads: Int, causal: Bool) -> Matrix {
        attention(
            qkv: qkv, batch: batch, sequenceLength: sequenceLength, heads: heads, causal: causal,
            context: .shared)
    }

    /// `attention` for one query per sequence: row `b` of the result `[batch, hidden]` is row
    /// `b · seq + queryPositions[b]` of `attention(qkv:…)`, computed alone (the keys and values of
    /// the whole sequence, the query of that position only). A tower's last layer needs no more:
    /// its output is read at the pooled token.
    public static func attention(
        qkv: Matrix, batch: Int, sequenceLength: Int, heads: Int, causal: Bool,
        queryPositions: [Int]
    ) -> Matrix {
        attention(
            qkv: qkv, batch: batch, sequenceLength: sequenceLength, heads: heads, causal: causal,
            queryPositions: queryPositions, context: .shared)
    }

    /// Softmax over each row: `[m, n] → [m, n]`.
    public static func softmaxRows(_ x: Matrix) -> Matrix {
        softmaxRows(x, context: .shared)
    }

    /// Each row divided by its L2 norm: `[m, n] → [m, n]` (a zero row stays zero).
    public static func l2NormalizeRows(_ x: Matrix) -> Matrix {
        l2NormalizeRows(x, context: .shared)
    }

    /// `a · bᵀ`: `[m, k] × [n, k] → [m, n]` (similarities between two sets of embeddings).
    ///
    /// - Complexity: O(m · n · k); a few rows of `a` against many rows of `b` run at memory speed.
    public static func matmulTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
        matmulTransposed(a, b, context: .shared)
    }
}

extension Kernels {
    /// The index of the first NaN or infinity in `values`, or nil when all are finite: the check of
    /// every loaded weight, branch-free over blocks (a few GB/s, where an element-wise Swift scan is
    /// one compare-and-branch per float).
    public static func firstNonFinite(_ values: UnsafeBufferPointer<Float>) -> Int? {
        guard let base = values.baseAddress, !values.isEmpty else { return nil }
        let index = ck_first_non_finite(base, values.count)
        return index < 0 ? nil : index
    }

    /// `firstNonFinite(_:)` of an array.
    public static func firstNonFinite(_ values: [Float]) -> Int? {
        values.withUnsafeBufferPointer { firstNonFinite($0) }
    }
}
