/// A dense row-major matrix of `Float`, the one tensor type the layers above exchange.
///
/// Higher-rank tensors are flattened into rows: a batch of sequences `[batch, seq, hidden]` is a
/// `Matrix` of `batch · seq` rows and `hidden` columns.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (the contiguous dimension).
    public let columns: Int
    /// `rows · columns` values, row after row.
    public var values: [Float]

    /// Wraps `values` as `[rows, columns]`.
    /// - Precondition: `values.count == rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape [\(rows), \(columns)]")
        precondition(
            values.count == rows * columns,
            "Matrix: \(values.count) values for shape [\(rows), \(columns)]")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A `[rows, columns]` matrix of zeros.
    public init(zeros rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: 0, count: rows * columns))
    }

    /// A `[rows, columns]` matrix whose values `initialize` writes, all of them, through a pointer.
    init(rows: Int, columns: Int, initializingWith initialize: (UnsafeMutablePointer<Float>) -> Void) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape [\(rows), \(columns)]")
        let count = rows * columns
        self.rows = rows
        self.columns = columns
        self.values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { initialize(buffer.baseAddress!) }
            initialized = count
        }
    }

    /// The values of row `index`, `[columns]`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[index * columns..<(index + 1) * columns]
    }

    /// Rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(
            rows: range.count, columns: columns,
            values: Array(values[range.lowerBound * columns..<range.upperBound * columns]))
    }

    /// Rows `indices`, in that order, as a new matrix `[indices.count, columns]`.
    public func rows(at indices: [Int]) -> Matrix {
        var out = [Float]()
        out.reserveCapacity(indices.count * columns)
        for index in indices { out += row(index) }
        return Matrix(rows: indices.count, columns: columns, values: out)
    }

    /// Element at `(row, column)`.
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }
}
