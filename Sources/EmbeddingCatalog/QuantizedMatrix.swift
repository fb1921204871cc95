import TensorKernels

/// An int8 copy of a `[rows, dimension]` matrix for the compressed scan: row `r` ≈ `scales[r] · values[r]`.
///
/// Symmetric per-row quantisation: `scale = max|x| / 127`, `q = round(x / scale)` (ties to even) in
/// -127 … 127.
/// A quarter of the fp32 bytes, so a bandwidth-bound scan runs about 4× faster; the search re-ranks
/// its candidates with the exact fp32 vectors.
public struct QuantizedMatrix: Sendable {
    public let rows: Int
    public let dimension: Int
    /// `[rows, dimension]`
    public let values: [Int8]
    /// `[rows]`
    public let scales: [Float]

    /// Quantises `matrix` `[rows, dimension]`.
    /// - Complexity: O(rows · dimension).
    public init(_ matrix: [Float], rows: Int, dimension: Int) {
        precondition(matrix.count == rows * dimension, "QuantizedMatrix: \(matrix.count) values for [\(rows), \(dimension)]")
        self.rows = rows
        self.dimension = dimension
        (values, scales) = RowScan.quantizeRows(matrix, dimension: dimension)
    }

    /// A query quantised to -127 … 127 and its scale.
    static func quantizeQuery(_ query: [Float]) -> (values: [Int8], scale: Float) {
        let maxAbs = query.reduce(Float(0)) { max($0, abs($1)) }
        guard maxAbs > 0 else { return ([Int8](repeating: 0, count: query.count), 0) }
        let inv = 127 / maxAbs
        return (query.map { Int8(max(-127, min(127, ($0 * inv).rounded(.toNearestOrEven)))) }, maxAbs / 127)
    }
}
