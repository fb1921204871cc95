import TensorKernels
import Testing

/// `Kernels.attention` against its naive twin: CLIP's sequence lengths and head sizes, causal or
/// not, and head dimensions that are not a multiple of the panel width.
@Suite struct AttentionTests {
    struct Shape: CustomStringConvertible, Sendable {
        let batch: Int, seq: Int, heads: Int, headDim: Int
        var description: String { "batch \(batch) seq \(seq) heads \(heads)×\(headDim)" }
    }

    static let shapes: [Shape] = [
        Shape(batch: 1, seq: 1, heads: 1, headDim: 8), Shape(batch: 2, seq: 7, heads: 3, headDim: 16),
        Shape(batch: 1, seq: 50, heads: 12, headDim: 64), Shape(batch: 2, seq: 77, heads: 8, headDim: 64),
        Shape(batch: 3, seq: 33, heads: 2, headDim: 40), Shape(batch: 1, seq: 49, heads: 4, headDim: 96),
        Shape(batch: 4, seq: 9, heads: 1, headDim: 1)
    ]

    @Test(arguments: shapes, [false, true])
    func matchesNaive(_ s: Shape, causal: Bool) {
        let qkv = randomMatrix(s.batch * s.seq, 3 * s.heads * s.headDim, scale: 2, seed: UInt64(s.seq * 7 + s.heads))
        let expected = NaiveKernels.attention(qkv: qkv, batch: s.batch, sequenceLength: s.seq, heads: s.heads, causal: causal)
        for context in availableContexts {
            let y = Kernels.attention(
                qkv: qkv, batch: s.batch, sequenceLength: s.seq, heads: s.heads, causal: causal,
                context: context)
            #expect(relativeError(y, expected) <= 1e-5, "\(s) causal \(causal) \(context.path)")
        }
    }

    /// One query row per sequence (a tower's last layer): the first, last and a middle position,
    /// against the naive twin's rows and against the same rows of the full attention.
    @Test(arguments: shapes, [false, true])
    func queryRowsMatchNaive(_ s: Shape, causal: Bool) {
        let qkv = randomMatrix(s.batch * s.seq, 3 * s.heads * s.headDim, scale: 2, seed: UInt64(s.seq * 11 + s.heads))
        let choices = [0, s.seq - 1, s.seq / 2]
        let positions = (0..<s.batch).map { choices[$0 % choices.count] }
        let expected = NaiveKernels.attention(
            qkv: qkv, batch: s.batch, sequenceLength: s.seq, heads: s.heads,
            causal: causal, queryPositions: positions)
        #expect(expected.rows == s.batch && expected.columns == s.heads * s.headDim)
        for context in availableContexts {
            let rows = Kernels.attention(
                qkv: qkv, batch: s.batch, sequenceLength: s.seq, heads: s.heads, causal: causal,
                queryPositions: positions, context: context)
            #expect(relativeError(rows, expected) <= 1e-5, "\(s) causal \(causal) \(context.path)")
            let full = Kernels.attention(
                qkv: qkv, batch: s.batch, sequenceLength: s.seq, heads: s.heads, causal: causal,
                context: context)
            for (b, position) in positions.enumerated() {
                #expect(rows.row(b) == full.row(b * s.seq + position), "\(s) causal \(causal) \(context.path) sequence \(b)")
            }
        }
    }
}
